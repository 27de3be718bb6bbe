from django.contrib.auth import authenticate
from django.contrib.auth.signals import user_logged_in
from ninja import Router, Schema

from qicha.core.api.formats import iso_time
from qicha.core.api.pagination import paginate
from qicha.core.errors import Conflict, DomainError, Invalid

from . import queries
from .api_auth import PasswordChangeRequired
from .models import Unit
from .security import must_change_password, needs_second_factor
from .services import issue_api_token, update_unit

router = Router(tags=["账号与单位"])
public = Router(tags=["账号与单位"])


class Unauthorized(DomainError):
    code = "invalid_credentials"
    status = 401
    default_message = "用户名或密码错误。"


class SecondFactorRequired(DomainError):
    code = "otp_required"
    status = 401
    default_message = "该账号须提供动态口令（otp）。"


class TokenRequest(Schema):
    username: str
    password: str
    otp: str | None = None


class TokenOut(Schema):
    token: str
    expires_at: str


@public.post("/auth/token", response=TokenOut, auth=None, summary="获取令牌")
def obtain_token(request, payload: TokenRequest):
    """Same lockout, policy and audit as the login page; one generic failure message."""
    missing = {name: f"请输入{label}" for name, label, value in (("username", "用户名", payload.username.strip()),
                                                               ("password", "密码", payload.password)) if not value}
    if missing:  # as on the page: said, and not counted as a failed sign-in
        raise Invalid(f"请输入{'和'.join(m.removeprefix('请输入') for m in missing.values())}。", missing)
    user = authenticate(request, username=payload.username, password=payload.password)
    if user is None:
        raise Unauthorized()
    if needs_second_factor(user):
        from .services.second_factor import check_code, confirmed_device

        device = confirmed_device(user)
        if device is None:
            raise SecondFactorRequired("该账号须先在页面上绑定动态口令，之后才能使用接口。")
        if not check_code(user, device, payload.otp or "", channel_detail="接口令牌：动态口令缺失或错误"):
            raise SecondFactorRequired()
    if must_change_password(user):
        raise PasswordChangeRequired()
    user_logged_in.send(sender=user.__class__, request=request, user=user)
    token, key = issue_api_token(user)
    return {"token": key, "expires_at": iso_time(token.expires_at)}


def unit_out(unit: Unit) -> dict:
    parent_path = unit.path[: -Unit.steplen]
    return {"id": unit.pk, "name": unit.name, "kind": unit.kind, "kind_label": unit.get_kind_display(),
            "region_code": unit.region_code, "path": unit.path, "parent_path": parent_path or None}


@router.get("/me", summary="当前用户")
def me(request):
    user = request.user
    return {
        "id": user.pk,
        "username": user.username,
        "full_name": user.full_name,
        "unit": {"id": user.unit.pk, "name": user.unit.name, "path": user.unit.path} if user.unit else None,
        "roles": [
            {"code": r.code, "name": r.name, "scope": r.scope, "scope_label": r.get_scope_display(),
             "custom_units": r.custom_unit_ids()}
            for r in user.cached_roles()
        ],
        "permissions": sorted(user.permission_codes()),
    }


@router.get("/units", summary="单位列表（仅数据权限范围内）")
def units(request, page: int = 1, page_size: int = 50):
    visible = list(queries.visible_units(request.user))
    by_path = {u.path: u.pk for u in Unit.objects.filter(path__in=[u.path[: -Unit.steplen] for u in visible if u.depth > 1])}

    def serialize(unit):
        row = unit_out(unit)
        row["parent_id"] = by_path.get(row.pop("parent_path"))
        return row

    return paginate(visible, page, page_size, serialize)


class UnitPatch(Schema):
    version: int | None = None
    name: str | None = None
    short_name: str | None = None
    code: str | None = None
    region_code: str | None = None
    is_active: bool | None = None


@router.patch("/units/{unit_id}", summary="修改单位（名称、简称、单位代码、行政区划代码、启用）")
def patch_unit(request, unit_id: int, payload: UnitPatch):
    unit = queries.get_visible_unit(request.user, unit_id)
    changes = payload.dict(exclude_unset=True)
    version = changes.pop("version", None)
    if version is None:
        raise Conflict("缺少版本号（version），无法确认您修改的是最新内容。")
    update_unit(request.user, unit, version=version, **changes)
    unit.refresh_from_db()
    return unit_out(unit) | {"version": unit.version}
