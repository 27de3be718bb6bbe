"""The status changes of a problem: one named act per row of the transition table (problems/workflow.py)."""

from django.db import IntegrityError, transaction

from qicha.core.attachments import own_unlinked
from qicha.core.errors import Conflict, Invalid

from ..models import SIX_CHECKS, Problem, SignOff
from ..workflow import PROBLEM_WORKFLOW

W = PROBLEM_WORKFLOW


def _reason(reason, label: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise Invalid(f"请填写{label}。", {"reason": f"请填写{label}"})
    return reason


@W.act("start")
def start_problem(actor, problem: Problem, *, version: int) -> Problem:
    """开始整改."""
    W.begin(actor, problem, "start").apply(version=version)
    return problem


@W.act("submit")
def submit_problem(actor, problem: Problem, *, version: int) -> Problem:
    """申请销号: needs at least one progress entry with evidence attached."""
    step = W.begin(actor, problem, "submit")
    if not problem.progress_entries.filter(attachments__isnull=False).exists():
        raise Invalid("申请销号前，请至少填报一条附有佐证材料的整改进展。", {"evidence": "缺少佐证材料"})
    step.apply(version=version, fields={"return_reason": ""})
    return problem


@W.act("return")
def return_problem(actor, problem: Problem, *, version: int, reason: str = "") -> Problem:
    """退回: the office sends the request back, with its reason."""
    step = W.begin(actor, problem, "return")
    reason = _reason(reason, "退回理由")
    step.apply(version=version, fields={"return_reason": reason}, detail=reason)
    return problem


@W.act("sign_off")
def sign_off_problem(actor, problem: Problem, *, version: int, checks: dict | None = None, opinion: str = "",
                     attachment_ids=()) -> Problem:
    """销号: the 六个不放过 each confirmed, with the office's opinion (and optional files)."""
    step = W.begin(actor, problem, "sign_off")
    checks = checks or {}
    missing = [label for key, label in SIX_CHECKS.items() if checks.get(key) is not True]
    errors = {}
    if not problem.responsible_person_name.strip():
        errors["checks"] = "该问题尚未明确责任人，不能确认“责任落实”：请先在整改方案中填写责任人。"
    elif missing:
        errors["checks"] = f"以下“不放过”尚未确认：{'、'.join(missing)}。"
    opinion = (opinion or "").strip()
    if not opinion:
        errors["opinion"] = "请填写销号意见。"
    if errors:
        raise Invalid("销号条件未满足。", errors)
    attachments = own_unlinked(actor, list(attachment_ids or []))
    with transaction.atomic():
        step.apply(version=version, detail=opinion)
        try:
            with transaction.atomic():
                sign_off = SignOff.objects.create(problem=problem, checks=checks, opinion=opinion, signed_by=actor)
        except IntegrityError as exc:
            raise Conflict("该问题已销号。") from exc
        sign_off.attachments.set(attachments)
    return problem


@W.act("void")
def void_problem(actor, problem: Problem, *, version: int, reason: str = "") -> Problem:
    """作废, with its reason."""
    step = W.begin(actor, problem, "void")
    reason = _reason(reason, "作废理由")
    step.apply(version=version, fields={"void_reason": reason}, detail=reason)
    return problem
