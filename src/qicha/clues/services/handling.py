"""What happens to a clue after intake: assignment, verification, follow-ups, replies, return, close, re-review."""

from datetime import date

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from qicha.core.audit import EventType, record_event
from qicha.core.errors import Conflict, Invalid, NotFound
from qicha.core.scope import can_act_on
from qicha.orgs.models import Unit, User
from qicha.problems import services as problem_services
from qicha.problems.models import RectificationType
from qicha.problems.models import Source as ProblemSource
from qicha.problems.numbers import format_problem_no

from ..models import FollowUp, FollowUpKind, Reply, ReplyChannel, ReReview, Result, Source
from ..workflow import CLUE_WORKFLOW


def _required(value, field: str, message: str, errors: dict) -> str:
    text = (value or "").strip() if isinstance(value, str) else value
    if not text:
        errors[field] = message
    return text


def _move(actor, clue, transition, *, version, detail: str = "", **fields) -> None:
    """Compare-and-set the status (and version when given), then audit. Call inside a transaction."""
    claim = type(clue).objects.filter(pk=clue.pk, status=clue.status)
    if version is not None:
        claim = claim.filter(version=version)
    if not claim.update(status=transition.target, version=F("version") + 1, **fields):
        raise Conflict("该线索已被他人处理，请刷新页面查看最新状态。")
    before = clue.status
    for name, value in fields.items():
        setattr(clue, name, value)
    clue.status = transition.target
    clue.version = type(clue).objects.values_list("version", flat=True).get(pk=clue.pk)
    record_event(EventType.TRANSITION, actor=actor, obj=clue, action=transition.action,
                 before={"status": before}, after={"status": clue.status, **_loggable(fields)}, detail=detail)


def _loggable(fields: dict) -> dict:
    return {k: (v.pk if hasattr(v, "pk") else v.isoformat() if hasattr(v, "isoformat") else v)
            for k, v in fields.items() if v is not None}


def _touch(actor, clue, action: str, version, *, after: dict, detail: str = "") -> None:
    """Actions that record something without a status change still bump the version (others see it moved)."""
    claim = type(clue).objects.filter(pk=clue.pk, status=clue.status)
    if version is not None:
        claim = claim.filter(version=version)
    if not claim.update(version=F("version") + 1):
        raise Conflict("该线索已被他人处理，请刷新页面查看最新状态。")
    clue.version = type(clue).objects.values_list("version", flat=True).get(pk=clue.pk)
    record_event(EventType.UPDATE, actor=actor, obj=clue, action=action, after=after, detail=detail)


def escalate_clue(actor, clue, reason: str, *, version=None, system: bool = False) -> None:
    """提级复核: the matter goes to the higher office. `system` when the repeat rule escalates on its own."""
    transition = CLUE_WORKFLOW.get("escalate") if system else CLUE_WORKFLOW.check_transition(actor, clue, "escalate")
    reason = (reason or "").strip()
    if not reason:
        raise Invalid("请填写提级复核的理由。", {"reason": "请填写提级理由"})
    _move(actor, clue, transition, version=version, detail=reason)
    ReReview.objects.create(clue=clue, reason=reason, requested_by=actor)


def perform_action(actor, clue, action: str, *, version: int | None = None, **data):
    """Carry out one action of the clue table; `data` holds what that action needs (see workflow.py)."""
    transition = CLUE_WORKFLOW.check_transition(actor, clue, action)
    handler = {
        "assign": _assign, "start": _start, "report_result": _report_result, "record_follow_up": _record_follow_up,
        "record_reply": _record_reply, "return": _return, "close": _close, "escalate": _escalate,
        "record_review": _record_review,
    }[action]
    with transaction.atomic():
        return handler(actor, clue, transition, version, data)


def _assign(actor, clue, transition, version, data):
    unit: Unit | None = data.get("unit")
    handler: User | None = data.get("handler")
    if unit is None:
        raise Invalid("请选择承办单位。", {"unit": "请选择承办单位"})
    if not can_act_on(actor, "clue.assign", unit):
        raise Invalid(details={"unit": "承办单位不在您的数据权限范围内"})
    if handler is not None and (not handler.is_active or handler.unit is None or not handler.unit.path.startswith(unit.path)):
        raise Invalid(details={"handler": f"承办人须是“{unit.name}”（含下属单位）的在岗人员"})
    detail = f"分办至{unit.name}" + (f"，承办人 {handler.display_name}" if handler else "")
    _move(actor, clue, transition, version=version, detail=detail, unit=unit, handler=handler, return_reason="")
    return clue


def _start(actor, clue, transition, version, data):
    _move(actor, clue, transition, version=version)
    return clue


def _report_result(actor, clue, transition, version, data):
    errors = {}
    result = data.get("result")
    if result not in Result.values:
        errors["result"] = "请选择核查结论（属实、部分属实、不属实、查无实据）"
    findings = _required(data.get("findings"), "findings", "请填写核查情况", errors)
    if errors:
        raise Invalid(details=errors)
    _move(actor, clue, transition, version=version, detail=f"{Result(result).label}：{findings}",
          result=result, findings=findings, verified_at=timezone.now(), return_reason="")
    return clue


def _parse_day(value, field: str, label: str, errors: dict, clue=None):
    if not isinstance(value, date):
        errors[field] = f"请填写{label}（YYYY-MM-DD）"
        return None
    if value > timezone.localdate() and field != "deadline":
        errors[field] = f"{label}不能晚于今天"
    elif clue is not None and value < clue.received_date:
        errors[field] = f"{label}不能早于线索受理日期（{clue.received_date:%Y-%m-%d}）"
    return value


def _record_follow_up(actor, clue, transition, version, data):
    errors = {}
    kind = data.get("kind")
    if kind not in FollowUpKind.values:
        errors["kind"] = "请选择处置方式（移送公安、移送纪检监察、立案、整改、其他）"
    day = _parse_day(data.get("date"), "date", "处置日期", errors, clue)
    document_no = _required(data.get("document_no"), "document_no", "请填写文号", errors)
    if len(document_no or "") > 80:
        errors["document_no"] = "文号不能超过 80 个字"
    note = (data.get("note") or "").strip()
    if kind == FollowUpKind.RECTIFICATION:
        measures = _required(data.get("measures"), "measures", "整改须填写整改措施", errors)
        deadline = data.get("deadline")
        if not isinstance(deadline, date):
            errors["deadline"] = "整改须填写整改时限（YYYY-MM-DD）"
        if clue.unit_id is None:
            errors["kind"] = "线索尚未分办到单位，不能开启整改"
    if errors:
        raise Invalid(details=errors)
    problem = None
    if kind == FollowUpKind.RECTIFICATION:
        # A 整改 follow-up opens a problem on the clue's unit, which then runs the problem ledger's course.
        source = ProblemSource.PUBLIC_REPORT if clue.source == Source.PUBLIC_REPORT else ProblemSource.ASSIGNED
        try:
            problem = problem_services.register_problem(
                actor, campaign=clue.campaign, unit=clue.unit, source=source,
                description=f"【线索{clue.reference_no or '#' + str(clue.pk)}整改】{note or clue.findings or clue.content}",
                rectification_type=RectificationType.IMMEDIATE, measures=measures, deadline=deadline,
            )
        except NotFound as exc:
            raise Invalid("您无权在该单位登记整改问题，请由单位联络员登记整改。", {"kind": "无权登记整改问题"}) from exc
    follow_up = FollowUp.objects.create(clue=clue, kind=kind, date=day, document_no=document_no, note=note,
                                        problem=problem, created_by=actor)
    _touch(actor, clue, "record_follow_up", version,
           after={"kind": kind, "date": day.isoformat(), "document_no": document_no, "problem": problem and problem.pk},
           detail=f"{FollowUpKind(kind).label}（{document_no}）" + (f"，开启整改问题 {format_problem_no(problem.pk)}" if problem else ""))
    return follow_up


def _record_reply(actor, clue, transition, version, data):
    errors = {}
    day = _parse_day(data.get("date"), "date", "答复日期", errors, clue)
    channel = data.get("channel")
    if channel not in ReplyChannel.values:
        errors["channel"] = "请选择答复方式（当面、电话、书面、其他）"
    response = _required(data.get("reporter_response"), "reporter_response", "请填写举报人（家属）的反馈", errors)
    if errors:
        raise Invalid(details=errors)
    reply = Reply.objects.create(clue=clue, date=day, channel=channel, content=(data.get("content") or "").strip(),
                                 reporter_response=response, soothing=(data.get("soothing") or "").strip(),
                                 created_by=actor)
    _touch(actor, clue, "record_reply", version,
           after={"date": day.isoformat(), "channel": channel}, detail=f"{ReplyChannel(channel).label}：{response}")
    return reply


def _return(actor, clue, transition, version, data):
    errors = {}
    reason = _required(data.get("reason"), "reason", "请填写退回理由", errors)
    if errors:
        raise Invalid("请填写退回理由。", errors)
    _move(actor, clue, transition, version=version, detail=reason, return_reason=reason)
    return clue


def _close(actor, clue, transition, version, data):
    if clue.real_name and not clue.replies.exists():
        raise Invalid("实名举报须先登记答复（答复日期、方式、举报人反馈），方可办结销号。",
                      {"reply": "实名举报尚未答复"})
    _move(actor, clue, transition, version=version, detail=(data.get("opinion") or "").strip(), closed_at=timezone.now())
    return clue


def _escalate(actor, clue, transition, version, data):
    escalate_clue(actor, clue, data.get("reason") or "", version=version)
    return clue


def _record_review(actor, clue, transition, version, data):
    errors = {}
    result = data.get("result")
    if result not in Result.values:
        errors["result"] = "请选择复核结论（属实、部分属实、不属实、查无实据）"
    findings = _required(data.get("findings"), "findings", "请填写复核情况", errors)
    if errors:
        raise Invalid(details=errors)
    review = clue.re_reviews.filter(reviewed_at__isnull=True).order_by("-requested_at").first()
    if review is None:
        review = ReReview.objects.create(clue=clue, reason="（未记录提级理由）", requested_by=actor)
    now = timezone.now()
    ReReview.objects.filter(pk=review.pk).update(result=result, findings=findings, reviewed_by=actor, reviewed_at=now)
    _move(actor, clue, transition, version=version, detail=f"复核结论：{Result(result).label}。{findings}",
          result=result, findings=findings, verified_at=now, return_reason="")
    return clue
