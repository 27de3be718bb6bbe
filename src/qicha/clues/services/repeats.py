"""Repeat reports (R-CLU-4): find earlier clues about the same matter, link them, escalate when needed.

Facts are compared as keyed digests (identity numbers and names never leave the database in clear for this),
and content by character n-grams. An exact match (the same identity number, or the same credit code with the same
text again) links at once; weaker matches wait for the office to link or dismiss them.
"""

import math
from functools import lru_cache

import numpy as np
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from qicha.core.audit import EventType, record_event
from qicha.core.crypto import blind_index
from qicha.core.errors import Conflict, Invalid, NotFound

from .. import similarity
from ..models import NEGATIVE_RESULTS, CandidateDecision, Clue, MatchKey, RepeatCandidate, Status
from ..workflow import CLUE_WORKFLOW
from . import content_pool

MAX_CANDIDATES = 10
# Stored per clue as keyed digests; id_name_regions is digested with the name_regions purpose (see MatchKeys).
KEY_KINDS = ("id_numbers", "credit_codes", "name_regions", "name_sounds", "name_masks", "surnames", "org_names",
             "org_cores", "id_name_regions", "name_withheld", "nicknames", "surname_only", "nick_forms",
             "surname_sounds", "names_anywhere", "unplaced", "forms_anywhere")
# Stored, never looked up by: a surname's sound with no place is shared by every namesake of the register. Read only
# for the earlier clues the wording alone brings close (see find_and_link).
UNSEARCHED = frozenset({"surnames", "surname_only", "nick_forms", "surname_sounds", "names_anywhere", "unplaced",
                        "forms_anywhere"})

# Key kinds that make a candidate only between clues not both naming people by identity number (see find_and_link).
NEAR_KINDS = frozenset({"name_sounds", "name_masks", "name_withheld", "surnames", "surname_only"})
# Key kinds that meet only where one of the two clues gives no place (similarity.compare).
ANYWHERE_KINDS = frozenset({"names_anywhere", "unplaced"})


def _facts(clue: Clue, subjects: list[dict]) -> similarity.ClueFacts:
    persons = tuple(similarity.Person(s["name"], s["id_number"]) for s in subjects if s["kind"] == "person")
    orgs = tuple(similarity.Organisation(s["name"], s["credit_code"]) for s in subjects if s["kind"] == "organisation")
    return similarity.ClueFacts(content=clue.content, region=clue.region, persons=persons, organisations=orgs)


def _digested(keys: similarity.MatchKeys) -> similarity.MatchKeys:
    # Facts become keyed digests (no identity number or name is compared in clear); content bigrams stay as they are.
    return keys.digested(lambda value, kind: value if kind == "shingles" else blind_index(value, f"clue_{kind}"))


def find_and_link(actor, clue: Clue, subjects: list[dict]) -> list[RepeatCandidate]:
    """Store the clue's match keys, record earlier clues that may be the same matter, link exact ones."""
    new_keys = _digested(similarity.match_keys(_facts(clue, subjects)))
    clue.match_shingles = " ".join(sorted(new_keys.shingles))
    Clue.objects.filter(pk=clue.pk).update(match_shingles=clue.match_shingles)
    MatchKey.objects.bulk_create(
        MatchKey(clue=clue, kind=kind, digest=d) for kind in KEY_KINDS for d in getattr(new_keys, kind)
    )
    lookup = Q(digest__in=[d for kind in KEY_KINDS if kind not in UNSEARCHED for d in getattr(new_keys, kind)])
    if new_keys.nick_forms:
        # What a named person may be called (斌哥) meets a nickname another clue gives, not another name's forms.
        lookup |= Q(digest__in=new_keys.nick_forms, kind="nicknames")
    if new_keys.surnames:
        # A surname counts only where one of the two clues gives someone by surname alone (similarity.compare):
        # a clue whose people all have full names looks at those clues only, not at every namesake of the place.
        only = {} if new_keys.surname_only else {"kind": "surname_only"}
        lookup |= Q(digest__in=new_keys.surnames, **only)
    if new_keys.names_anywhere:
        # A clue giving no place meets any clue giving the person alike; any other clue only those giving no place.
        kind = "names_anywhere" if new_keys.unplaced else "unplaced"
        lookup |= Q(digest__in=new_keys.names_anywhere, kind=kind)
    shared: dict[int, set[str]] = {}
    named_alike: set[int] = set()  # by a full name or nickname, one giving no place (CALLED_ANYWHERE_THRESHOLD)
    for clue_id, kind, digest in MatchKey.objects.filter(lookup).exclude(clue=clue).values_list(
            "clue_id", "kind", "digest"):
        shared.setdefault(clue_id, set()).add(kind)
        if kind in ANYWHERE_KINDS and digest in new_keys.called_anywhere:
            named_alike.add(clue_id)
    # A near name (a sound, one character, a surname) makes a candidate only from the same village or township (or
    # county, with the content agreeing; similarity.compare), and
    # never between two clues that both name people by identity number (similarity.compare). Near names are keyed
    # at two levels and surnames are common, so an earlier clue sharing nothing else is read in full only when its
    # place and numbers allow it; otherwise it is left to the content comparison like any clue sharing no fact.
    near_only = [pk for pk, kinds in shared.items() if kinds <= NEAR_KINDS | ANYWHERE_KINDS]
    pool = content_pool.earlier_than(clue.pk)
    read: dict[int, tuple[str, str]] = {}  # pk → (grams, region) of earlier clues read here, not read again below
    if near_only:
        numbered = set(MatchKey.objects.filter(clue_id__in=near_only, kind="id_numbers")
                       .values_list("clue_id", flat=True)) if new_keys.id_numbers else set()
        for pk, region, shingles in Clue.objects.filter(pk__in=near_only).values_list("pk", "region",
                                                                                       "match_shingles"):
            mentioned = _place_tokens(shingles)
            # the places' level, else a place one gives that the other's text names (as compare reads it)
            level = _place_level(new_keys.places, region, mentioned) or similarity.place_named_in_text(
                new_keys.places, new_keys.shingles, _places(region, mentioned), frozenset(shingles.split()))
            # Met through a key of a person with no place: one of the two gives none (the lookup's kinds).
            anywhere = not shared[pk].isdisjoint(ANYWHERE_KINDS)
            if pk in numbered or level not in ("village", "town", "county") and not anywhere:
                del shared[pk]
            elif level not in ("village", "town", "county") and similarity.content_similarity(
                    new_keys.shingles, frozenset(shingles.split()), pool.stats) < (
                    similarity.CALLED_ANYWHERE_THRESHOLD if pk in named_alike else similarity.SUPPORT_THRESHOLD):
                # Met only through a person given with no place (a masked name: 张*强 is a thousand clues of a
                # city): compare makes it a candidate only with the wording agreeing besides, so it is judged on
                # the wording before its keys are read.
                del shared[pk]
            else:
                read[pk] = (shingles, region)
    sharing = set(shared)
    stored: dict[int, dict[str, set]] = {}
    for clue_id, kind, digest in MatchKey.objects.filter(clue_id__in=sharing).values_list("clue_id", "kind", "digest"):
        stored.setdefault(clue_id, {}).setdefault(kind, set()).add(digest)
    # The most recent clues by content (the pool, kept up to date per process), then any older one sharing a fact.
    stats = pool.stats
    index = pool.index()
    found = []
    named = similarity.NAMED_TOKEN in new_keys.shingles
    namesakes = []

    def _compare(earlier_id, shingles, region, facts, places=None):
        places = _places(region, _place_tokens(shingles) if places is None else places)
        keys = similarity.MatchKeys(shingles=shingles, places=places,
                                    **{k: frozenset(facts.get(k, ())) for k in KEY_KINDS})
        reasons = similarity.compare(new_keys, keys, stats)
        if reasons:
            found.append((max(r.score for r in reasons), earlier_id, reasons))

    lowest = min(similarity.SAME_PLACE_THRESHOLD, similarity.CONTENT_THRESHOLD)
    mine = new_keys.shingles
    # content_similarity's own test, with the pooled clues' weight sums kept with the pool (see weighted_similarity).
    wordy = len(mine) >= similarity.MIN_SHINGLES
    mine_total = stats.total(mine) if wordy else 0.0
    mine_count, smoothing = len(mine), similarity.SMOOTHING
    min_common, min_shingles = similarity.MIN_COMMON, similarity.MIN_SHINGLES
    weight = stats.getter()
    margin = content_pool.TOTALS_MARGIN
    # Grams through which compare may make a candidate of the same village below what the place asks of the wording
    # alone (a village's post, a kind of problem), with the least similarity each asks.
    below = similarity.below_threshold(new_keys)

    # Marker grams through which compare may make a candidate of a surname given alone where only the county is
    # common or no place compares (similarity.SURNAME_WIDE_THRESHOLD).
    wide = similarity.surname_wide_markers(new_keys)
    wide_least = similarity.SURNAME_WIDE_THRESHOLD

    def _wide(shingles, score, region, places) -> bool:
        return (bool(wide) and score >= wide_least and not wide.isdisjoint(shingles)
                and _place_level(new_keys.places, region, places) in similarity.WIDE_LEVELS)

    # Marker grams through which compare may meet a nickname with what a full name is called (熊哥 / 熊志强) where
    # one of the two clues gives no place (similarity.forms_markers): such clues are read in full below.
    forms = similarity.forms_markers(new_keys)
    forms_least = similarity.SUPPORT_THRESHOLD
    new_unplaced = similarity.is_unplaced(new_keys.places)
    called = []

    def _forms(shingles, score, region, places) -> bool:
        return (bool(forms) and score >= forms_least and not forms.isdisjoint(shingles)
                and (new_unplaced or similarity.is_unplaced(_places(region, places))))

    # Marker grams through which compare may meet someone given alike where the two clues' places do not compare
    # (similarity.anywhere_markers; the lookup by names_anywhere serves only a clue giving no place): such recent
    # clues are read in full below, as for _forms.
    # Where one of the two gives no place, the lookup by names_anywhere has found them already.
    anywhere = frozenset() if new_unplaced else similarity.anywhere_markers(new_keys)

    def _apart(shingles, score, region, places) -> bool:
        return (bool(anywhere) and score >= forms_least and not anywhere.isdisjoint(shingles)
                and _place_level(new_keys.places, region, places) == ""
                and not similarity.is_unplaced(_places(region, places)))

    def _level(shingles, region, places) -> str:
        # compare's level: the places', else a place one clue gives that the other's text names
        return _place_level(new_keys.places, region, places) or similarity.place_named_in_text(
            new_keys.places, mine, _places(region, places), shingles)

    def _low_at(low_at, slot, shingles, region, places) -> float:
        level = _level(shingles, region, places)
        return low_at[level][slot] if level in low_at else math.inf

    def _floor(shingles, level) -> float:
        return min((least for grams, least, barred, where in below
                    if where == level and not grams.isdisjoint(shingles) and barred.isdisjoint(shingles)),
                   default=math.inf)

    def _by_wording(earlier_id, shingles, region, places):
        # An earlier clue sharing no fact: only the wording can make it a candidate.
        if not wordy:
            return
        common = mine & shingles
        count = len(shingles)
        if len(common) < min_common or count < min_shingles:
            return  # shares no fact and too little wording: not a candidate wherever it happened
        shared = sum(map(weight, common))
        theirs = pool.total(earlier_id, shingles)
        if mine_total <= theirs:
            score = shared / mine_total * mine_count / (mine_count + smoothing)
        else:
            score = shared / theirs * count / (count + smoothing)
        # With a margin for weight sums a few slides old (content_pool.TOTALS_FRESH); compare judges exactly.
        score = max(score, shared / (mine_total + theirs - shared)) * margin
        # As much as its place asks (compare's rule), or in one village what a shared post or kind of problem asks.
        level = _level(shingles, region, places)
        other = not ((score < lowest or score < similarity.content_threshold(level)) and (
            score < _floor(shingles, level)) and (
            not _wide(shingles, score, region, places)))
        if _forms(shingles, score, region, places) or _apart(shingles, score, region, places):
            called.append((earlier_id, shingles, region, places, other))
        elif other:
            _judge(earlier_id, shingles, region, places)

    def _judge(earlier_id, shingles, region, places):
        if named and similarity.NAMED_TOKEN in shingles or new_keys.surname_sounds:
            # Both name someone in full, or this clue names someone by a surname: whether they share a surname, or
            # name people of surnames that sound different (similarity.surnames_contradict), decides what compare
            # asks of the wording (similarity.OTHER_SUBJECT_THRESHOLD); read below for the few clues that get here.
            namesakes.append((earlier_id, shingles, region))
            return
        _compare(earlier_id, shingles, region, {}, places)

    # Clues sharing a fact are compared in full, pooled or older.
    for earlier_id, facts in stored.items():
        slot = index.slot.get(earlier_id)
        if slot is not None:
            _, shingles, region, places = index.rows[slot]
            _compare(earlier_id, shingles, region, facts, places)
    older = sharing - index.slot.keys() - {clue.pk} if sharing else ()
    if older:
        unread = [pk for pk in older if pk not in read]
        if unread:
            read.update((pk, (text, region)) for pk, text, region in
                        Clue.objects.filter(pk__in=unread).values_list("pk", "match_shingles", "region"))
        for pk, (text, region) in [(pk, read[pk]) for pk in older if pk in read]:
            shingles = frozenset(text.split())
            if pk in stored:
                _compare(pk, shingles, region, stored[pk])
            else:  # its keys went since they were looked up
                _by_wording(pk, shingles, region, _place_tokens(shingles))
    if wordy:
        # The pooled clues sharing no fact, thousands at every intake: content_similarity's test for all of them at
        # once on the pool's gram index (numpy), then `_by_wording` for those it lets through.
        common_counts, common_sums = index.shared(mine, weight)
        eligible = (common_counts >= min_common) & (index.counts >= min_shingles)
        for earlier_id in stored:
            slot = index.slot.get(earlier_id)
            if slot is not None:
                eligible[slot] = False
        slots = np.flatnonzero(eligible)
        # The weight sums `_by_wording` reads (pool.total), each summed when first asked for, as there.
        totals_get = pool.totals.get
        theirs = [totals_get(pk) for pk in index.pks[slots].tolist()]
        for i, total in enumerate(theirs):
            if total is None:
                pk, shingles, _, _ = index.rows[slots[i]]
                theirs[i] = pool.total(pk, shingles)
        theirs = np.array(theirs, dtype=float)
        shared, count = common_sums[slots], index.counts[slots]
        with np.errstate(divide="ignore", invalid="ignore"):
            score = np.where(mine_total <= theirs, shared / mine_total * mine_count / (mine_count + smoothing),
                             shared / theirs * count / (count + smoothing))
            score = np.maximum(score, shared / (mine_total + theirs - shared)) * margin
        # The arrays add the same weights in another order: a hair of slack (far above any rounding, far below any
        # score that matters) lets through every clue `_by_wording` would keep; it then judges them as before.
        slack = 1 - 1e-9
        through = score >= lowest * slack
        low = np.full(len(index.pks), math.inf)
        low_at: dict[str, np.ndarray] = {}  # the same by the place level where each holds
        for grams, least, barred, where in below:
            floor = np.full(len(index.pks), math.inf)
            for gram in grams & index.postings.keys():
                floor[index.postings[gram]] = least
            for gram in barred & index.postings.keys():
                floor[index.postings[gram]] = math.inf
            np.minimum(low, floor, out=low)
            if where in low_at:
                np.minimum(low_at[where], floor, out=low_at[where])
            else:
                low_at[where] = floor
        if below:
            through |= score >= low[slots] * slack
        marked = np.zeros(len(index.pks), dtype=bool)
        for gram in wide & index.postings.keys():
            marked[index.postings[gram]] = True
        if wide:
            through |= (score >= wide_least * slack) & marked[slots]
        called_marked = np.zeros(len(index.pks), dtype=bool)
        for gram in forms & index.postings.keys():
            called_marked[index.postings[gram]] = True
        if not new_unplaced:
            called_marked &= index.unplaced  # one of the two gives no place (_forms)
        if forms:
            through |= (score >= forms_least * slack) & called_marked[slots]
        apart_marked = np.zeros(len(index.pks), dtype=bool)
        for gram in anywhere & index.postings.keys():
            apart_marked[index.postings[gram]] = True
        apart_marked &= ~index.unplaced  # (found by the lookup, as above)
        if anywhere:
            through |= (score >= forms_least * slack) & apart_marked[slots]
        for slot, rough in zip(slots[through].tolist(), score[through].tolist(), strict=True):
            earlier_id, shingles, region, places = index.rows[slot]
            if (rough >= _content_threshold(new_keys.places, region, places) * slack  # most are elsewhere
                    or rough >= similarity.SAME_PLACE_THRESHOLD * slack
                    and rough >= similarity.content_threshold(_level(shingles, region, places)) * slack
                    or rough >= low[slot] * slack and rough >= _low_at(low_at, slot, shingles, region, places) * slack
                    or rough >= wide_least * slack and marked[slot]
                    and _place_level(new_keys.places, region, places) in similarity.WIDE_LEVELS
                    or rough >= forms_least * slack and called_marked[slot]
                    or rough >= forms_least * slack and apart_marked[slot]
                    and _place_level(new_keys.places, region, places) == ""):
                _by_wording(earlier_id, shingles, region, places)
    if called:
        # The few whose people meet through what a full name is called (similarity.forms_markers), or alike where
        # the places do not compare (anywhere_markers), are read in full, so that compare judges them as it would
        # any clue (identity numbers, surnames and all); the others as any clue the wording brings close.
        met = set(MatchKey.objects.filter(
            Q(kind="forms_anywhere", digest__in=new_keys.names_anywhere)
            | Q(kind="names_anywhere", digest__in=new_keys.forms_anywhere | new_keys.names_anywhere),
            clue_id__in=[pk for pk, *_ in called]).values_list("clue_id", flat=True))
        keyed: dict[int, dict[str, set]] = {}
        for clue_id, kind, digest in MatchKey.objects.filter(clue_id__in=met).values_list("clue_id", "kind", "digest"):
            keyed.setdefault(clue_id, {}).setdefault(kind, set()).add(digest)
        for earlier_id, shingles, region, places, other in called:
            if earlier_id in met:
                _compare(earlier_id, shingles, region, keyed[earlier_id], places)
            elif other:
                _judge(earlier_id, shingles, region, places)
    if namesakes:
        # Their surnames, and their identity numbers: two clues naming people by numbers are settled by the numbers
        # (similarity.compare), not by a surname.
        theirs: dict[int, dict[str, set]] = {}
        numbered = ("id_numbers",) if new_keys.id_numbers else ()
        for clue_id, kind, digest in MatchKey.objects.filter(
                Q(kind="surnames", digest__in=new_keys.surnames)
                | Q(kind__in=("surname_sounds", "surname_only", *numbered)),
                clue_id__in=[pk for pk, _, _ in namesakes]).values_list("clue_id", "kind", "digest"):
            theirs.setdefault(clue_id, {}).setdefault(kind, set()).add(digest)
        for earlier_id, shingles, region in namesakes:
            _compare(earlier_id, shingles, region, theirs.get(earlier_id, {}))
    found.sort(key=lambda item: (-item[0], item[1]))
    candidates = RepeatCandidate.objects.bulk_create(
        RepeatCandidate(clue=clue, earlier_id=earlier_id, score=round(score, 3),
                        reasons=[{"code": r.code, "label": r.label, "score": round(r.score, 3), "exact": r.exact}
                                 for r in reasons])
        for score, earlier_id, reasons in found[:MAX_CANDIDATES]
    )
    exact = next((c for c in candidates if any(r["exact"] for r in c.reasons)), None)
    # Linked at once only when the clerk may see the matter; otherwise the link (and what follows from it, such as
    # 提级复核) would tell them about another unit's clue. The office then decides the pending candidate.
    if exact is not None and _can_see(actor, _matter_root(exact.earlier)):
        _link(actor, clue, exact, automatic=True)
    return candidates


# The place level between a new clue's places and an earlier clue's (region and the places its content named), and
# the content threshold it sets. Cached: one intake looks at thousands of earlier clues from a few hundred places.
@lru_cache(maxsize=8192)
def _place_level(new_places: tuple, region: str, mentioned: frozenset[str]) -> str:
    return similarity.place_level(new_places, _places(region, mentioned))


@lru_cache(maxsize=8192)
def _content_threshold(new_places: tuple, region: str, mentioned: frozenset[str]) -> float:
    return similarity.content_threshold(_place_level(new_places, region, mentioned))


@lru_cache(maxsize=8192)
def _places(region: str, mentioned: frozenset[str] = frozenset()) -> tuple:
    """An earlier clue's place chain: its region's, with the places its content named (kept among its grams)."""
    return similarity.with_places(similarity.place_chain(region), mentioned)


def _place_tokens(shingles) -> frozenset[str]:
    if isinstance(shingles, str):
        shingles = shingles.split() if similarity.PLACE_TOKEN in shingles else ()
    return frozenset(g for g in shingles if g.startswith(similarity.PLACE_TOKEN))


def _can_see(actor, clue: Clue) -> bool:
    from ..queries import visible_clues

    return visible_clues(actor).filter(pk=clue.pk).exists()


def _matter_root(clue: Clue) -> Clue:
    return clue.repeat_of if clue.repeat_of_id else clue


def _link(actor, clue: Clue, candidate: RepeatCandidate, *, automatic: bool) -> None:
    root = _matter_root(candidate.earlier)
    updated = RepeatCandidate.objects.filter(pk=candidate.pk, decision=CandidateDecision.PENDING).update(
        decision=CandidateDecision.LINKED, decided_by=actor, decided_at=timezone.now())
    if not updated:
        raise Conflict("该疑似重复线索已被他人处理，请刷新页面。")
    # Compare-and-set: of two decisions on the same clue at once, the second finds it already linked elsewhere.
    still = Clue.objects.filter(pk=clue.pk).filter(Q(repeat_of__isnull=True) | Q(repeat_of=root))
    if not still.update(version=F("version") + 1, repeat_of=root):
        raise Conflict("该线索已被认定为其他事项的重复举报，请刷新页面。")
    clue.repeat_of = root
    clue.version += 1
    label = "、".join(r["label"] for r in candidate.reasons)
    record_event(EventType.UPDATE, actor=actor, obj=clue, action="link_repeat",
                 before={"repeat_of": None}, after={"repeat_of": root.pk},
                 detail=f"{'自动' if automatic else ''}认定为线索 #{candidate.earlier_id} 的重复举报（{label}）")
    judged_untrue = Clue.objects.filter(pk=root.pk).filter(
        status__in=(Status.VERIFIED, Status.CLOSED), result__in=NEGATIVE_RESULTS
    ).exists() or Clue.objects.filter(
        repeat_of=root, status__in=(Status.VERIFIED, Status.CLOSED), result__in=NEGATIVE_RESULTS
    ).exclude(pk=clue.pk).exists()
    if judged_untrue and clue.status in CLUE_WORKFLOW.get("escalate").sources:
        from .handling import escalate_by_rule

        # An unassigned repeat goes to the unit that handled the matter, which answers the family after the
        # re-review; not to the same handler, whose verification the new report disputes.
        unit = root.unit if clue.unit_id is None and root.unit_id is not None else None
        escalate_by_rule(actor, clue, version=clue.version, link=candidate, unit=unit,
                         reason="重复举报：同一事项此前已核查为不属实或查无实据，仍有新的举报。")


def decide_candidate(actor, clue: Clue, candidate_id: int, *, link: bool) -> RepeatCandidate:
    """The office links a weaker candidate (same matter) or dismisses it (not the same)."""
    if not CLUE_WORKFLOW.permits(actor, clue, "clue.review"):
        raise NotFound()
    candidate = clue.repeat_candidates.filter(pk=candidate_id).select_related("earlier").first()
    if candidate is None:
        raise NotFound("疑似重复线索不存在")
    if candidate.decision != CandidateDecision.PENDING:
        raise Invalid(f"该疑似重复线索已{candidate.get_decision_display()}。")
    with transaction.atomic():
        if link:
            if clue.repeat_of_id and clue.repeat_of_id != _matter_root(candidate.earlier).pk:
                raise Invalid(f"本线索已认定为线索 #{clue.repeat_of_id} 的重复举报；如确属同一事项，请合并两个事项。")
            _link(actor, clue, candidate, automatic=False)
        else:
            updated = RepeatCandidate.objects.filter(pk=candidate.pk, decision=CandidateDecision.PENDING).update(
                decision=CandidateDecision.DISMISSED, decided_by=actor, decided_at=timezone.now())
            if not updated:
                raise Conflict("该疑似重复线索已被他人处理，请刷新页面。")
            record_event(EventType.UPDATE, actor=actor, obj=clue, action="dismiss_repeat",
                         detail=f"认定与线索 #{candidate.earlier_id} 不是同一事项")
    candidate.refresh_from_db()
    return candidate


def unlink_repeat(actor, clue: Clue, *, version: int | None = None) -> Clue:
    """The office undoes a repeat link (an identity number can be named in two different matters). A 提级复核 the
    link caused is withdrawn with it: the clue returns to its status, unit and handler from before the link."""
    if not CLUE_WORKFLOW.permits(actor, clue, "clue.review"):
        raise NotFound()
    if clue.repeat_of_id is None:
        if Clue.objects.filter(repeat_of=clue).exists():
            return _split_root(actor, clue, version=version)
        raise Invalid("本线索未被认定为重复举报。")
    root_id = clue.repeat_of_id
    with transaction.atomic():
        claim = Clue.objects.filter(pk=clue.pk, repeat_of_id=root_id)
        if version is not None:
            claim = claim.filter(version=version)
        if not claim.update(repeat_of=None, version=F("version") + 1):
            raise Conflict("该线索已被他人修改，请刷新页面。")
        matter = Clue.objects.filter(Q(pk=root_id) | Q(repeat_of_id=root_id)).values("pk")
        _undo_links(actor, clue.repeat_candidates.filter(earlier__in=matter))
        clue.repeat_of = None
        clue.version = Clue.objects.values_list("version", flat=True).get(pk=clue.pk)
        record_event(EventType.UPDATE, actor=actor, obj=clue, action="unlink_repeat",
                     before={"repeat_of": root_id}, after={"repeat_of": None},
                     detail=f"取消与线索 #{root_id} 的重复关联（不是同一事项）")
        _withdraw_escalation_of_undone_link(actor, clue, root_id)
    return clue


def _withdraw_escalation_of_undone_link(actor, clue: Clue, root_id: int) -> None:
    """The re-review a repeat link started, withdrawn once that link is undone (the matter it was a repeat of is
    not this one); an escalation the office made by hand, or one already answered, stays."""
    from .handling import open_re_review, withdraw_escalation

    clue.refresh_from_db()
    review = open_re_review(clue) if clue.status == Status.ESCALATED else None
    if review is None or review.link_id is None or review.link.decision != CandidateDecision.DISMISSED:
        return
    withdraw_escalation(actor, clue, version=clue.version,
                        reason=f"取消与线索 #{root_id} 的重复关联，该关联引起的提级复核随之撤销。")


def merge_matters(actor, clue: Clue, other: Clue) -> Clue:
    """The office puts two matters together (issue 20): every report of the later matter moves under the earlier
    matter's first report (its root), each move audited with where it was before. A later matter of one report is
    linked to the earlier as a repeat (with 提级复核 where the earlier was judged untrue). Returns the root kept."""
    if not (CLUE_WORKFLOW.permits(actor, clue, "clue.review") and CLUE_WORKFLOW.permits(actor, other, "clue.review")):
        raise NotFound()
    first, second = _matter_root(clue), _matter_root(other)
    if first.pk == second.pk:
        raise Invalid("两条线索已属同一事项，无需合并。")
    keep, moved = sorted((first, second), key=lambda c: (c.received_date, c.pk))
    with transaction.atomic():
        members = list(Clue.objects.filter(repeat_of=moved).values_list("pk", flat=True))
        if not members:
            # A report of its own the matcher did not offer: the office links it as it would a candidate, so that
            # a matter judged untrue that comes back reaches 提级复核 whichever way the office found it.
            _link(actor, moved, _office_candidate(moved, keep), automatic=False)
            return keep
        # Compare-and-set: the root moved must still be a root, its reports still its own.
        if not Clue.objects.filter(pk=moved.pk, repeat_of__isnull=True).update(repeat_of=keep, version=F("version") + 1):
            raise Conflict("该事项已被他人调整，请刷新页面。")
        Clue.objects.filter(pk__in=members, repeat_of=moved).update(repeat_of=keep, version=F("version") + 1)
        for pk in [moved.pk, *members]:
            before = None if pk == moved.pk else moved.pk
            record_event(EventType.UPDATE, actor=actor, obj=Clue.objects.get(pk=pk), action="merge_matters",
                         before={"repeat_of": before}, after={"repeat_of": keep.pk},
                         detail=f"事项合并：线索 #{moved.pk} 所在事项并入线索 #{keep.pk} 所在事项")
    return keep


OFFICE_REASON = {"code": "office", "label": "扫黑办认定为同一事项", "score": 1.0, "exact": False}


def _undo_links(actor, candidates) -> None:
    """Links undone: their candidates dismissed, without the office's own reason. A pair only the office had put
    together is then no candidate at all (the page lists it again beside the clues of the same subject); the audit
    log keeps what was done."""
    now = timezone.now()
    for candidate in candidates.filter(decision=CandidateDecision.LINKED):
        RepeatCandidate.objects.filter(pk=candidate.pk).update(
            decision=CandidateDecision.DISMISSED, decided_by=actor, decided_at=now,
            reasons=[r for r in candidate.reasons if r.get("code") != OFFICE_REASON["code"]])


def _office_candidate(clue: Clue, earlier: Clue) -> RepeatCandidate:
    """The pair as a candidate the office decides on: the matcher's own (pending), or one saying the office found
    it (none was offered, or the office had dismissed it and now thinks otherwise)."""
    candidate, created = RepeatCandidate.objects.get_or_create(
        clue=clue, earlier=earlier, defaults={"score": 1.0, "reasons": [OFFICE_REASON]})
    if not created and candidate.decision != CandidateDecision.PENDING:
        RepeatCandidate.objects.filter(pk=candidate.pk).update(
            decision=CandidateDecision.PENDING, decided_by=None, decided_at=None,
            reasons=[OFFICE_REASON, *[r for r in candidate.reasons if r.get("code") != "office"]])
        candidate.refresh_from_db()
    return candidate


def _split_root(actor, clue: Clue, *, version: int | None) -> Clue:
    """The first report of a matter split out of it (issue 20): the matter's next report becomes its root, the
    others follow it, each change audited."""
    with transaction.atomic():
        members = list(Clue.objects.filter(repeat_of=clue).order_by("received_date", "pk"))
        new_root, rest = members[0], members[1:]
        claim = Clue.objects.filter(pk=clue.pk, repeat_of__isnull=True)
        if version is not None:
            claim = claim.filter(version=version)
        if not claim.update(version=F("version") + 1):
            raise Conflict("该线索已被他人修改，请刷新页面。")
        if not Clue.objects.filter(pk=new_root.pk, repeat_of=clue).update(repeat_of=None, version=F("version") + 1):
            raise Conflict("该事项已被他人调整，请刷新页面。")
        Clue.objects.filter(pk__in=[m.pk for m in rest], repeat_of=clue).update(repeat_of=new_root,
                                                                                version=F("version") + 1)
        _undo_links(actor, clue.repeat_candidates.all())
        _undo_links(actor, RepeatCandidate.objects.filter(earlier=clue, clue__in=members))
        record_event(EventType.UPDATE, actor=actor, obj=clue, action="unlink_repeat",
                     detail=f"移出所在事项（原为该事项首次举报），线索 #{new_root.pk} 成为该事项首次举报")
        for member in members:
            after = None if member.pk == new_root.pk else new_root.pk
            record_event(EventType.UPDATE, actor=actor, obj=member, action="merge_matters",
                         before={"repeat_of": clue.pk}, after={"repeat_of": after},
                         detail=f"线索 #{clue.pk} 移出事项，事项改以线索 #{new_root.pk} 为首次举报")
            _withdraw_escalation_of_undone_link(actor, member, clue.pk)
    clue.version = Clue.objects.values_list("version", flat=True).get(pk=clue.pk)
    return clue
