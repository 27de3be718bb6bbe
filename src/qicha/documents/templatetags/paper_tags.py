"""`{% paper_menu "problem" problem.pk %}`: the 打印表单 menu of a detail page (Word, and PDF where LibreOffice is)."""

from django import template
from django.urls import reverse

from qicha.documents import paper

register = template.Library()

FORMS = {
    "problem": [("problem_sign_off", "问题整改销号审批表"), ("problem_dossier", "一事一档（问题档案）")],
    "clue": [("clue_assignment", "线索交办单"), ("clue_report", "线索办结报告"), ("clue_dossier", "一事一档（线索档案）")],
}


@register.inclusion_tag("documents/_paper_menu.html")
def paper_menu(kind: str, pk: int):
    return {"forms": [(label, reverse(f"documents:{name}", args=[pk])) for name, label in FORMS[kind]],
            "pdf": paper.pdf_available(), "kind": kind}


@register.filter
def may_urge(user) -> bool:
    """Whether the user issues 督办函 (the office: problem.review)."""
    return paper.may_urge(user)
