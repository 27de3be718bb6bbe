from ninja import Router

# POST /imports, GET /imports/template, POST /imports/{id}/confirm (api.md "Reporting, import, export").
router = Router(tags=["导入导出"])
