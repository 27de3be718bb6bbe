"""What happens to a clue after intake: one named act per row of CLUE_WORKFLOW (assignment, verification,
follow-ups, replies, return, close, 提级复核 and its re-review)."""

import datetime

from django.db import transaction
from django.utils import timezone

from qicha.core.audit import EventType, history_of
from qicha.core.choices import choice_error
from qicha.core.errors import Conflict, Invalid, NotFound
from qicha.core.scope import can_act_on
from qicha.orgs.models import Unit, User
from qicha.problems import services as problem_services
from qicha.problems.models import RectificationType
from qicha.problems.models import Source as ProblemSource
from qicha.problems.numbers import format_problem_no

from ..models import FollowUp, FollowUpKind, Reply, ReplyChannel, ReReview, Result, Source, Status
from ..workflow import CLUE_WORKFLOW


def _required(value, field: str, message: str, errors: dict) -> str:
    text = (value or "").strip() if isinstance(value, str) else value
    if not text:
        errors[field] = message
    return text


W = CLUE_WORKFLOW


@W.act("assign")
def assign_clue(actor, clue, *, version: int, unit: Unit | None = None, handler: User | None = None):
    """分办 to a unit in the actor's scope, optionally to one of its people."""
    step = W.begin(actor, clue, "assign")
    if unit is None:
        raise Invalid("请选择承办单位。", {"unit": "请选择承办单位"})
    if not can_act_on(actor, "clue.assign", unit):
        raise Invalid(details={"unit": "承办单位不在您的数据权限范围内"})
    if handler is not None and (not handler.is_active or handler.unit is None or not handler.unit.path.startswith(unit.path)):
        raise Invalid(details={"handler": f"承办人须是“{unit.name}”（含下属单位）的在岗人员"})
    detail = f"分办至{unit.name}" + (f"，承办人 {handler.display_name}" if handler else "")
    step.apply(version=version, detail=detail, fields={"unit": unit, "handler": handler, "return_reason": ""})
    return clue


@W.act("start")
def start_clue(actor, clue, *, version: int):
    """开始核查."""
    W.begin(actor, clue, "start").apply(version=version)
    return clue


@W.act("report_result")
def report_clue_result(actor, clue, *, version: int, result: str = "", findings: str = ""):
    """报告核查结论."""
    step = W.begin(actor, clue, "report_result")
    errors = {}
    if result not in Result.values:
        errors["result"] = choice_error("核查结论", Result)
    findings = _required(findings, "findings", "请填写核查情况", errors)
    if errors:
        raise Invalid(details=errors)
    step.apply(version=version, detail=f"{Result(result).label}：{findings}",
               fields={"result": result, "findings": findings, "verified_at": timezone.now(), "return_reason": ""})
    return clue


def _parse_day(value, field: str, label: str, errors: dict, clue=None):
    if not isinstance(value, datetime.date):
        errors[field] = f"请填写{label}（YYYY-MM-DD）"
        return None
    if value > timezone.localdate() and field != "deadline":
        errors[field] = f"{label}不能晚于今天"
    elif clue is not None and value < clue.received_date:
        errors[field] = f"{label}不能早于线索受理日期（{clue.received_date:%Y-%m-%d}）"
    return value


@W.act("record_follow_up")
def record_clue_follow_up(actor, clue, *, version: int, kind: str = "", date: datetime.date | None = None,
                          document_no: str = "", note: str = "", measures: str = "",
                          deadline: datetime.date | None = None) -> FollowUp:
    """登记后续处置; a 整改 follow-up opens a problem on the clue's unit."""
    step = W.begin(actor, clue, "record_follow_up")
    errors = {}
    if kind not in FollowUpKind.values:
        errors["kind"] = choice_error("处置方式", FollowUpKind)
    day = _parse_day(date, "date", "处置日期", errors, clue)
    document_no = _required(document_no, "document_no", "请填写文号", errors)
    if len(document_no or "") > 80:
        errors["document_no"] = "文号不能超过 80 个字"
    note = (note or "").strip()
    if kind == FollowUpKind.RECTIFICATION:
        measures = _required(measures, "measures", "整改须填写整改措施", errors)
        if not isinstance(deadline, datetime.date):
            errors["deadline"] = "整改须填写整改时限（YYYY-MM-DD）"
        if clue.unit_id is None:
            errors["kind"] = "线索尚未分办到单位，不能开启整改"
    if errors:
        raise Invalid(details=errors)
    with transaction.atomic():
        problem = None
        if kind == FollowUpKind.RECTIFICATION:
            # The problem then runs the problem ledger's course.
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
        step.apply(version=version,
                   after_extra={"kind": kind, "date": day, "document_no": document_no, "problem": problem and problem.pk},
                   detail=f"{FollowUpKind(kind).label}（{document_no}）"
                          + (f"，开启整改问题 {format_problem_no(problem.pk)}" if problem else ""))
    return follow_up


@W.act("record_reply")
def record_clue_reply(actor, clue, *, version: int, date: datetime.date | None = None, channel: str = "",
                      content: str = "", reporter_response: str = "", soothing: str = "") -> Reply:
    """登记答复 to the reporter (a real-name report needs one before it closes)."""
    step = W.begin(actor, clue, "record_reply")
    errors = {}
    day = _parse_day(date, "date", "答复日期", errors, clue)
    if channel not in ReplyChannel.values:
        errors["channel"] = choice_error("答复方式", ReplyChannel)
    response = _required(reporter_response, "reporter_response", "请填写举报人（家属）的反馈", errors)
    if errors:
        raise Invalid(details=errors)
    with transaction.atomic():
        reply = Reply.objects.create(clue=clue, date=day, channel=channel, content=(content or "").strip(),
                                     reporter_response=response, soothing=(soothing or "").strip(), created_by=actor)
        step.apply(version=version, after_extra={"date": day, "channel": channel},
                   detail=f"{ReplyChannel(channel).label}：{response}")
    return reply


@W.act("return")
def return_clue(actor, clue, *, version: int, reason: str = ""):
    """退回重核, with the reason."""
    step = W.begin(actor, clue, "return")
    errors = {}
    reason = _required(reason, "reason", "请填写退回理由", errors)
    if errors:
        raise Invalid("请填写退回理由。", errors)
    step.apply(version=version, detail=reason, fields={"return_reason": reason})
    return clue


FOLLOW_THROUGH = (Result.TRUE, Result.PARTLY_TRUE)


@W.act("close")
def close_clue(actor, clue, *, version: int, opinion: str = "", no_follow_up_reason: str = ""):
    """办结销号 (a real-name report must have been answered first; a clue verified 属实 or 部分属实 needs at least
    one 后续处置, or a stated reason why none)."""
    step = W.begin(actor, clue, "close")
    if clue.real_name and not clue.replies.exists():
        raise Invalid("实名举报须先登记答复（答复日期、方式、举报人反馈），方可办结销号。",
                      {"reply": "实名举报尚未答复"})
    no_follow_up_reason = (no_follow_up_reason or "").strip()
    fields = {"closed_at": timezone.now()}
    if clue.result in FOLLOW_THROUGH and not clue.follow_ups.exists():
        if not no_follow_up_reason:
            label = Result(clue.result).label
            raise Invalid(f"核查结论为“{label}”的线索须先登记后续处置（移送、立案、整改等），"
                          "或说明不作后续处置的理由，方可办结销号。",
                          {"no_follow_up_reason": "尚未登记后续处置：请先登记，或填写不作后续处置的理由"})
        fields["no_follow_up_reason"] = no_follow_up_reason
    opinion = (opinion or "").strip()
    step.apply(version=version, fields=fields,
               detail=opinion + (f"（未作后续处置：{no_follow_up_reason}）" if "no_follow_up_reason" in fields else ""))
    return clue


@W.act("escalate")
def escalate_clue(actor, clue, *, version: int, reason: str = ""):
    """提级复核: the matter goes to the higher office."""
    return _escalate(W.begin(actor, clue, "escalate"), clue, version=version, reason=reason)


def escalate_by_rule(actor, clue, *, version: int, reason: str, link=None, unit: Unit | None = None):
    """提级复核 by the repeat rule on its own: the rule acts, so no permission is asked of `actor` (who registered
    the repeat); otherwise the same path. Not in the table's acts: no page or API request can reach it. `link` is
    the repeat link that called for it; `unit`, the unit the unassigned clue goes to (without a handler)."""
    fields = {"unit": unit, "handler": None} if unit is not None else {}
    return _escalate(W.begin(actor, clue, "escalate", system=True), clue, version=version, reason=reason, link=link,
                     fields=fields)


def _escalate(step, clue, *, version: int, reason: str, link=None, fields: dict | None = None):
    actor = step.actor
    reason = (reason or "").strip()
    if not reason:
        raise Invalid("请填写提级复核的理由。", {"reason": "请填写提级理由"})
    prior = {"prior_status": clue.status, "prior_unit_id": clue.unit_id, "prior_handler_id": clue.handler_id}
    with transaction.atomic():
        step.apply(version=version, detail=reason, fields=fields)
        ReReview.objects.create(clue=clue, reason=reason, requested_by=actor, link=link, **prior)
    return clue


def open_re_review(clue) -> ReReview | None:
    """The re-review under way (neither answered nor withdrawn), the latest if several."""
    return (clue.re_reviews.filter(reviewed_at__isnull=True, withdrawn_at__isnull=True)
            .order_by("-requested_at", "-pk").first())


@W.act("withdraw_escalation")
def withdraw_escalation(actor, clue, *, version: int, reason: str = ""):
    """撤销提级复核: a mistaken escalation undone. The clue returns to the status, unit and handler it had before,
    the re-review is marked withdrawn (kept, with who and why), and the people it had reached are told."""
    step = W.begin(actor, clue, "withdraw_escalation")
    errors = {}
    reason = _required(reason, "reason", "请填写撤销提级复核的理由", errors)
    if errors:
        raise Invalid("请填写撤销提级复核的理由。", errors)
    review = open_re_review(clue)
    prior = _prior_state(clue, review)
    if prior is None:
        raise Invalid("无法确定该线索提级复核前的状态，不能撤销；请由复核人员提交复核结论。")
    status, unit_id, handler_id = prior
    with transaction.atomic():
        if review is not None:
            updated = ReReview.objects.filter(pk=review.pk, reviewed_at__isnull=True, withdrawn_at__isnull=True).update(
                withdrawn_reason=reason, withdrawn_by=actor, withdrawn_at=timezone.now())
            if not updated:
                raise Conflict("该提级复核已被他人处理，请刷新页面。")
        step.apply(version=version, target=status, detail=f"恢复为“{Status(status).label}”。{reason}",
                   fields={"unit": Unit.objects.filter(pk=unit_id).first(),
                           "handler": User.objects.filter(pk=handler_id).first()})
    return clue


def _prior_state(clue, review) -> tuple[str, int | None, int | None] | None:
    """Status, unit and handler before the escalation: as the re-review stored them, or (a re-review from before
    they were stored) as the escalation's audit event recorded the status, keeping the unit and handler."""
    if review is not None and review.prior_status:
        return review.prior_status, review.prior_unit_id, review.prior_handler_id
    event = history_of(clue).filter(action="escalate", event_type=EventType.TRANSITION).last()
    status = (event.before or {}).get("status") if event else None
    if status not in W.get("withdraw_escalation").target:
        return None
    return status, clue.unit_id, clue.handler_id


@W.act("record_review")
def record_clue_review(actor, clue, *, version: int, result: str = "", findings: str = ""):
    """提交复核结论: the re-review's result becomes the clue's."""
    step = W.begin(actor, clue, "record_review")
    errors = {}
    if result not in Result.values:
        errors["result"] = "请选择复核结论（属实、部分属实、不属实、查无实据）"
    findings = _required(findings, "findings", "请填写复核情况", errors)
    if errors:
        raise Invalid(details=errors)
    now = timezone.now()
    with transaction.atomic():
        review = open_re_review(clue)
        if review is None:
            review = ReReview.objects.create(clue=clue, reason="（未记录提级理由）", requested_by=actor)
        ReReview.objects.filter(pk=review.pk).update(result=result, findings=findings, reviewed_by=actor, reviewed_at=now)
        step.apply(version=version, detail=f"复核结论：{Result(result).label}。{findings}",
                   fields={"result": result, "findings": findings, "verified_at": now, "return_reason": ""})
    return clue
