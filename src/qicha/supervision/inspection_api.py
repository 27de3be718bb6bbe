from ninja import Router

router = Router(tags=["督导检查"])
