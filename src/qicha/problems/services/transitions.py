"""The status changes of a problem, each checked against the transition table."""

from django.db import IntegrityError, transaction
from django.db.models import F

from qicha.core.attachments import own_unlinked
from qicha.core.audit import EventType, record_event
from qicha.core.errors import Conflict, Invalid

from ..models import SIX_CHECKS, Problem, SignOff
from ..workflow import PROBLEM_WORKFLOW


def perform_action(actor, problem: Problem, action: str, *, version: int | None = None, reason: str = "",
                   checks: dict | None = None, opinion: str = "", attachment_ids=()) -> Problem:
    """Carry out one action of the table on a problem the actor can see."""
    transition = PROBLEM_WORKFLOW.check_transition(actor, problem, action)
    reason = (reason or "").strip()
    detail = ""
    if action == "submit":
        has_evidence = problem.progress_entries.filter(attachments__isnull=False).exists()
        if not has_evidence:
            raise Invalid("申请销号前，请至少填报一条附有佐证材料的整改进展。", {"evidence": "缺少佐证材料"})
    elif action in ("return", "void"):
        if not reason:
            label = "退回理由" if action == "return" else "作废理由"
            raise Invalid(f"请填写{label}。", {"reason": f"请填写{label}"})
        detail = reason
    elif action == "sign_off":
        checks = checks or {}
        missing = [label for key, label in SIX_CHECKS.items() if checks.get(key) is not True]
        errors = {}
        if missing:
            errors["checks"] = f"以下“不放过”尚未确认：{'、'.join(missing)}。"
        if not (opinion or "").strip():
            errors["opinion"] = "请填写销号意见。"
        if errors:
            raise Invalid("销号条件未满足。", errors)
        detail = opinion.strip()
    attachments = own_unlinked(actor, list(attachment_ids)) if action == "sign_off" else []
    with transaction.atomic():
        # Compare-and-set on status (and version when given): of two people acting at once, one wins.
        claim = Problem.objects.filter(pk=problem.pk, status=problem.status)
        if version is not None:
            claim = claim.filter(version=version)
        fields = {"status": transition.target, "version": F("version") + 1}
        if action == "return":
            fields["return_reason"] = reason
        elif action == "submit":
            fields["return_reason"] = ""
        elif action == "void":
            fields["void_reason"] = reason
        if not claim.update(**fields):
            raise Conflict("该问题已被他人处理，请刷新页面查看最新状态。")
        before_status = problem.status
        for name, value in fields.items():
            if name != "version":
                setattr(problem, name, value)
        problem.version = Problem.objects.values_list("version", flat=True).get(pk=problem.pk)
        if action == "sign_off":
            try:
                with transaction.atomic():
                    sign_off = SignOff.objects.create(problem=problem, checks=checks, opinion=opinion.strip(), signed_by=actor)
            except IntegrityError as exc:
                raise Conflict("该问题已销号。") from exc
            sign_off.attachments.set(attachments)
        record_event(
            EventType.TRANSITION, actor=actor, obj=problem, action=action,
            before={"status": before_status}, after={"status": problem.status}, detail=detail,
        )
    return problem
