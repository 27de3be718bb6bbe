"""The jobs app's own API: the job status, and ledger import and export over what the ledgers registered."""

from qicha.core import registry

from . import api, export_api, ledger_api

registry.register_router(api.router)
registry.register_router(ledger_api.router)
registry.register_router(export_api.router)
