from ninja import NinjaAPI

from qicha.campaigns.api import router as campaigns_router
from qicha.clues.api import router as clues_router
from qicha.clues.case_api import router as cases_router
from qicha.core.api import errors
from qicha.documents.api import router as documents_router
from qicha.jobs.api import router as jobs_router
from qicha.jobs.export_api import router as export_router
from qicha.jobs.ledger_api import router as ledger_io_router
from qicha.orgs.api import public as auth_router
from qicha.orgs.api import router as orgs_router
from qicha.orgs.api_auth import AUTH
from qicha.problems.api import router as problems_router
from qicha.reporting.api import router as reporting_router
from qicha.supervision.inspection_api import router as inspections_router
from qicha.supervision.letter_api import router as letters_router

api = NinjaAPI(
    title="qicha 七查七摆专项行动信息平台接口",
    version="1.0.0",
    description="令牌：POST /api/v1/auth/token 取得，之后以 `Authorization: Bearer <token>` 访问。错误统一为 {code, message, details}。",
    auth=AUTH,
    docs_url="/docs",
    openapi_url="/openapi.json",
)
errors.install(api)
api.add_router("", auth_router)
api.add_router("", orgs_router)
api.add_router("", campaigns_router)
api.add_router("", problems_router)
api.add_router("", clues_router)
api.add_router("", cases_router)
api.add_router("", letters_router)
api.add_router("", inspections_router)
api.add_router("", jobs_router)
api.add_router("", reporting_router)
api.add_router("", documents_router)
api.add_router("", ledger_io_router)
api.add_router("", export_router)
