from django import template

from qicha.orgs.permissions import label

register = template.Library()


@register.filter
def permission_label(code: str) -> str:
    """"problem.view" → "查看查摆问题"."""
    return label(code)
