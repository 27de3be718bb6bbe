from django import template

register = template.Library()


@register.filter
def can(user, permission: str) -> bool:
    """`{% if user|can:"coverage.view" %}` — hide what the user may not open."""
    from qicha.core.scope import has_permission

    return has_permission(user, permission)


@register.filter
def get(mapping, key):
    return mapping.get(key) if hasattr(mapping, "get") else None


@register.filter
def action_label(event) -> str:
    """The Chinese name of an audit event's action, for the kind of record it acted on."""
    from qicha.core.audit import action_label as label

    return label(event.action, event.object_type)


@register.filter
def changes(event):
    from qicha.core.audit import changed_fields

    return changed_fields(event)


@register.filter
def audit_content_visible(event) -> bool:
    from qicha.core.audit import shows_content

    return shows_content(event)


FILTER_LABELS = {"campaign": "专项行动", "check_item": "查摆事项", "unit": "单位", "aspect": "反馈方面", "status": "状态",
                 "due_within_days": "几日内到期", "rectification_type": "整改类型", "source": "来源"}


@register.filter
def filter_label(name: str) -> str:
    return FILTER_LABELS.get(name, name)


@register.filter
def object_type_label(object_type: str) -> str:
    """"clues.case" → "案件": the model's Chinese name for the audit page (the raw label if unknown)."""
    from django.apps import apps

    try:
        return str(apps.get_model(object_type)._meta.verbose_name)
    except (LookupError, ValueError):
        return object_type


@register.filter
def masked_text(text) -> str:
    """Free text with the identity and phone numbers typed into it masked (core.masking.mask_free_text), as the
    exports print it."""
    from qicha.core.masking import mask_free_text

    return mask_free_text(str(text or ""))
