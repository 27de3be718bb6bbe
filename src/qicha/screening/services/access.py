"""Who may import registers and run comparisons: the holders of screening.run over the whole tree (a run reads
every county's beneficiaries, so a county-scoped role cannot start one)."""

from qicha.core.errors import Forbidden
from qicha.core.scope import can_act_on
from qicha.orgs.models import Unit


def top_unit() -> Unit:
    return Unit.objects.get_first_root_node()


def may_run(actor) -> bool:
    root = top_unit()
    return root is not None and can_act_on(actor, "screening.run", root)


def require_runner(actor) -> None:
    if not may_run(actor):
        raise Forbidden("只有扫黑办（全局数据权限且有“运行数据比对”权限）可以导入比对名册、运行数据比对。")
