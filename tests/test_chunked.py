"""core.chunked.in_chunks: the list's order and annotations across chunks; rows gone between chunks are skipped."""

from django.db.models import F

from qicha.core.chunked import in_chunks
from qicha.problems.models import Problem
from qicha.problems.queries import ProblemFilters, problem_list

from .problem_helpers import register


def test_rows_come_in_the_querysets_order_with_annotations(demo, user):
    for number in range(7):
        register(demo, unit_name="城西区民政局", by="liaison_chengxi", description=f"第{number}个问题")
    queryset = problem_list(user("office"), ProblemFilters()).order_by("-id").annotate(unit_label=F("unit__name"))
    expected = [(p.pk, p.unit_label) for p in queryset]
    assert len(expected) >= 7
    assert [(p.pk, p.unit_label) for p in in_chunks(queryset, size=3)] == expected


def test_a_row_removed_between_chunks_is_skipped(demo, user):
    problems = [register(demo, unit_name="城西区民政局", by="liaison_chengxi", description=f"问题{n}") for n in range(5)]
    queryset = Problem.objects.filter(pk__in=[p.pk for p in problems], status="open").order_by("id")
    rows = in_chunks(queryset, size=2)
    seen = [next(rows).pk, next(rows).pk]
    # Between chunks the same connection writes, as a job's progress report does.
    Problem.objects.filter(pk=problems[3].pk).update(status="voided")
    seen += [p.pk for p in rows]
    assert seen == [problems[0].pk, problems[1].pk, problems[2].pk, problems[4].pk]
