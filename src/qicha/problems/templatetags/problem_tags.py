"""`{{ p.pk|problem_no }}` → "P000013": the 问题编号 as the Excel export and import write it, so the number a user
reads on a page is the one they find in the spreadsheet (and can search the list by)."""

from django import template

from qicha.problems.numbers import format_problem_no

register = template.Library()


@register.filter
def problem_no(pk) -> str:
    try:
        return format_problem_no(int(pk))
    except (TypeError, ValueError):
        return ""
