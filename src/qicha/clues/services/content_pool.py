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

    def add(self, pk: int, shingles: frozenset, region: str) -> None:
        self.rows.append((pk, shingles, region))
        self.stats.add(shingles)
        self.top = max(self.top, pk)
        while len(self.rows) > CONTENT_POOL:
            gone, gone_shingles, _ = self.rows.popleft()
            self.stats.remove(gone_shingles)
            self.totals.pop(gone, None)
            self.slides += 1
        if self.slides >= TOTALS_FRESH:
            self.totals, self.slides = {}, 0

    def total(self, index: int, shingles: frozenset) -> float:
        """Σ weight of a pooled clue's grams, as summed at most TOTALS_FRESH slides ago."""
        found = self.totals.get(index)
        if found is None:
            found = self.totals[index] = self.stats.total(shingles)
        return found

    def copy(self) -> "Pool":
        stats = similarity.ContentStats()
        stats.documents, stats.df = self.stats.documents, dict(self.stats.df)
        return Pool(deque(self.rows), stats, self.top, self.built, dict(self.totals), self.slides)


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
