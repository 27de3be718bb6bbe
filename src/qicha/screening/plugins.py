"""What data comparison plugs into the platform (registered from ScreeningConfig.ready())."""

from qicha.core import registry
from qicha.core import workbench as core_workbench

from . import api, demo, notices  # noqa: F401  (notices registers the review's act table)
from .negative import check_negative_lists
from .panels import screening_panel

registry.register_router(api.router)
registry.register_negative_list_check("screening", check_negative_lists)
registry.register_demo("screening", registry.REPORTING + 5, demo.load_demo_run)
core_workbench.register_panel("screening", order=65, build=screening_panel)
