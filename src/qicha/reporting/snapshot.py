"""The frozen snapshot of a unit's ledgers at submission, and its SM3 digest.

Rows are read through each ledger's `visible_*` query with the submitter's scope, limited to the unit and its
sub-units and to the period's campaign. The digest is SM3 over the canonical JSON (sorted keys, no spaces, UTF-8),
the same canonical form the audit chain hashes; `verify` recomputes it from what is stored.
"""

import json

from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone

from qicha.clues.case_queries import visible_cases
from qicha.clues.models import UNVERIFIED_STATUSES, Case, Clue
from qicha.clues.queries import visible_clues
from qicha.core.audit import to_json_safe
from qicha.core.crypto import sm3
from qicha.core.models import AuditEvent
from qicha.ledgers.queries import snapshot_rows as ledger_rows
from qicha.problems.models import Problem
from qicha.problems.models import Status as ProblemStatus
from qicha.problems.queries import ACTIVE_STATUSES, visible_problems

PROBLEM_COLUMNS = [
    ("id", "编号"), ("unit", "责任单位"), ("check_item", "查摆事项"), ("source", "问题来源"), ("description", "问题描述"),
    ("rectification_type", "整改类型"), ("measures", "整改措施"), ("deadline", "整改时限"),
    ("responsible_leader", "责任领导"), ("responsible_department", "责任部门"), ("status", "状态"),
    ("overdue", "是否逾期"),
]
CLUE_COLUMNS = [
    ("id", "编号"), ("reference_no", "线索编号"), ("source", "线索来源"), ("received_date", "受理日期"),
    ("domain", "涉及领域"), ("unit", "承办单位"), ("due_date", "办理时限"), ("status", "状态"), ("result", "核查结论"),
    ("overdue", "是否超期"),
]
CASE_COLUMNS = [
    ("id", "编号"), ("name", "案件名称"), ("source", "案件来源"), ("unit", "承办单位"), ("received_date", "交办日期"),
    ("status", "状态"),
]


def _statuses_then(model, records, taken_at) -> dict[int, str]:
    """The status each record had at `taken_at`, for records changed since (read from their audit events: the last
    one at or before that time that names a status; none → the status a record starts in).

    Only a snapshot taken "in the past" has such records: the demo loaders do last spring's acts after the whole
    history is loaded (core.demo_clock). A snapshot taken now finds none and asks nothing."""
    changed = [r.pk for r in records if r.updated_at > taken_at]
    if not changed:
        return {}
    statuses = dict.fromkeys(changed, model._meta.get_field("status").default)
    events = (AuditEvent.objects.filter(object_type=model._meta.label_lower, object_id__in=[str(pk) for pk in changed],
                                        created_at__lte=taken_at).order_by("seq").values_list("object_id", "after"))
    for object_id, after in events:
        if isinstance(after, dict) and after.get("status"):
            statuses[int(object_id)] = after["status"]
    return statuses


def _problem_rows(actor, unit, campaign) -> list[dict]:
    taken_at = timezone.now()
    problems = list(visible_problems(actor).filter(campaign=campaign, unit__path__startswith=unit.path,
                                                   created_at__lte=taken_at)
                    .select_related("unit", "check_item").order_by("id"))
    then = _statuses_then(Problem, problems, taken_at)
    for p in problems:
        if p.pk in then:
            p.status = then[p.pk]
            p.is_overdue = p.status in ACTIVE_STATUSES and p.deadline is not None and p.deadline < timezone.localdate()
    return [{
        "id": p.pk, "unit": p.unit.name, "check_item": f"{p.check_item.label}{p.check_item.title}" if p.check_item else "",
        "source": p.get_source_display(), "description": p.description,
        "rectification_type": p.get_rectification_type_display(), "measures": p.measures, "deadline": p.deadline,
        "responsible_leader": p.responsible_leader, "responsible_department": p.responsible_department,
        "status": p.get_status_display(), "status_code": p.status, "overdue": bool(p.is_overdue),
    } for p in problems]


def _clue_rows(actor, unit, campaign) -> list[dict]:
    taken_at = timezone.now()
    clues = list(visible_clues(actor).filter(campaign=campaign, unit__path__startswith=unit.path,
                                             created_at__lte=taken_at).select_related("unit").order_by("id"))
    then = _statuses_then(Clue, clues, taken_at)
    for c in clues:
        if c.pk in then:
            c.status = then[c.pk]
            if c.status in UNVERIFIED_STATUSES:
                c.result = ""
            c.is_overdue = c.status in UNVERIFIED_STATUSES and c.due_date < timezone.localdate()
    return [{
        "id": c.pk, "reference_no": c.reference_no, "source": c.get_source_display(), "received_date": c.received_date,
        "domain": c.get_domain_display(), "unit": c.unit.name if c.unit_id else "", "due_date": c.due_date,
        "status": c.get_status_display(), "status_code": c.status, "result": c.get_result_display() if c.result else "",
        "overdue": bool(c.is_overdue),
    } for c in clues]


def _case_rows(actor, unit, campaign) -> list[dict]:
    taken_at = timezone.now()
    cases = list(visible_cases(actor).filter(campaign=campaign, unit__path__startswith=unit.path,
                                             created_at__lte=taken_at).select_related("unit").order_by("id"))
    for c, status in ((c, _statuses_then(Case, cases, taken_at).get(c.pk)) for c in cases):
        if status:
            c.status = status
    return [{
        "id": c.pk, "name": c.name, "source": c.get_source_display(), "unit": c.unit.name,
        "received_date": c.received_date, "status": c.get_status_display(), "status_code": c.status,
    } for c in cases]


def counts_of(problems: list[dict], clues: list[dict], cases: list[dict]) -> dict:
    live = [p for p in problems if p["status_code"] != ProblemStatus.VOIDED]
    return {
        "problems": len(live),
        "problems_closed": sum(p["status_code"] == ProblemStatus.CLOSED for p in live),
        "problems_overdue": sum(bool(p["overdue"]) for p in live),
        "clues": len(clues),
        "cases": len(cases),
    }


def take_snapshot(actor, submission) -> dict:
    """The unit's ledgers as of now, seen with the actor's scope, as JSON-safe data."""
    period, unit = submission.period, submission.unit
    campaign = period.campaign
    problems = _problem_rows(actor, unit, campaign)
    clues = _clue_rows(actor, unit, campaign)
    cases = _case_rows(actor, unit, campaign)
    ledgers = ledger_rows(actor, unit)
    return to_json_safe({
        "period": {"id": period.pk, "label": period.label, "start": period.start, "end": period.end,
                   "due_date": period.due_date},
        "unit": {"id": unit.pk, "name": unit.name},
        "taken_at": timezone.now(),
        "taken_by": actor.get_username(),
        "counts": counts_of(problems, clues, cases),
        "problems": problems,
        "clues": clues,
        "cases": cases,
        # The sector ledgers' rows (专项治理台账, by ledger key), masked as on the pages: the digest covers them too.
        "ledgers": ledgers,
    })


def canonical(data) -> bytes:
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"), cls=DjangoJSONEncoder).encode()


def digest_of(data) -> str:
    return sm3(canonical(data)).hex()


def verify(submission) -> bool | None:
    """一致 (True) / 不一致 (False); None when nothing has been frozen yet. Also takes a ReturnedVersion."""
    if submission.snapshot is None or not submission.digest:
        return None
    return digest_of(submission.snapshot) == submission.digest
