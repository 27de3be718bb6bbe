"""Data scope (数据权限), applied in one place.

A user's roles each carry permissions and one scope. For a given permission the visible rows are the
union of what each role granting it may see; with no role granting it, nothing is visible (fail closed).
Every queries.py builds its lists on `scope_filter`; every service checks single records with `can_act_on`.

Core reads the organisation (the `orgs` app) only through Django's user model, never by importing it: a user has
`unit` (a tree node with a materialised `path`) and `cached_roles()`; a role has `permissions`, `scope` (a DataScope)
and `custom_unit_ids()`. The unit model is whatever the user's `unit` points at.
"""

from django.contrib.auth import get_user_model
from django.db import models
from django.db.models import Q

NOTHING = Q(pk__in=[])

# Scopes whose units another app knows (supervision: the units of the inspections a user is on, while they run).
# The app registers a function user -> queryset of unit ids; core imports no app.
_UNIT_PROVIDERS = {}


def register_scope_units(scope: str, provider) -> None:
    _UNIT_PROVIDERS[scope] = provider


def _provided_unit_ids(user, scope: str):
    provider = _UNIT_PROVIDERS.get(scope)
    return provider(user) if provider is not None else None


class DataScope(models.TextChoices):
    """The reach of one role (orgs.Role.scope holds one of these)."""

    ALL = "all", "全部"
    SUBTREE = "subtree", "本单位及下级"
    UNIT = "unit", "本单位"
    SELF = "self", "仅本人"
    CUSTOM = "custom", "自定"
    # The units of the inspections the user is an inspector on, while they are under way (督导员); the supervision
    # app registers how to find them (register_scope_units).
    INSPECTION = "inspection", "所参加的实施中督导检查的被检查单位"


def unit_model():
    """The organisation's unit model (orgs.Unit), found through the user model rather than imported."""
    return get_user_model()._meta.get_field("unit").related_model


def _roles_granting(user, permission: str):
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    return [role for role in user.cached_roles() if permission in role.permissions]


def has_permission(user, permission: str) -> bool:
    return bool(_roles_granting(user, permission))


def scope_filter(user, permission: str, unit_field: str = "unit", owner_field: str | None = None) -> Q:
    """A Q object limiting a queryset to the rows `user` may see under `permission`."""
    result = NOTHING
    for role in _roles_granting(user, permission):
        if role.scope == DataScope.ALL:
            # Q() | anything is not "everything" in Django (an empty Q is dropped when combined).
            return Q()
        result |= _role_q(user, role, unit_field, owner_field)
    return result


def _role_q(user, role, unit_field: str, owner_field: str | None) -> Q:
    scope = role.scope
    if scope == DataScope.SUBTREE and user.unit_id:
        # A subquery on the small unit table, so the big table is searched by its unit index.
        subtree = unit_model().objects.filter(path__startswith=user.unit.path).values("pk")
        return Q(**{f"{unit_field}__in": subtree})
    if scope == DataScope.UNIT and user.unit_id:
        return Q(**{unit_field: user.unit_id})
    if scope == DataScope.SELF and owner_field:
        return Q(**{owner_field: user.pk})
    if scope == DataScope.CUSTOM:
        ids = role.custom_unit_ids()
        return Q(**{f"{unit_field}__in": ids}) if ids else NOTHING
    provided = _provided_unit_ids(user, scope)
    if provided is not None:
        return Q(**{f"{unit_field}__in": provided})
    return NOTHING


def units_in_scope(user, permission: str):
    """The units whose records `user` may see under `permission`, as a Unit queryset."""
    return unit_model().objects.filter(scope_filter_units(user, permission))


def scope_filter_units(user, permission: str) -> Q:
    result = NOTHING
    for role in _roles_granting(user, permission):
        if role.scope == DataScope.ALL:
            return Q()
        if role.scope == DataScope.SUBTREE and user.unit_id:
            result |= Q(path__startswith=user.unit.path)
        elif role.scope in (DataScope.UNIT, DataScope.SELF) and user.unit_id:
            # "Only own records" still lives inside the user's own unit.
            result |= Q(pk=user.unit_id)
        elif role.scope == DataScope.CUSTOM:
            ids = role.custom_unit_ids()
            if ids:
                result |= Q(pk__in=ids)
        else:
            provided = _provided_unit_ids(user, role.scope)
            if provided is not None:
                result |= Q(pk__in=provided)
    return result


def can_act_on(user, permission: str, unit, owner_id: int | None = None) -> bool:
    """Whether `user` holds `permission` over a record of `unit` (owned by `owner_id`)."""
    for role in _roles_granting(user, permission):
        scope = role.scope
        if scope == DataScope.ALL:
            return True
        if scope == DataScope.SUBTREE and user.unit_id and unit.path.startswith(user.unit.path):
            return True
        if scope == DataScope.UNIT and unit.pk == user.unit_id:
            return True
        if scope == DataScope.SELF and owner_id is not None and owner_id == user.pk:
            return True
        if scope == DataScope.CUSTOM and unit.pk in role.custom_unit_ids():
            return True
        provided = _provided_unit_ids(user, scope)
        if provided is not None and unit.pk in set(provided):
            return True
    return False
