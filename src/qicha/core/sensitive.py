"""One field type for sensitive values (identity numbers, phone numbers, reporter identity).

The column holds SM4-GCM ciphertext tagged with its key id; a companion `<name>_index` column holds the keyed
SM3 blind index for exact lookup. Reading the field gives a `Sealed` value that prints masked; the clear text
comes only from `reveal_sensitive`, which checks the permission and writes an audit event.
"""

from django.db import models, transaction

from .audit import EventType, record_event
from .crypto import KeyError_, blind_index, decrypt_text, encrypt_text, keys
from .errors import Invalid, NotFound
from .masking import MASKS


class Sealed:
    """A sensitive value as read from the database: masked when shown, clear only on purpose."""

    __slots__ = ("_ciphertext", "_plain", "kind")

    def __init__(self, kind: str, ciphertext: str = "", plain: str | None = None):
        self.kind, self._ciphertext, self._plain = kind, ciphertext, plain

    @property
    def ciphertext(self) -> str:
        return self._ciphertext

    def clear(self) -> str:
        if self._plain is None:
            self._plain = decrypt_text(self._ciphertext, self.kind) if self._ciphertext else ""
        return self._plain

    @property
    def masked(self) -> str:
        return MASKS[self.kind](self.clear())

    def __str__(self) -> str:
        return self.masked

    def __bool__(self) -> bool:
        return bool(self._ciphertext or self._plain)

    def __eq__(self, other) -> bool:
        return isinstance(other, Sealed) and self.clear() == other.clear()

    __hash__ = None


class SensitiveField(models.TextField):
    def __init__(self, *args, kind: str, **kwargs):
        self.kind = kind
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", "")
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["kind"] = self.kind
        return name, path, args, kwargs

    def from_db_value(self, value, expression, connection):
        return Sealed(self.kind, ciphertext=value or "")

    def to_python(self, value):
        if isinstance(value, Sealed) or value is None:
            return value
        return Sealed(self.kind, plain=str(value))

    def pre_save(self, instance, add):
        value = getattr(instance, self.attname)
        plain = value.clear() if isinstance(value, Sealed) else (value or "")
        # The companion index column (declared right after this field) follows the value.
        setattr(instance, f"{self.attname}_index", blind_index(plain, self.kind) if plain else "")
        return value

    def get_prep_value(self, value):
        if isinstance(value, Sealed):
            if value._ciphertext and value._plain is None:
                return value._ciphertext
            value = value.clear()
        return encrypt_text(value, self.kind) if value else ""


def index_field() -> models.CharField:
    return models.CharField(max_length=64, blank=True, db_index=True, editable=False)


def lookup(kind: str, plain: str) -> str:
    """The blind index to filter on: Model.objects.filter(phone_index=lookup("phone", "13900000000"))."""
    return blind_index(plain, kind)


def reveal_sensitive(actor, obj, field_name: str, *, permission: str, reason: str, can_act) -> str:
    """The clear value for an entitled actor, with a stated reason; every reveal is audited."""
    reason = (reason or "").strip()
    if not can_act(actor, permission, obj):
        record_event(EventType.REVEAL, actor=actor, obj=obj, action=field_name, outcome="denied", detail="无权查看明文")
        raise NotFound()
    if not reason:
        raise Invalid("查看明文须说明理由。", {"reason": "请填写查看理由"})
    with transaction.atomic():
        value = getattr(obj, field_name)
        record_event(EventType.REVEAL, actor=actor, obj=obj, action=field_name, detail=reason)
    return value.clear() if isinstance(value, Sealed) else str(value)


def sensitive_fields():
    from django.apps import apps

    for model in apps.get_models():
        for field in model._meta.get_fields():
            if isinstance(field, SensitiveField):
                yield model, field


def first_encrypted_value_error() -> str | None:
    """Try one stored ciphertext per field with the current keys (start-up check)."""
    for model, field in sensitive_fields():
        stored = model.objects.exclude(**{field.attname: ""}).values_list(field.attname, flat=True).first()
        if stored:
            try:
                decrypt_text(stored.ciphertext, field.kind)
            except KeyError_ as exc:
                return f"{model._meta.verbose_name}的{field.verbose_name}无法解密：{exc}"
    from .registry import SEALED

    for sealed in SEALED.values():
        problem = sealed.first_error()
        if problem:
            return problem
    return None


def rotate_field_key() -> dict:
    """Re-encrypt every sensitive value with the current SM4 key (after a new key was put first in the ring)."""
    current = keys().field_id
    counts = {}
    for model, field in sensitive_fields():
        changed = 0
        for pk, sealed in model.objects.exclude(**{field.attname: ""}).values_list("pk", field.attname).iterator():
            if not sealed.ciphertext.startswith(f"{current}:"):
                plain = decrypt_text(sealed.ciphertext, field.kind)
                model.objects.filter(pk=pk).update(**{field.attname: Sealed(field.kind, plain=plain)})
                changed += 1
        counts[f"{model._meta.label}.{field.name}"] = changed
    from .registry import SEALED

    for label, sealed in SEALED.items():
        counts[label] = sealed.reseal()
    record_event(EventType.SETTING_CHANGE, action="rotate_field_key", detail=f"SM4 密钥轮换，重新加密：{counts}")
    return counts
