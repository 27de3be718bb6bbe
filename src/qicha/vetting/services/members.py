"""基层组织问题成员台账: a member found with a problem is registered (by hand, from a 不通过 candidate who is serving,
or from a cleared 回头看 member), and the row is complete once the post is refilled (补齐配强)."""

from datetime import date

from django.db import transaction
from django.utils import timezone

from qicha.core.audit import EventType, record_event, snapshot
from qicha.core.errors import Invalid
from qicha.core.versioning import claim_version
from qicha.core.workflow import given_version

from .. import queries
from ..models import (
    Candidate,
    Ground,
    MemberAction,
    MemberSource,
    ProblemMember,
    Result,
    ReviewMember,
    Verdict,
)
from .common import clean_id_number, require_manage, required_text

FIELDS = ["village", "name", "post", "problem", "ground", "source", "action", "cleaned_on", "refill_name",
          "refilled_on"]


def validate_member(fields: dict) -> dict:
    errors: dict = {}
    clean = {
        "village": required_text(errors, "village", fields.get("village"), "村（社区）", 100),
        "name": required_text(errors, "name", fields.get("name"), "姓名", 50),
        "post": required_text(errors, "post", fields.get("post"), "职务", 60),
        "problem": required_text(errors, "problem", fields.get("problem"), "存在问题", 2000),
    }
    try:
        clean["id_number"] = clean_id_number(fields.get("id_number") or "")
    except Invalid as exc:
        errors["id_number"] = exc.message
    ground = fields.get("ground") or ""
    if ground and ground not in Ground.values:
        errors["ground"] = "请选择问题类别"
    clean["ground"] = ground
    if fields.get("source") not in MemberSource.values:
        errors["source"] = "请选择来源（联审、回头看、举报、案件）"
    clean["source"] = fields.get("source")
    if fields.get("action") not in MemberAction.values:
        errors["action"] = "请选择处置方式"
    clean["action"] = fields.get("action")
    cleaned_on = fields.get("cleaned_on")
    if not isinstance(cleaned_on, date):
        errors["cleaned_on"] = "请填写清理日期"
    elif cleaned_on > timezone.localdate():
        errors["cleaned_on"] = "清理日期不能晚于今天"
    clean["cleaned_on"] = cleaned_on
    if errors:
        raise Invalid(details=errors)
    return clean


def register_member(actor, *, region, fields: dict, candidate=None, review_member=None) -> ProblemMember:
    if region is None:
        raise Invalid(details={"region": "请选择所属地区"})
    require_manage(actor, region)
    clean = validate_member(fields)
    with transaction.atomic():
        member = ProblemMember.objects.create(region=region, created_by=actor, candidate=candidate,
                                              review_member=review_member, **clean)
        record_event(EventType.CREATE, actor=actor, obj=member, action="register_member",
                     after=snapshot(member, FIELDS[:-2]) | {"candidate": getattr(candidate, "pk", None),
                                                            "review_member": getattr(review_member, "pk", None)})
    return member


def member_from_candidate(actor, candidate: Candidate, *, action: str, cleaned_on: date | None = None) -> ProblemMember:
    """One click: a 不通过 candidate who is a serving member lands in the ledger with the departments' grounds."""
    departments, rows = queries.matrix(candidate.round)
    row = next(r for r in rows if r.candidate.pk == candidate.pk)
    if row.result != Result.FAIL:
        raise Invalid("只有联审结果为“不通过”的候选人才能纳入问题成员台账。")
    if not candidate.serving:
        raise Invalid("该候选人不是现任村“两委”成员，无需纳入问题成员台账。")
    if ProblemMember.objects.filter(candidate=candidate).exists():
        raise Invalid("该候选人已在问题成员台账中。")
    objections = [(d.name, o) for d, o in zip(departments, row.cells, strict=True)
                  if o is not None and o.verdict == Verdict.OBJECTION]
    problem = "；".join(f"{name}：{o.text}" for name, o in objections) or f"县级联审复核不通过：{candidate.decision_reason}"
    ground = objections[0][1].ground if objections else ""
    fields = {"village": candidate.village, "name": candidate.name, "id_number": candidate.id_number.clear(),
              "post": candidate.post, "problem": f"{candidate.round.election}联审不通过。{problem}"[:2000],
              "ground": ground, "source": MemberSource.VETTING, "action": action,
              "cleaned_on": cleaned_on or timezone.localdate()}
    return register_member(actor, region=candidate.round.region, fields=fields, candidate=candidate)


def member_from_review(actor, review_member: ReviewMember, *, action: str) -> ProblemMember:
    hits = "；".join(f"{h['source']}：{h['ground']}" for h in review_member.precheck_hits)
    fields = {"village": review_member.village, "name": review_member.name,
              "id_number": review_member.id_number.clear(), "post": review_member.post,
              "problem": f"{review_member.term}年联审“回头看”清理：{review_member.reason}{'（比对提示：' + hits + '）' if hits else ''}"[:2000],
              "source": MemberSource.REVIEW, "action": action, "cleaned_on": timezone.localdate()}
    return register_member(actor, region=review_member.region, fields=fields, review_member=review_member)


def record_refill(actor, member: ProblemMember, *, refill_name: str, refilled_on, version) -> ProblemMember:
    """补齐配强: who took the post and when; the row is then complete."""
    require_manage(actor, member.region)
    errors: dict = {}
    refill_name = required_text(errors, "refill_name", refill_name, "补齐人员", 50)
    if not isinstance(refilled_on, date):
        errors["refilled_on"] = "请填写补齐日期"
    elif refilled_on > timezone.localdate():
        errors["refilled_on"] = "补齐日期不能晚于今天"
    elif refilled_on < member.cleaned_on:
        errors["refilled_on"] = "补齐日期不能早于清理日期"
    if errors:
        raise Invalid(details=errors)
    version = given_version(version, member)
    before = snapshot(member, ["refill_name", "refilled_on"])
    with transaction.atomic():
        claim_version(member, version)
        member.refill_name, member.refilled_on = refill_name, refilled_on
        member.save(update_fields=["refill_name", "refilled_on"])
        record_event(EventType.UPDATE, actor=actor, obj=member, action="refill", before=before,
                     after=snapshot(member, ["refill_name", "refilled_on"]))
    return member
