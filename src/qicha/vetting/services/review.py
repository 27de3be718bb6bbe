"""The 2019 回头看: import the members vetted then, compare them again with the negative lists, and record per
member 维持 or 清理 with the reason; a cleared member lands in the problem-member ledger."""

from django.db import transaction
from django.utils import timezone

from qicha.core.audit import EventType, record_event, snapshot
from qicha.core.errors import Invalid
from qicha.core.sensitive import lookup
from qicha.core.versioning import claim_version
from qicha.core.workflow import given_version

from .. import importing
from ..models import MemberAction, ReviewDecision, ReviewMember
from .common import clean_id_number, require_manage
from .members import member_from_review
from .rounds import _hits


def import_review_members(actor, *, region, data: bytes, file_name: str, term: str = "2019") -> int:
    if region is None:
        raise Invalid(details={"region": "请选择所属地区"})
    require_manage(actor, region)
    sheet = importing.read(data, file_name, importing.REVIEW_COLUMNS)
    existing = set(ReviewMember.objects.filter(term=term).values_list("id_number_index", flat=True))
    first_seen: dict[str, int] = {}
    ready = []
    for row in sheet.rows:
        if row.errors:
            continue
        try:
            number = clean_id_number(row.values["id_number"])
        except Invalid as exc:
            sheet.error_at(row, "id_number", exc.message)
            continue
        index = lookup("id_number", number)
        if index in existing:
            sheet.error_at(row, "id_number", f"该身份证号的成员已在{term}年回头看名单中")
        elif index in first_seen:
            sheet.error_at(row, "id_number", f"与第{first_seen[index]}行的身份证号重复")
        else:
            first_seen[index] = row.number
            ready.append((row.values, number))
    if sheet.errors:
        raise importing.ImportRejected(sheet.errors, "成员")
    with transaction.atomic():
        for values, number in ready:
            ReviewMember(region=region, term=term, village=values["village"], name=values["name"], id_number=number,
                         post=values["post"], imported_by=actor).save()
        record_event(EventType.IMPORT, actor=actor, obj=region, action="import_review_members",
                     object_repr=f"{region.name} {term}年联审成员回头看",
                     after={"file": file_name, "rows": len(ready), "term": term},
                     detail=f"导入{term}年联审成员 {len(ready)} 名（{file_name}）")
    return len(ready)


def precheck_review(actor, members) -> int:
    """Compare the given members (already scoped by the caller's query) against every negative list."""
    members = list(members)
    for region in {m.region for m in members}:
        require_manage(actor, region)
    found = _hits([m.id_number.clear() for m in members])
    now, hit = timezone.now(), 0
    with transaction.atomic():
        for member in members:
            hits = found.get(member.id_number.clear(), [])
            hit += bool(hits)
            ReviewMember.objects.filter(pk=member.pk).update(precheck_hits=hits, prechecked_at=now)
        record_event(EventType.UPDATE, actor=actor, object_type="vetting.reviewmember", action="precheck_review",
                     object_repr="回头看负面清单比对", after={"members": len(members), "hits": hit},
                     detail=f"回头看比对：{len(members)} 名成员，{hit} 名有比对提示")
    return hit


def decide_review(actor, member: ReviewMember, *, decision: str, reason: str, version, action: str = ""):
    """维持 or 清理 (with the reason); 清理 needs the action taken and puts the member in the ledger."""
    require_manage(actor, member.region)
    errors = {}
    if decision not in ReviewDecision.values:
        errors["decision"] = "请选择“维持”或“清理”"
    reason = (reason or "").strip()
    if not reason:
        errors["reason"] = "请填写理由"
    if decision == ReviewDecision.CLEAR and action not in MemberAction.values:
        errors["action"] = "清理的，请选择处置方式（罢免、责令辞职、劝退、暂停职务 …）"
    if member.decision == ReviewDecision.CLEAR:
        errors["decision"] = "该成员已清理，结论不能再改"
    if errors:
        raise Invalid(details=errors)
    version = given_version(version, member)
    before = snapshot(member, ["decision", "reason"])
    with transaction.atomic():
        claim_version(member, version)
        member.decision, member.reason = decision, reason
        member.decided_by, member.decided_at = actor, timezone.now()
        member.save(update_fields=["decision", "reason", "decided_by", "decided_at"])
        record_event(EventType.UPDATE, actor=actor, obj=member, action="decide_review", before=before,
                     after=snapshot(member, ["decision", "reason"]), detail=reason)
        if decision == ReviewDecision.CLEAR:
            member_from_review(actor, member, action=action)
    return member
