"""Vetting rounds: opening one (election, region, deadline, the departments asked and who answers for each),
importing its candidate list, the negative-list pre-check, the county's reviewed decision, closing and reopening."""

from datetime import date

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from qicha.core import registry
from qicha.core.audit import EventType, record_event, snapshot
from qicha.core.errors import Invalid
from qicha.core.scope import has_permission
from qicha.core.sensitive import lookup
from qicha.core.versioning import claim_version
from qicha.core.workflow import given_version
from qicha.notify.acts import announce

from .. import importing
from ..models import Candidate, Result, RoundDepartment, RoundStatus, VettingRound
from ..workflow import ROUND_WORKFLOW
from .common import ANSWER, clean_id_number, require_manage, required_text

MAX_DEPARTMENTS = 20


def open_round(actor, *, election: str, region, deadline, departments) -> VettingRound:
    """`departments`: [(name, [accounts])] — each account must hold the 联审部门 role (vetting.answer)."""
    if region is None:
        raise Invalid(details={"region": "请选择联审地区"})
    require_manage(actor, region)
    errors: dict = {}
    election = required_text(errors, "election", election, "换届选举名称", 100)
    if not isinstance(deadline, date):
        errors["deadline"] = "请填写答复截止日期（YYYY-MM-DD）"
    elif deadline < timezone.localdate():
        errors["deadline"] = "答复截止日期不能早于今天"
    cleaned, seen = [], set()
    for index, (name, accounts) in enumerate(departments or []):
        name = (name or "").strip()
        if not name:
            continue
        if name in seen:
            errors["departments"] = f"部门“{name}”重复"
        seen.add(name)
        if len(name) > 60:
            errors["departments"] = f"部门名称“{name[:20]}…”不能超过 60 个字符"
        if not accounts:
            errors["departments"] = f"请为“{name}”指定至少一个答复账号"
        for account in accounts or []:
            if not has_permission(account, ANSWER):
                errors["departments"] = f"账号“{account.username}”没有“联审部门”角色，不能为“{name}”答复"
        cleaned.append((index, name, list(accounts or [])))
    if not cleaned and "departments" not in errors:
        errors["departments"] = "请至少指定一个联审部门"
    if len(cleaned) > MAX_DEPARTMENTS:
        errors["departments"] = f"一个批次最多 {MAX_DEPARTMENTS} 个联审部门"
    if errors:
        raise Invalid(details=errors)
    with transaction.atomic():
        round_ = VettingRound.objects.create(election=election, region=region, deadline=deadline, opened_by=actor)
        created = []
        for position, name, accounts in cleaned:
            department = RoundDepartment.objects.create(round=round_, name=name, position=position)
            department.accounts.set(accounts)
            created.append(department)
        record_event(EventType.CREATE, actor=actor, obj=round_, action="open_round",
                     after=snapshot(round_, ["election", "region", "deadline"]) | {
                         "departments": {d.name: [a.username for a in d.accounts.all()] for d in created}})
        for department in created:
            announce("vetting_department", actor, department, "open")
    return round_


def _require_open(round_: VettingRound) -> None:
    if round_.status != RoundStatus.OPEN:
        raise Invalid("该联审批次已结束，不能再修改。")


def import_candidates(actor, round_: VettingRound, data: bytes, file_name: str) -> int:
    """The candidate list, all or none: every row checked (identity number, duplicates in the file and in the
    round); located errors raise ImportRejected and nothing is written."""
    require_manage(actor, round_.region)
    _require_open(round_)
    sheet = importing.read(data, file_name, importing.CANDIDATE_COLUMNS)
    existing = set(round_.candidates.values_list("id_number_index", flat=True))
    first_seen: dict[str, int] = {}
    rows = []
    for row in sheet.rows:
        raw = row.values.get("id_number")
        if raw and not any(e.column == sheet.column_name("id_number") for e in row.errors):
            try:
                number = clean_id_number(raw)
            except Invalid as exc:
                sheet.error_at(row, "id_number", exc.message)
                continue
            index = lookup("id_number", number)
            if index in existing:
                sheet.error_at(row, "id_number", "该身份证号的候选人已在本批次中，不能重复导入")
            elif index in first_seen:
                sheet.error_at(row, "id_number", f"与第{first_seen[index]}行的身份证号重复")
            else:
                first_seen[index] = row.number
            rows.append((row, number))
    if sheet.errors:
        raise importing.ImportRejected(sheet.errors, "候选人")
    with transaction.atomic():
        start = (round_.candidates.aggregate(n=Max("number"))["n"] or 0) + 1
        created = []
        for offset, (row, number) in enumerate(rows):
            values = row.values
            candidate = Candidate(round=round_, number=start + offset, village=values["village"], name=values["name"],
                                  id_number=number, post=values["post"],
                                  party_member=bool(values.get("party_member")), serving=bool(values.get("serving")))
            candidate.save()
            created.append(candidate)
        record_event(EventType.IMPORT, actor=actor, obj=round_, action="import_candidates",
                     after={"file": file_name, "rows": len(created)},
                     detail=f"导入联审候选人 {len(created)} 名（{file_name}）")
    return len(created)


def precheck_round(actor, round_: VettingRound) -> int:
    """Ask every registered negative-list holder about the round's candidates; the hits are kept on each candidate
    as 比对提示 for the departments. Returns how many candidates were hit."""
    require_manage(actor, round_.region)
    _require_open(round_)
    candidates = list(round_.candidates.all())
    hits_by_number = _hits([c.id_number.clear() for c in candidates])
    hit = 0
    with transaction.atomic():
        for candidate in candidates:
            found = hits_by_number.get(candidate.id_number.clear(), [])
            hit += bool(found)
            if found != candidate.precheck_hits:
                Candidate.objects.filter(pk=candidate.pk).update(precheck_hits=found)
        VettingRound.objects.filter(pk=round_.pk).update(prechecked_at=timezone.now())
        record_event(EventType.UPDATE, actor=actor, obj=round_, action="precheck",
                     after={"candidates": len(candidates), "hits": hit},
                     detail=f"负面清单比对：{len(candidates)} 名候选人，{hit} 名有比对提示")
    return hit


def _hits(numbers: list[str]) -> dict[str, list[dict]]:
    found: dict[str, list[dict]] = {}
    for item in registry.check_negative_lists(numbers):
        entry = {"ground": item.ground, "source": item.source}
        if entry not in found.setdefault(item.id_number, []):
            found[item.id_number].append(entry)
    return found


def record_decision(actor, candidate: Candidate, *, decision: str, reason: str, version) -> Candidate:
    """The county's reviewed decision (复核决定), which stands over the departments' answers; '' withdraws it."""
    round_ = candidate.round
    require_manage(actor, round_.region)
    _require_open(round_)
    errors = {}
    if decision not in ("", Result.PASS, Result.FAIL):
        errors["decision"] = "复核决定只能是“通过”或“不通过”"
    reason = (reason or "").strip()
    if not reason:
        errors["reason"] = "请填写复核理由"
    if errors:
        raise Invalid(details=errors)
    version = given_version(version, candidate)
    before = snapshot(candidate, ["decision", "decision_reason"])
    with transaction.atomic():
        claim_version(candidate, version)
        candidate.decision, candidate.decision_reason = decision, reason
        candidate.decided_by, candidate.decided_at = actor, timezone.now()
        candidate.save(update_fields=["decision", "decision_reason", "decided_by", "decided_at"])
        record_event(EventType.UPDATE, actor=actor, obj=candidate, action="decide", before=before,
                     after=snapshot(candidate, ["decision", "decision_reason"]), detail=reason)
    return candidate


@ROUND_WORKFLOW.act("close")
def close_round(actor, round_: VettingRound, *, version) -> VettingRound:
    step = ROUND_WORKFLOW.begin(actor, round_, "close")
    step.apply(version=version, fields={"closed_at": timezone.now()})
    return round_


@ROUND_WORKFLOW.act("reopen")
def reopen_round(actor, round_: VettingRound, *, version, reason: str = "") -> VettingRound:
    step = ROUND_WORKFLOW.begin(actor, round_, "reopen")
    reason = (reason or "").strip()
    if not reason:
        raise Invalid(details={"reason": "请填写重新开放的理由"})
    step.apply(version=version, fields={"closed_at": None}, detail=reason)
    return round_
