"""Shared helpers for the ledger tests."""

from qicha.ledgers import services
from qicha.ledgers.models import LedgerDefinition

ORG = {"org_name": "城东区某某联谊会", "credit_code": "91350100M000100Y43", "case_kind": "非法社会组织",
       "found_on": "2026-03-05", "situation": "未经登记以社会组织名义开展活动", "action": ["取缔"],
       "closed": "是"}
DIBAO = {"head_name": "张三", "head_id": "11010519491231002X", "village": "东湖村", "kind": "人情保",
         "found_by": "数据比对", "found_on": "2026-03-01", "action": ["停保", "追回资金"], "recovered": "3600",
         "closed": "否"}


def definition(key: str) -> LedgerDefinition:
    return LedgerDefinition.objects.get(key=key)


def add_row(actor, key: str, unit, **values):
    base = {"social_org": ORG, "dibao": DIBAO}.get(key, {})
    return services.create_row(actor, definition(key), unit, {**base, **values})
