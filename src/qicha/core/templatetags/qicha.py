from django import template

from qicha.orgs.permissions import label

register = template.Library()


@register.filter
def permission_label(code: str) -> str:
    return label(code)


@register.filter
def can(user, permission: str) -> bool:
    """`{% if user|can:"coverage.view" %}` — hide what the user may not open."""
    from qicha.core.scope import has_permission

    return has_permission(user, permission)


@register.filter
def get(mapping, key):
    return mapping.get(key) if hasattr(mapping, "get") else None


@register.filter
def action_label(code: str) -> str:
    from qicha.core.audit import ACTION_LABELS

    return ACTION_LABELS.get(code, code)


@register.filter
def changes(event):
    from qicha.core.audit import changed_fields

    return changed_fields(event)


@register.filter
def audit_content_visible(event) -> bool:
    from qicha.core.audit import shows_content

    return shows_content(event)
