import re

from django.db import transaction

from qicha.core.audit import EventType, record_event, snapshot
from qicha.core.errors import Invalid
from qicha.core.versioning import claim_version

from ..models import Unit, UnitKind
from ._guard import require_permission

UNIT_FIELDS = ["name", "short_name", "kind", "code", "region_code", "is_active"]
REGION_CODE = re.compile(r"\d{6}|\d{12}")


def _validate(name: str, kind: str, code: str | None, exclude_pk: int | None = None, parent=None,
              is_new: bool = False, region_code: str = "") -> dict:
    errors = {}
    if region_code and not REGION_CODE.fullmatch(region_code.strip()):
        errors["region_code"] = "行政区划代码应为 6 位（区县）或 12 位（乡镇、村）数字。"
    if not (name or "").strip():
        errors["name"] = "请填写单位名称。"
    elif is_new and parent is None and Unit.objects.exists():
        errors["parent"] = "请选择上级单位（系统中已有顶级单位）。"
    else:
        siblings = Unit.objects.filter(name=name.strip()).exclude(pk=exclude_pk)
        siblings = siblings.filter(path__startswith=parent.path, depth=parent.depth + 1) if parent else siblings.filter(depth=1)
        if is_new and siblings.exists():
            errors["name"] = f"上级单位下已有名为“{name.strip()}”的单位。"
    if kind not in UnitKind.values:
        errors["kind"] = "请选择单位类型。"
    if code and Unit.objects.filter(code=code).exclude(pk=exclude_pk).exists():
        errors["code"] = f"单位代码“{code}”已被其他单位使用。"
    if errors:
        raise Invalid(details=errors)
    return errors


def create_unit(actor, *, parent: Unit | None, name: str, kind: str, short_name: str = "", code: str | None = None,
                region_code: str = "") -> Unit:
    require_permission(actor, "org.manage_units")
    _validate(name, kind, code, parent=parent, is_new=True, region_code=region_code or "")
    with transaction.atomic():
        fields = {"name": name.strip(), "kind": kind, "short_name": short_name.strip(), "code": code or None,
                  "region_code": (region_code or "").strip()}
        unit = Unit.objects.add_child(parent, fields) if parent else Unit.objects.add_root(fields)
        record_event(EventType.CREATE, actor=actor, obj=unit, after=snapshot(unit, UNIT_FIELDS))
    return unit


def update_unit(actor, unit: Unit, *, version: int, **changes) -> Unit:
    require_permission(actor, "org.manage_units")
    unknown = set(changes) - set(UNIT_FIELDS)
    if unknown:
        raise Invalid(f"不能修改的字段：{', '.join(sorted(unknown))}")
    merged = {**snapshot(unit, UNIT_FIELDS), **changes}
    _validate(merged["name"], merged["kind"], merged["code"], exclude_pk=unit.pk, region_code=merged["region_code"] or "")
    with transaction.atomic():
        before = snapshot(unit, UNIT_FIELDS)
        claim_version(unit, version)
        for field, value in changes.items():
            setattr(unit, field, value.strip() if isinstance(value, str) else value)
        unit.code = unit.code or None
        unit.save(update_fields=list(changes))
        record_event(EventType.UPDATE, actor=actor, obj=unit, before=before, after=snapshot(unit, UNIT_FIELDS))
    return unit
