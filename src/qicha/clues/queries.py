"""Every read of clues, scope applied here: list, counts, detail, candidates, board, reply rate, to-dos."""

import re
from dataclasses import dataclass, field
from datetime import date

from django.db.models import BooleanField, Case, Count, Exists, Max, OuterRef, Prefetch, Q, Value, When
from django.utils import timezone

from qicha.core.errors import Invalid, NotFound
from qicha.core.models import Attachment
from qicha.core.params import parse_id
from qicha.core.scope import has_permission, scope_filter
from qicha.core.sensitive import lookup
from qicha.orgs.models import Unit

from . import similarity
from .models import (
    UNVERIFIED_STATUSES,
    Clue,
    ClueEvidence,
    FollowUp,
    MatchKey,
    RepeatCandidate,
    Reply,
    ReReview,
    Source,
    Status,
)

SORTS = {
    "due": ("due_date", "id"),
    "-received": ("-received_date", "-id"),
    "received": ("received_date", "id"),
    "status": ("status", "due_date", "id"),
}
DEFAULT_SORT = "due"


def overdue_q(today=None) -> Q:
    return Q(status__in=UNVERIFIED_STATUSES, due_date__lt=today or timezone.localdate())


def visible_clues(user, permission: str = "clue.view"):
    """Clues in the user's scope. Unassigned clues (no unit yet) are only reachable with a whole-system scope."""
    return Clue.objects.filter(scope_filter(user, permission, unit_field="unit", owner_field="handler")).annotate(
        is_overdue=Case(When(overdue_q(), then=Value(True)), default=Value(False), output_field=BooleanField())
    )


def awaiting_reply_q() -> Q:
    return Q(real_name=True, status__in=(Status.VERIFIED, Status.CLOSED)) & ~Q(
        Exists(Reply.objects.filter(clue=OuterRef("pk"))))


# 清仓见底's two halves, as the list filter `stage` names them.
STAGES = {"verified": (Status.VERIFIED, Status.CLOSED), "open": UNVERIFIED_STATUSES}


@dataclass
class ClueFilters:
    campaign: int | None = None
    unit: int | None = None  # includes sub-units
    batch: int | None = None
    status: str = ""
    source: str = ""
    domain: str = ""
    result: str = ""
    overdue: bool = False
    mine: bool = False
    real_name: bool = False
    awaiting_reply: bool = False
    repeats: bool = False  # linked to an earlier report, or with candidates still to decide
    unassigned: bool = False
    to_verify: bool = False  # assigned or being verified: the handling units' work
    stage: str = ""  # 清仓见底: "verified" (已核查 or 已办结) or "open" (not yet verified, 提级复核 included)
    q: str = ""
    sort: str = DEFAULT_SORT
    errors: dict = field(default_factory=dict)

    @classmethod
    def from_params(cls, params) -> "ClueFilters":
        f = cls()
        for name in ("campaign", "unit", "batch"):
            raw = (params.get(name) or "").strip()
            if raw:
                value = parse_id(raw)
                if value is None:
                    f.errors[name] = "应为正整数"
                else:
                    setattr(f, name, value)
        for name, allowed in (("status", Status.values), ("source", Source.values), ("domain", None), ("result", None)):
            value = (params.get(name) or "").strip()
            setattr(f, name, value)
            if value and allowed is not None and value not in allowed:
                f.errors[name] = "取值不正确"
        flag = lambda name: (params.get(name) or "").strip().lower() in ("1", "true", "on", "yes")  # noqa: E731
        f.overdue, f.mine, f.real_name = flag("overdue"), flag("mine"), flag("real_name")
        f.awaiting_reply, f.repeats, f.unassigned = flag("awaiting_reply"), flag("repeats"), flag("unassigned")
        f.to_verify = flag("to_verify")
        f.stage = (params.get("stage") or "").strip()
        if f.stage and f.stage not in STAGES:
            f.errors["stage"] = "取值不正确"
        f.q = (params.get("q") or "").strip()[:100]
        f.sort = params.get("sort") if params.get("sort") in SORTS else DEFAULT_SORT
        return f

    def raise_if_invalid(self) -> None:
        if self.errors:
            raise Invalid("筛选条件有误", self.errors)

    def apply(self, clues, *, user=None, with_status: bool = True):
        if self.campaign:
            clues = clues.filter(campaign_id=self.campaign)
        if self.unit:
            unit = Unit.objects.filter(pk=self.unit).first()
            subtree = Unit.objects.filter(path__startswith=unit.path).values("pk") if unit else Unit.objects.none().values("pk")
            clues = clues.filter(unit_id__in=subtree)
        if self.batch:
            clues = clues.filter(batch_id=self.batch)
        if with_status and self.status:
            clues = clues.filter(status=self.status)
        for name in ("source", "domain", "result"):
            if getattr(self, name):
                clues = clues.filter(**{name: getattr(self, name)})
        if self.overdue:
            clues = clues.filter(overdue_q())
        if self.mine:
            clues = clues.filter(handler=user) if user is not None else clues.none()
        if self.real_name:
            clues = clues.filter(real_name=True)
        if self.awaiting_reply:
            clues = clues.filter(awaiting_reply_q())
        if self.repeats:
            # A pending candidate counts only when the viewer may see the earlier clue: otherwise the filter would
            # tell a registrant that another unit holds a clue about the same person.
            pending = Q(repeat_candidates__decision="pending",
                        repeat_candidates__earlier__in=visible_clues(user).values("pk") if user is not None else [])
            clues = clues.filter(Q(repeat_of__isnull=False) | pending).distinct()
        if self.to_verify:
            clues = clues.filter(status__in=(Status.ASSIGNED, Status.VERIFYING))
        if self.unassigned:
            clues = clues.filter(unit__isnull=True)
        if self.stage:
            clues = clues.filter(status__in=STAGES[self.stage])
        if self.q:
            clues = clues.filter(
                Q(content__icontains=self.q) | Q(reference_no__icontains=self.q) | Q(region__icontains=self.q)
                | Q(subjects__name__icontains=self.q) | exact_number_q(self.q)
            ).distinct()
        return clues


ID_OR_CODE = re.compile(r"^[0-9A-Za-z]{15,18}$")


def exact_number_q(q: str) -> Q:
    """A whole identity number finds its subject through the blind index (the number is stored encrypted); a whole
    统一社会信用代码 is matched as written. Anything shorter finds nothing this way (no partial-number probing)."""
    text = q.strip().upper()
    if not ID_OR_CODE.match(text):
        return Q(pk__in=[])
    return Q(subjects__id_number_index=lookup("id_number", text)) | Q(subjects__credit_code=text)


def clue_list(user, filters: ClueFilters):
    return (
        filters.apply(visible_clues(user), user=user)
        .prefetch_related("unit", "handler", "batch")
        .order_by(*SORTS[filters.sort])
    )


def status_counts(user, filters: ClueFilters) -> dict:
    scoped = filters.apply(visible_clues(user), user=user, with_status=False)
    counts = dict.fromkeys(Status.values, 0)
    for status, n in scoped.order_by().values_list("status").annotate(n=Count("*")):
        counts[status] = n
    counts["all"] = sum(counts.values())
    counts["overdue"] = scoped.filter(overdue_q()).count()
    return counts


def get_clue(user, clue_id) -> Clue:
    clue = (
        visible_clues(user)
        .select_related("unit", "handler", "batch", "campaign", "created_by", "repeat_of")
        .prefetch_related(
            "subjects",
            Prefetch("follow_ups", queryset=FollowUp.objects.select_related("problem", "created_by")),
            Prefetch("replies", queryset=Reply.objects.select_related("created_by")),
            Prefetch("re_reviews", queryset=ReReview.objects.select_related("requested_by", "reviewed_by", "withdrawn_by")),
            Prefetch("evidence", queryset=ClueEvidence.objects.select_related("attachment", "created_by")),
        )
        .filter(pk=clue_id)
        .first()
    )
    if clue is None:
        raise NotFound()
    return clue


def get_evidence_attachment(user, attachment_id) -> Attachment:
    """A file kept on a clue the user may see (or their own upload): anything else is 404."""
    attachment = (
        Attachment.objects.filter(pk=attachment_id)
        .filter(Q(clue_evidence__clue__in=visible_clues(user).values("pk")) | Q(uploaded_by=user.pk))
        .distinct()
        .first()
    )
    if attachment is None:
        raise NotFound()
    return attachment


def repeat_candidates(user, clue: Clue) -> list[RepeatCandidate]:
    """Earlier clues that may be the same matter — only those the viewer may see; others are counted, not shown."""
    visible = visible_clues(user).values("pk")
    # (a pair only the office had linked, then unlinked, keeps no reason: no candidate; repeats._undo_links)
    return list(clue.repeat_candidates.filter(earlier__in=visible).exclude(reasons=[])
                .select_related("earlier", "earlier__unit"))


def same_matter(user, clue: Clue) -> list[Clue]:
    """The other reports of this matter (the root and its repeats) the viewer may see, oldest first."""
    root_id = clue.repeat_of_id or clue.pk
    return list(visible_clues(user).filter(Q(pk=root_id) | Q(repeat_of_id=root_id)).exclude(pk=clue.pk)
                .select_related("unit").order_by("received_date", "id"))


def same_subject(user, clue: Clue) -> list[Clue]:
    """Other reports about the same subject (similarity.SAME_SUBJECT_KEYS) that are neither of this matter nor a
    repeat candidate either way: context for the office (an institution's or a person's other matters, a person given
    by surname only), not counted as repeats. Only those the viewer may see, the strongest tier first, then the most
    recent; each carries `subject_reason`, the tier's label."""
    mine: dict[str, list[str]] = {}
    for kind, digest in MatchKey.objects.filter(clue=clue).values_list("kind", "digest"):
        mine.setdefault(kind, []).append(digest)
    candidates = set(clue.repeat_candidates.exclude(reasons=[]).values_list("earlier_id", flat=True))
    candidates |= set(RepeatCandidate.objects.filter(earlier=clue).exclude(reasons=[]).values_list("clue_id", flat=True))
    root_id = clue.repeat_of_id or clue.pk
    others = (visible_clues(user).exclude(pk__in=candidates)
              .exclude(Q(pk=clue.pk) | Q(pk=root_id) | Q(repeat_of_id=root_id))
              .select_related("unit").order_by("-received_date", "-id"))
    listed: list[Clue] = []
    for pairs, label in zip(similarity.SAME_SUBJECT_KEYS, similarity.SAME_SUBJECT_LABELS, strict=True):
        shared = Q()
        for kind, other_kind in pairs:
            if mine.get(kind):
                shared |= Q(kind=other_kind, digest__in=mine[kind])
        if not shared or len(listed) >= similarity.SAME_SUBJECT_LIMIT:
            continue
        sharing = others.filter(pk__in=MatchKey.objects.filter(shared).values("clue_id"))
        for other in sharing.exclude(pk__in=[o.pk for o in listed])[:similarity.SAME_SUBJECT_LIMIT - len(listed)]:
            other.subject_reason = label
            listed.append(other)
    return listed


def repeat_count(user, clue: Clue) -> int:
    """How many reports of the matter the viewer can see, this one included (1 = reported once, as far as they know)."""
    root_id = clue.repeat_of_id or clue.pk
    return visible_clues(user).filter(Q(pk=root_id) | Q(repeat_of_id=root_id)).count()


def visible_repeat_of(user, clue: Clue) -> int | None:
    """The matter's first report, when the viewer may see it."""
    if clue.repeat_of_id and visible_clues(user).filter(pk=clue.repeat_of_id).exists():
        return clue.repeat_of_id
    return None


def reply_rate_lists(user, campaign=None, received_by: date | None = None) -> dict:
    """件件有回音's two sets: the real-name reports verified or closed in scope (due a reply), and those answered."""
    clues = visible_clues(user).filter(real_name=True, status__in=(Status.VERIFIED, Status.CLOSED))
    if campaign is not None:
        clues = clues.filter(campaign=campaign)
    if received_by is not None:
        clues = clues.filter(received_date__lte=received_by)
    return {"reply_due": clues, "replied": clues.filter(Exists(Reply.objects.filter(clue=OuterRef("pk"))))}


def rate_of(due: int, answered: int) -> dict:
    return {"due": due, "answered": answered, "rate": round(100.0 * answered / due, 1) if due else None}


def reply_rate(user, campaign=None, received_by: date | None = None) -> dict:
    """件件有回音: of the real-name reports verified or closed in scope, how many have a recorded reply."""
    lists = reply_rate_lists(user, campaign, received_by)
    return rate_of(lists["reply_due"].count(), lists["replied"].count())


def workbench_lists(user, campaign=None, today=None) -> dict:
    """The 工作台's clue figures as scoped querysets, each the rows of the clue list its figure opens (the reply rate's
    two sets excepted); the caller counts them all in one query. Each to-do uses the scope of the act it waits for."""
    lists = {}
    if has_permission(user, "clue.assign"):
        lists["received"] = visible_clues(user, "clue.assign").filter(status=Status.RECEIVED)
    if has_permission(user, "clue.work"):
        mine = visible_clues(user, "clue.work")
        lists["to_verify"] = mine.filter(status__in=(Status.ASSIGNED, Status.VERIFYING))
        lists["reply"] = mine.filter(awaiting_reply_q())
    if has_permission(user, "clue.review"):
        review = visible_clues(user, "clue.review")
        lists["verified"] = review.filter(status=Status.VERIFIED)
        lists["overdue"] = review.filter(overdue_q(today))
    if has_permission(user, "clue.rereview"):
        lists["escalated"] = visible_clues(user, "clue.rereview").filter(status=Status.ESCALATED)
    if campaign is not None and has_permission(user, "clue.view"):
        lists |= reply_rate_lists(user, campaign)
    return lists


@dataclass
class BoardRow:
    key: str
    label: str
    received: int = 0
    verified: int = 0
    open: int = 0
    overdue: int = 0
    max_days_late: int = 0

    @property
    def cleared(self) -> bool:
        return self.open == 0

    @property
    def rate(self) -> float | None:
        return round(100.0 * self.verified / self.received, 1) if self.received else None


def clearance_board(user, campaign, cut_off: date, today: date | None = None) -> dict:
    """清仓见底 (R-CLU-5): clues received on or before the cut-off, verified or not, by unit and by source.

    The board is as of the cut-off while it lies in the past (what was left on that day), as of today otherwise.
    A clue counts as verified from its `verified_at` (已核查, 已办结); one now under 提级复核 counts as open from the
    day it was escalated. "How late" is counted from each clue's own time limit to the as-of day.
    """
    today = today or timezone.localdate()
    as_of = min(today, cut_off)
    clues = visible_clues(user).filter(campaign=campaign, received_date__lte=cut_off)
    escalations = dict(
        ReReview.objects.filter(clue__in=clues.values("pk"), reviewed_at__isnull=True)
        .values_list("clue_id").annotate(since=Max("requested_at"))
    )
    rows = clues.values_list("pk", "unit_id", "unit__name", "unit__path", "source", "status", "due_date", "verified_at")
    by_unit: dict[str, BoardRow] = {}
    by_source = {value: BoardRow(value, label) for value, label in Source.choices}
    total = BoardRow("all", "合计")
    for pk, unit_id, unit_name, path, source, status, due, verified_at in rows:
        verified = verified_at is not None and timezone.localtime(verified_at).date() <= as_of
        if status == Status.ESCALATED and pk in escalations and timezone.localtime(escalations[pk]).date() <= as_of:
            verified = False
        key = path or ""
        unit_row = by_unit.setdefault(key, BoardRow(str(unit_id or ""), unit_name or "未分办"))
        for row in (unit_row, by_source[source], total):
            row.received += 1
            if verified:
                row.verified += 1
            else:
                row.open += 1
                late = (as_of - due).days
                if late > 0:
                    row.overdue += 1
                    row.max_days_late = max(row.max_days_late, late)
    units = [by_unit[k] for k in sorted(by_unit)]
    return {"units": units, "sources": [r for r in by_source.values() if r.received], "total": total,
            "cut_off": cut_off, "as_of": as_of, "passed": today > cut_off,
            "cleared_units": sum(1 for r in units if r.cleared and r.key), "unit_count": sum(1 for r in units if r.key)}


def open_before_cut_off(user, campaign, cut_off: date, unit_id=None):
    """The clues behind the board's "still open" figure, most overdue first."""
    clues = visible_clues(user).filter(campaign=campaign, received_date__lte=cut_off, status__in=UNVERIFIED_STATUSES)
    if unit_id == "":
        clues = clues.filter(unit__isnull=True)
    elif unit_id is not None:
        clues = clues.filter(unit_id=unit_id)
    return clues.select_related("unit").order_by("due_date", "id")
