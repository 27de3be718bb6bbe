"""Rebuilding the repeat matcher's stored keys (issue 20 follow-up).

Each clue keeps what `repeats.find_and_link` computed for it at intake: its `MatchKey` rows (keyed digests of
identity numbers, credit codes, names with places, organisation names …) and its content bigrams
(`Clue.match_shingles`). When the matcher's key formats or stop-list change, clues registered before keep keys in
the old format and new clues hardly match them. `rebuild_match_keys` recomputes every clue's keys with the current
code, so that an upgrade leaves the whole register comparable again.

Identity numbers are decrypted in memory only to be digested again (as at intake); nothing is logged but counts.
"""

from collections import defaultdict

from django.db import transaction

from qicha.core.audit import EventType, record_event

from .. import similarity
from ..models import Clue, ClueSubject, MatchKey
from . import content_pool
from .repeats import KEY_KINDS, _digested, _facts

CHUNK = 500
LABELS = {
    "clues": "线索",
    "changed": "索引有变化的线索",
    "keys_added": "新增比对键",
    "keys_removed": "删除旧比对键",
    "shingles_updated": "更新内容特征",
}


def rebuild_match_keys(actor=None, batch_size: int = 1000, progress=None) -> dict[str, int]:
    """Recompute every clue's match keys and content bigrams with the current matcher, `batch_size` clues per
    transaction (a crash leaves finished batches done; running again finishes the rest). Idempotent: keys already
    right are left alone, so a second run changes nothing. Records one audit event with the counts.

    `progress(counts)` is called after each batch (the management command prints it). Repeat links and
    candidates already recorded are not touched: they are the office's decisions.
    """
    if batch_size < 1:
        raise ValueError("batch_size must be positive")
    counts = dict.fromkeys(LABELS, 0)
    last_pk = 0
    while True:
        with transaction.atomic():
            batch = list(Clue.objects.filter(pk__gt=last_pk).order_by("pk")
                         .only("pk", "content", "region", "match_shingles")[:batch_size])
            if not batch:
                break
            _rebuild_batch(batch, counts)
        last_pk = batch[-1].pk
        if progress is not None:
            progress(dict(counts))
    content_pool.forget()  # bigrams and weights of the old keys (this process)
    record_event(EventType.UPDATE, actor=actor, username="" if actor else "system", object_type="clues.matchkey",
                 object_repr="全部线索的重复举报比对索引", action="rebuild_match_keys", after=counts,
                 detail=summary(counts))
    return counts


def refresh_match_keys(clues: list[Clue], counts: dict[str, int] | None = None) -> None:
    """Bring these clues' match keys and content bigrams up to date with their facts (a corrected content or
    region, or a rebuild): only keys that changed are written. Call in a transaction."""
    counts = counts if counts is not None else dict.fromkeys(LABELS, 0)
    _rebuild_batch(clues, counts)
    content_pool.forget()


def _rebuild_batch(batch: list[Clue], counts: dict[str, int]) -> None:
    ids = [clue.pk for clue in batch]
    subjects: dict[int, list[dict]] = defaultdict(list)
    for subject in ClueSubject.objects.filter(clue_id__in=ids).order_by("pk"):
        subjects[subject.clue_id].append({
            "kind": subject.kind, "name": subject.name,
            "id_number": subject.id_number.clear() if subject.id_number else "",
            "credit_code": subject.credit_code,
        })
    stored: dict[int, dict[tuple[str, str], int]] = defaultdict(dict)
    for pk, clue_id, kind, digest in MatchKey.objects.filter(clue_id__in=ids).values_list(
            "pk", "clue_id", "kind", "digest"):
        stored[clue_id][(kind, digest)] = pk
    to_add, to_remove, shingled = [], [], []
    for clue in batch:
        keys = _digested(similarity.match_keys(_facts(clue, subjects.get(clue.pk, []))))
        wanted = {(kind, digest) for kind in KEY_KINDS for digest in getattr(keys, kind)}
        have = stored.get(clue.pk, {})
        added = wanted - have.keys()
        removed = [pk for key, pk in have.items() if key not in wanted]
        to_add.extend(MatchKey(clue_id=clue.pk, kind=kind, digest=digest) for kind, digest in sorted(added))
        to_remove.extend(removed)
        text = " ".join(sorted(keys.shingles))
        new_text = text != clue.match_shingles
        if new_text:
            clue.match_shingles = text
            shingled.append(clue)
        if added or removed or new_text:
            counts["changed"] += 1
        counts["keys_added"] += len(added)
        counts["keys_removed"] += len(removed)
    counts["clues"] += len(batch)
    counts["shingles_updated"] += len(shingled)
    for start in range(0, len(to_remove), CHUNK):  # SQLite limits the parameters of one statement
        MatchKey.objects.filter(pk__in=to_remove[start:start + CHUNK]).delete()
    MatchKey.objects.bulk_create(to_add, batch_size=CHUNK)
    # Not an edit of the clue: no version change, like intake's own update of this column.
    Clue.objects.bulk_update(shingled, ["match_shingles"], batch_size=CHUNK)


def summary(counts: dict[str, int]) -> str:
    """"线索 1200 条，索引有变化的线索 800 条，…" for the audit log and the command."""
    return "，".join(f"{label} {counts.get(key, 0)} 条" for key, label in LABELS.items())
