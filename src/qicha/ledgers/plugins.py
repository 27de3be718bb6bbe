"""What the sector ledgers plug into the platform (registered from LedgersConfig.ready())."""

from qicha.core import registry
from qicha.core import workbench as core_workbench

from . import api, demo, exporting, workbench

registry.register_export("ledgers", "专项治理台账", kind="ledgers.export", permission="ledger.view",
                         list_url="ledgers:home", parse=exporting.parse, check=exporting.check_export,
                         describe=exporting.describe, back=exporting.back)

# After the clues (its demo rows link one) and before reporting.
registry.register_demo("ledgers", registry.SUPERVISION - 5, demo.load_sample_rows)

registry.register_router(api.router)

# The cockpit's figures per ledger (no 工作台 card of its own yet).
core_workbench.register("ledgers", order=45, figures=workbench.ledger_figures)
