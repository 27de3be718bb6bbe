"""The one point where every act is recorded (who, when, what, object, before/after, IP, outcome).

Services call `record_event` inside their transaction, so an act and its record commit together.
"""

import json
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

from . import request_context
from .models import AuditEvent

EventType = AuditEvent.EventType
Outcome = AuditEvent.Outcome


def to_json_safe(value: Any) -> Any:
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False))


def snapshot(instance: models.Model, fields: list[str]) -> dict:
    """The named fields of a record as JSON-safe values; foreign keys as their ids."""
    data = {}
    for name in fields:
        field = instance._meta.get_field(name)
        if field.many_to_many:
            data[name] = sorted(instance.pk and getattr(instance, name).values_list("pk", flat=True) or [])
        elif field.is_relation:
            data[name] = getattr(instance, field.attname)
        else:
            data[name] = getattr(instance, name)
    return to_json_safe(data)


def object_type_of(obj: models.Model) -> str:
    return obj._meta.label_lower


def record_event(
    event_type: str,
    *,
    actor=None,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    object_repr: str = "",
    action: str = "",
    before: dict | None = None,
    after: dict | None = None,
    outcome: str = Outcome.SUCCESS,
    detail: str = "",
    username: str = "",
) -> AuditEvent:
    ctx = request_context.current()
    unit = getattr(actor, "unit", None) if actor is not None and actor.is_authenticated else None
    if obj is not None:
        object_type = object_type or object_type_of(obj)
        object_id = object_id or str(obj.pk)
        object_repr = object_repr or str(obj)[:300]
    return AuditEvent.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        actor_username=(actor.get_username() if actor is not None and actor.is_authenticated else username)[:150],
        unit=unit,
        unit_name=unit.name if unit else "",
        ip=ctx.ip,
        channel=ctx.channel,
        event_type=event_type,
        object_type=object_type,
        object_id=object_id,
        object_repr=object_repr[:300],
        action=action,
        outcome=outcome,
        before=to_json_safe(before) if before is not None else None,
        after=to_json_safe(after) if after is not None else None,
        detail=detail,
    )


def history_of(obj: models.Model):
    """The audit events about one record, oldest first — the record's timeline."""
    return AuditEvent.objects.filter(object_type=object_type_of(obj), object_id=str(obj.pk)).order_by("id")


# Chinese names for the `action` codes the services record, for the audit page.
ACTION_LABELS = {
    "assign_roles": "分配角色", "create_role": "新增角色", "update_role": "修改角色", "enable": "启用账号",
    "disable": "停用账号", "reset_password": "重置密码", "revoke_token": "注销令牌", "add_progress": "填报整改进展",
    "start": "开始整改", "submit": "申请销号", "return": "退回", "sign_off": "销号", "void": "作废",
    "启用": "启用账号", "停用": "停用账号", "重置密码": "重置密码",
}


def changed_fields(event: AuditEvent) -> list[tuple[str, object, object]]:
    """(field, before, after) for every key that differs — what the auditor needs to see."""
    before, after = event.before or {}, event.after or {}
    keys = list(dict.fromkeys([*before, *after]))
    return [(k, before.get(k, "—"), after.get(k, "—")) for k in keys if before.get(k) != after.get(k)]
