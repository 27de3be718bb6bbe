"""Issue 20 (speed): the repeat search's content pool is kept per process and slides on with each intake, instead of
5,000 rows read and cut at every intake. Kept or not, it finds the same candidates: a clue registered since, a
corrected content, and never a clue whose registration was rolled back. A small pool stands in for the 5,000."""

import pytest
from django.db import transaction

from qicha.clues import similarity
from qicha.clues.models import Clue, RepeatCandidate
from qicha.clues.services import content_pool, update_clue

from .clue_helpers import intake
from .test_clue_repeats import FIRST_REPORT, REWORDED

FILLER = ["城西区某社区养老服务站克扣老人餐费，饭菜质量很差。", "某殡葬用品店强买强卖骨灰盒，价格翻了几倍。",
          "某协会违规收取会员会费并强制摊派赞助。", "青山镇某村换届选举中有人拉票贿选，每票两百元。"]


@pytest.fixture
def small_pool(monkeypatch):
    monkeypatch.setattr(content_pool, "CONTENT_POOL", 3)
    content_pool.forget()
    yield
    content_pool.forget()


def candidates_of(clue) -> set[int]:
    return set(RepeatCandidate.objects.filter(clue=clue).values_list("earlier_id", flat=True))


def test_the_kept_pool_slides_on_with_its_weights_counted_as_afresh(demo, small_pool,
                                                                     django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        for text in FILLER:
            intake(demo, content=text, domain="other", region="")
    kept = content_pool._kept["pool"]  # kept once a pool was full: the three clues before the last
    assert [pk for pk, _, _ in kept.rows] == list(Clue.objects.order_by("pk").values_list("pk", flat=True))[-4:-1]
    with django_capture_on_commit_callbacks(execute=True):
        first = intake(demo, content=FIRST_REPORT)
        later = intake(demo, source="public_report", content=REWORDED)
    assert candidates_of(later) == {first.pk}  # registered after the pool was kept, found through the slide
    pool = content_pool._kept["pool"]
    assert [pk for pk, _, _ in pool.rows] == list(Clue.objects.order_by("pk").values_list("pk", flat=True))[-4:-1]
    assert pool.rows[-1][0] == first.pk
    afresh = similarity.ContentStats(shingles for _, shingles, _ in pool.rows)
    assert (pool.stats.documents, pool.stats.df) == (afresh.documents, afresh.df)


def test_a_corrected_content_is_compared_as_corrected(demo, small_pool, user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        for text in FILLER:
            intake(demo, content=text, domain="other", region="")
        typo = intake(demo, content="（内容待补充）幸福村有人反映情况，具体内容见来信原件扫描件。")
    with django_capture_on_commit_callbacks(execute=True):
        update_clue(user("office"), typo, version=typo.version, content=FIRST_REPORT)
    with django_capture_on_commit_callbacks(execute=True):
        later = intake(demo, source="public_report", content=REWORDED)
    assert candidates_of(later) == {typo.pk}


def test_a_rolled_back_registration_leaves_nothing_in_the_pool(demo, small_pool, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        for text in FILLER:
            intake(demo, content=text, domain="other", region="")

    class Undo(Exception):
        pass

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(Undo), transaction.atomic():
        intake(demo, content=FIRST_REPORT)
        raise Undo
    with django_capture_on_commit_callbacks(execute=True):
        later = intake(demo, source="public_report", content=REWORDED)
    assert candidates_of(later) == set()
    assert all(Clue.objects.filter(pk=pk).exists() for pk, _, _ in content_pool._kept["pool"].rows)


def test_the_gram_index_slides_on_as_if_built_afresh(demo, small_pool, django_capture_on_commit_callbacks):
    # Intake's pre-filter reads the pool's gram index, kept up to date slide by slide (slots reused): it must hold
    # exactly what one built from the pooled clues would.
    for text in [*FILLER, FIRST_REPORT, *FILLER, REWORDED]:
        with django_capture_on_commit_callbacks(execute=True):  # each intake committed: the next one slides on
            intake(demo, content=text, domain="other", region="")
    pool = content_pool._kept["pool"]
    assert pool.grams is not None  # built at the first search, then carried from pool to pool

    def by_gram(index):
        return {gram: sorted(int(index.pks[slot]) for slot in slots) for gram, slots in index.postings.items()}

    afresh = content_pool.GramIndex(pool.rows)
    assert by_gram(pool.grams) == by_gram(afresh)
    assert {pk: int(pool.grams.counts[slot]) for pk, slot in pool.grams.slot.items()} == {
        pk: len(shingles) for pk, shingles, _ in pool.rows}
