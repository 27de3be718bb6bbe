"""The one NinjaAPI: every app's router, as the apps registered them (`core.registry.register_router`)."""

from ninja import NinjaAPI

from qicha.core.api import errors
from qicha.core.registry import ROUTERS
from qicha.orgs.api_auth import AUTH

api = NinjaAPI(
    title="qicha 七查七摆专项行动信息平台接口",
    version="1.0.0",
    description="令牌：POST /api/v1/auth/token 取得，之后以 `Authorization: Bearer <token>` 访问。错误统一为 {code, message, details}。",
    auth=AUTH,
    docs_url="/docs",
    openapi_url="/openapi.json",
)
errors.install(api)
for router in ROUTERS:
    api.add_router("", router)
