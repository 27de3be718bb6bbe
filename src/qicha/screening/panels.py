"""The cockpit's 数据比对 panel: per rule, the beneficiaries flagged, reviewed and confirmed (latest run), each figure
opening the review queue filtered to exactly those hits."""

from urllib.parse import urlencode

from django.db.models import Count, Q

from qicha.core.workbench import Figure, Panel, PanelRow

from .engine import RULES
from .models import HitStatus
from .queries import REVIEWED, latest_run, visible_hits


def _url(**params) -> str:
    return "/screening/hits/?" + urlencode({k: v for k, v in params.items() if v})


def screening_panel(viewer, focus):
    run = latest_run(viewer.user)
    if run is None:
        return None
    hits = visible_hits(viewer.user).filter(run=run)
    unit_id = focus.unit.pk if getattr(focus, "unit", None) is not None else None
    if unit_id:
        hits = hits.filter(unit__path__startswith=focus.unit.path)
    counts = {row["evidence__rule"]: row for row in hits.order_by().values("evidence__rule").annotate(
        n=Count("id", distinct=True), reviewed=Count("id", distinct=True, filter=Q(status__in=REVIEWED)),
        confirmed=Count("id", distinct=True, filter=Q(status=HitStatus.CONFIRMED)))}
    rows = []
    for code in run.rules:
        row = counts.get(code, {})
        base = {"run": run.pk, "rule": code, "unit": unit_id}
        rows.append(PanelRow(f"{code} {RULES[code].name}", [
            Figure("命中对象", row.get("n", 0), _url(**base)),
            Figure("已核查", row.get("reviewed", 0), _url(**base, reviewed="1")),
            Figure("属实", row.get("confirmed", 0), _url(**base, status=HitStatus.CONFIRMED)),
        ], url=_url(**base)))
    return Panel("screening", f"数据比对（{run.payment_month} 发放名册，第 {run.pk} 批）", "bar",
                 ["命中对象", "已核查", "属实"], rows)
