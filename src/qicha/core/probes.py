"""越权访问尝试: a record outside the caller's data scope answers 404 (its existence is not disclosed), but the
attempt is audited like a 403 — who, which ids, which route — so the 审计管理员 sees someone walking ids.

Recorded at the two places a NotFound becomes a 404 — core.middleware for pages (every page raises
`Http404(...) from` the query's NotFound), the API's error handler for the API — never in each view.
The log is rate-limited per user: at most PROBE_AUDIT_PER_MINUTE events a minute, then one summary event,
then silence until the next minute, so a scripted walk cannot flood the chain.
"""

import time

from django.conf import settings
from django.core.cache import cache

from .audit import EventType, Outcome, record_event

ACTION = "out_of_scope"
SUMMARY_ACTION = "out_of_scope_flood"
LABEL = "越权访问尝试"


def _is_record_probe(request, exc) -> bool:
    # A 404 about a record named in the route or a query parameter (unit=…); not "no campaign is running".
    match = getattr(request, "resolver_match", None)
    return bool(match and match.kwargs) or "权" in getattr(exc, "message", "")


def record_out_of_scope(request, exc) -> None:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not _is_record_probe(request, exc):
        return
    key = f"qicha:probe:{user.pk}:{int(time.time() // 60)}"
    cache.add(key, 0, timeout=120)
    try:
        count = cache.incr(key)
    except ValueError:  # evicted between add and incr
        cache.set(key, 1, timeout=120)
        count = 1
    limit = settings.PROBE_AUDIT_PER_MINUTE
    if count > limit + 1:
        return
    match = request.resolver_match
    ids = "，".join(f"{k}={v}" for k, v in (match.kwargs.items() if match else ()))
    query = request.META.get("QUERY_STRING", "")[:200]
    if count == limit + 1:
        record_event(EventType.ACCESS_DENIED, actor=user, outcome=Outcome.DENIED, action=SUMMARY_ACTION,
                     object_repr=request.path[:300],
                     detail=f"{LABEL}：一分钟内超过 {limit} 次，本分钟其余尝试不再逐条记录")
        return
    detail = f"{LABEL}：{request.method} {request.path}"
    if ids:
        detail += f"（{ids}）"
    if query:
        detail += f"，参数 {query}"
    record_event(EventType.ACCESS_DENIED, actor=user, outcome=Outcome.DENIED, action=ACTION,
                 # No object type: the auditor reads the route and ids in full (they carry no business content).
                 object_id=next((str(v) for v in (match.kwargs.values() if match else ())), "")[:64],
                 object_repr=request.path[:300], detail=detail[:1000])
