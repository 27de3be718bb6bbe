"""The repeat search's content pool: the CONTENT_POOL most recent clues (their content bigrams and region) that a
new report's wording is compared with, and the bigrams' document frequencies over them (BM25 weights).

Reading 5,000 rows and cutting their bigrams at every intake was most of intake's cost at 200,000 clues. A full pool
is therefore kept per process and slides on: each intake reads only the clues registered since the pool was last
brought up to date (one read by primary key, usually of nothing or a few rows), adds them, drops as many of the
oldest, and adjusts the document frequencies by what came and went. The pool is read afresh

- every REFRESH_SECONDS, so that a correction made in another process (an edited content) is seen in that time
  (one made in this process is applied at once, `forget`);
- when the register is smaller than a pool (a new installation, a test): that read is cheap and exact.

What a transaction reads is taken into the kept pool only once it commits, so a rolled-back intake (or import)
leaves no clue behind that does not exist.
"""

import threading
import time
from collections import deque
from dataclasses import dataclass, field

import numpy as np
from django.db import transaction

from .. import similarity
from ..models import Clue

CONTENT_POOL = 5000
REFRESH_SECONDS = 600
# Each pooled clue's weight sum (Σ weights of its grams) is carried from one pool to the next: as a full pool slides
# by one clue, only the weights of that clue's grams move, and by little. The sums are taken afresh after
# TOTALS_FRESH slides. Intake's pre-filter allows for sums that old with TOTALS_MARGIN (it lets through what could
# pass with exact sums), and `similarity.compare` then judges every clue let through with exact weights.
TOTALS_FRESH = 100
TOTALS_MARGIN = 1.1


@dataclass
class Pool:
    """Clues in primary-key order (pk, bigrams, region) and the document frequencies of their bigrams."""

    rows: deque = field(default_factory=deque)
    stats: similarity.ContentStats = field(default_factory=similarity.ContentStats)
    top: int = 0  # the highest primary key read
    built: float = field(default_factory=time.monotonic)
    totals: dict = field(default_factory=dict)  # pk → Σ weight of its grams (see TOTALS_FRESH)
    slides: int = 0  # clues the pool has slid on by since `totals` were last summed afresh
    grams: "GramIndex | None" = None  # built at the first search of the pool (see `index`), then kept as it slides

    def add(self, pk: int, shingles: frozenset, region: str) -> None:
        self.rows.append((pk, shingles, region))
        self.stats.add(shingles)
        self.top = max(self.top, pk)
        if self.grams is not None:
            self.grams.add(pk, shingles, region)
        while len(self.rows) > CONTENT_POOL:
            gone, gone_shingles, _ = self.rows.popleft()
            self.stats.remove(gone_shingles)
            self.totals.pop(gone, None)
            if self.grams is not None:
                self.grams.remove(gone, gone_shingles)
            self.slides += 1
        if self.slides >= TOTALS_FRESH:
            self.totals, self.slides = {}, 0

    def index(self) -> "GramIndex":
        """The pooled clues by gram (built once, then kept up to date as the pool slides)."""
        if self.grams is None:
            self.grams = GramIndex(self.rows)
        return self.grams

    def total(self, index: int, shingles: frozenset) -> float:
        """Σ weight of a pooled clue's grams, as summed at most TOTALS_FRESH slides ago."""
        found = self.totals.get(index)
        if found is None:
            found = self.totals[index] = self.stats.total(shingles)
        return found

    def copy(self) -> "Pool":
        stats = similarity.ContentStats()
        stats.documents, stats.df = self.stats.documents, dict(self.stats.df)
        grams = self.grams.copy() if self.grams is not None else None
        return Pool(deque(self.rows), stats, self.top, self.built, dict(self.totals), self.slides, grams)


class GramIndex:
    """Which pooled clues hold each gram, so that intake sums the weights of the grams a new clue shares with every
    pooled clue in a few array operations (numpy) instead of a set intersection per pooled clue.

    Each pooled clue has a slot; `postings[gram]` is the array of the slots holding it. The arrays are replaced,
    never changed in place, so that a copy of the index (a pool that slides on) shares them with its original."""

    def __init__(self, rows=()):
        rows = list(rows)
        size = max(len(rows), CONTENT_POOL) + 1
        self.pks = np.full(size, -1, dtype=np.int64)
        self.counts = np.zeros(size, dtype=np.int64)  # grams per slot (0: a free slot)
        # whether the clue gives no place below the city (similarity.is_unplaced), in its region or its text
        self.unplaced = np.zeros(size, dtype=bool)
        self.rows: list = [None] * size  # slot → (pk, shingles, region, place tokens)
        self.slot: dict[int, int] = {}
        lists: dict[str, list[int]] = {}
        for slot, (pk, shingles, region) in enumerate(rows):
            self._put(slot, pk, shingles, region)
            for gram in shingles:
                lists.setdefault(gram, []).append(slot)
        self.postings = {gram: np.array(slots, dtype=np.int32) for gram, slots in lists.items()}
        self.free = list(range(size - 1, len(rows) - 1, -1))

    def _put(self, slot: int, pk: int, shingles: frozenset, region: str) -> None:
        # The places a clue's content named are kept among its grams; read once here, not at every search.
        places = frozenset(g for g in shingles if g.startswith(similarity.PLACE_TOKEN))
        self.pks[slot], self.counts[slot] = pk, len(shingles)
        self.unplaced[slot] = similarity.is_unplaced(similarity.with_places(similarity.place_chain(region), places))
        self.rows[slot] = (pk, shingles, region, places)
        self.slot[pk] = slot

    def add(self, pk: int, shingles: frozenset, region: str) -> None:
        if not self.free:
            grow = len(self.rows)
            self.pks = np.concatenate([self.pks, np.full(grow, -1, dtype=np.int64)])
            self.counts = np.concatenate([self.counts, np.zeros(grow, dtype=np.int64)])
            self.unplaced = np.concatenate([self.unplaced, np.zeros(grow, dtype=bool)])
            self.rows += [None] * grow
            self.free = list(range(2 * grow - 1, grow - 1, -1))
        slot = self.free.pop()
        self._put(slot, pk, shingles, region)
        postings = self.postings
        for gram in shingles:
            held = postings.get(gram)
            postings[gram] = np.array([slot], dtype=np.int32) if held is None else np.append(held, np.int32(slot))

    def remove(self, pk: int, shingles: frozenset) -> None:
        slot = self.slot.pop(pk)
        postings = self.postings
        for gram in shingles:
            held = postings[gram]
            left = held[held != slot]
            if len(left):
                postings[gram] = left
            else:
                del postings[gram]
        self.pks[slot], self.counts[slot], self.unplaced[slot], self.rows[slot] = -1, 0, False, None
        self.free.append(slot)

    def copy(self) -> "GramIndex":
        other = GramIndex.__new__(GramIndex)
        other.pks, other.counts, other.rows = self.pks.copy(), self.counts.copy(), list(self.rows)
        other.unplaced = self.unplaced.copy()
        other.slot, other.postings, other.free = dict(self.slot), dict(self.postings), list(self.free)
        return other

    def shared(self, grams, weight) -> tuple[np.ndarray, np.ndarray]:
        """Per slot: how many of `grams` the pooled clue holds, and the sum of their weights."""
        held = [(gram, self.postings[gram]) for gram in grams if gram in self.postings]
        size = len(self.pks)
        if not held:
            return np.zeros(size, dtype=np.int64), np.zeros(size)
        slots = np.concatenate([slots for _, slots in held])
        weights = np.repeat(np.array([weight(gram) for gram, _ in held]), [len(slots) for _, slots in held])
        return np.bincount(slots, minlength=size), np.bincount(slots, weights=weights, minlength=size)


_kept: dict[str, Pool] = {}
_lock = threading.Lock()


def _row(pk: int, text: str, region: str) -> tuple:
    return pk, frozenset(text.split()), region


def earlier_than(clue_pk: int) -> Pool:
    """The pool for a clue just registered as `clue_pk`: the CONTENT_POOL most recent clues before it."""
    with _lock:
        kept = _kept.get("pool")
    if kept is not None and time.monotonic() - kept.built < REFRESH_SECONDS and kept.top < clue_pk:
        new = list(Clue.objects.filter(pk__gt=kept.top, pk__lt=clue_pk).order_by("pk")
                   .values_list("pk", "match_shingles", "region")[:CONTENT_POOL + 1])
        if not new:
            return kept  # shared, read only (its weights, once computed, serve every intake until it moves on)
        if len(new) <= CONTENT_POOL:
            pool = kept.copy()
            for row in new:
                pool.add(*_row(*row))
            _keep_on_commit(pool)
            return pool
    rows = list(Clue.objects.filter(pk__lt=clue_pk).order_by("-pk")
                .values_list("pk", "match_shingles", "region")[:CONTENT_POOL])
    pool = Pool()
    for row in reversed(rows):
        pool.add(*_row(*row))
    if len(rows) == CONTENT_POOL:
        _keep_on_commit(pool)
    return pool


def _keep_on_commit(pool: Pool) -> None:
    def keep():
        with _lock:
            kept = _kept.get("pool")
            if kept is None or pool.top >= kept.top or pool.built > kept.built:
                _kept["pool"] = pool
    transaction.on_commit(keep)


def forget() -> None:
    """Drop the kept pool (a clue's content or region was corrected, or every clue's keys were rebuilt)."""
    with _lock:
        _kept.clear()
