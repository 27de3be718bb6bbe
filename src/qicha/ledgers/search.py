"""Ledger rows in the 全局搜索 and on the pages of the clues and problems they link to, in the user's scope: a whole
身份证号, phone, 统一社会信用代码 or plate finds its rows through the index, other text the rows' text columns."""

from django.urls import reverse

from qicha.core.masking import mask_free_text
from qicha.core.registry import SearchHit

from . import columns as col
from . import queries

TITLE_LENGTH = 60


def _hit(row) -> SearchHit:
    definition = row.definition
    shown = next((c for c in definition.visible_columns if c["type"] in col.TEXTUAL and row.values.get(c["key"])),
                 None)
    text = mask_free_text(str(row.values[shown["key"]]))[:TITLE_LENGTH] if shown else f"第 {row.pk} 条"
    return SearchHit(f"{definition.name}　{text}", reverse("ledgers:row", args=[definition.key, row.pk]),
                     f"{row.unit.name} · 登记于 {row.created_at:%Y-%m-%d}")


def search_rows(user, q: str, limit: int):
    found = queries.search_all(user, q)
    return [_hit(row) for row in found[:limit]], found.count()


def rows_linking(user, kind: str, pk: int) -> list[SearchHit]:
    return [_hit(row) for row in queries.linking_rows(user, kind, pk)[:50]]
