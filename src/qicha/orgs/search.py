"""全局搜索 over units: the units the user may list, each opening the problem ledger of that unit (with its
sub-units) for business users, or the unit tree for the administrators."""

from django.urls import reverse

from qicha.core.registry import SearchHit
from qicha.core.scope import has_permission

from .queries import visible_units


def search(user, q: str, limit: int):
    found = visible_units(user).filter(name__icontains=q)
    business = has_permission(user, "problem.view")
    hits = [SearchHit(u.name, f"{reverse('problems:list')}?unit={u.pk}" if business else reverse("orgs:units"),
                      "查看该单位（含下级）的问题台账" if business else "单位管理")
            for u in found[:limit]]
    return hits, found.count()
