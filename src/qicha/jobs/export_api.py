from ninja import Router

# POST /exports (api.md "Reporting, import, export").
router = Router(tags=["导入导出"])
