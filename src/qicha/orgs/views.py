"""In-app pages for the 系统管理员 (units, users) and the 安全管理员 (roles, scopes, grants)."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from qicha.core.errors import Conflict, Forbidden, Invalid
from qicha.core.web import form_errors_from, permission_required

from . import permissions, queries, services
from .forms import GrantForm, RoleForm, UnitForm, UserForm
from .models import Unit


@permission_required("org.manage_units")
def units(request):
    tree = queries.visible_units(request.user)
    return render(request, "orgs/units.html", {"units": tree, "breadcrumbs": [("系统管理", None), ("单位管理", None)]})


@permission_required("org.manage_units")
def unit_create(request):
    form = UnitForm(request.POST or None, initial={"parent": request.GET.get("parent")})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        parent = Unit.objects.filter(pk=data["parent"]).first() if data["parent"] else None
        try:
            unit = services.create_unit(
                request.user, parent=parent, name=data["name"], kind=data["kind"],
                short_name=data["short_name"], code=data["code"] or None, region_code=data["region_code"],
            )
        except Invalid as exc:
            form_errors_from(form, exc)
        else:
            messages.success(request, f"已新增单位“{unit.name}”。")
            return redirect("orgs:units")
    return render(request, "orgs/form.html", {
        "form": form, "title": "新增单位",
        "breadcrumbs": [("系统管理", None), ("单位管理", reverse("orgs:units")), ("新增单位", None)],
    })


@permission_required("org.manage_units")
def unit_edit(request, pk):
    unit = queries.get_visible_unit(request.user, pk)
    initial = {f: getattr(unit, f) for f in ("name", "short_name", "kind", "code", "region_code", "is_active")} | {"version": unit.version}
    form = UnitForm(request.POST or None, initial=initial, editing=True)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.update_unit(
                request.user, unit, version=data["version"], name=data["name"], short_name=data["short_name"],
                kind=data["kind"], code=data["code"] or None, region_code=data["region_code"],
                is_active=data["is_active"],
            )
        except (Conflict, Invalid) as exc:
            form_errors_from(form, exc)
        else:
            messages.success(request, f"单位“{unit.name}”已保存。")
            return redirect("orgs:units")
    return render(request, "orgs/form.html", {
        "form": form, "title": f"修改单位：{unit.name}",
        "breadcrumbs": [("系统管理", None), ("单位管理", reverse("orgs:units")), (unit.name, None)],
    })


@permission_required("org.manage_users", "security.assign_roles")
def users(request):
    q = request.GET.get("q", "").strip()
    unit_id = request.GET.get("unit") or None
    page = Paginator(queries.managed_users(request.user, q=q, unit_id=unit_id), 50).get_page(request.GET.get("page"))
    locked = queries.locked_users(request.user)
    locks = {user.pk: lock for user, lock in locked}
    for user in page:
        user.lock = locks.get(user.pk)
    return render(request, "orgs/users.html", {
        "page": page, "q": q, "unit_id": unit_id, "units": queries.visible_units(request.user), "locked": locked,
        "breadcrumbs": [("系统管理", None), ("用户管理", None)],
    })


@permission_required("org.manage_users")
def user_create(request):
    form = UserForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user, first = services.create_user(
                request.user, username=data["username"], full_name=data["full_name"],
                unit=Unit.objects.filter(pk=data["unit"]).first(), phone=data["phone"], email=data["email"],
            )
        except Invalid as exc:
            form_errors_from(form, exc)
        else:
            messages.warning(
                request,
                f"已创建用户“{user.username}”。第一半激活码为：{first}　请当面交给本人（只显示这一次）；"
                "第二半由安全管理员发放。本人凭两半激活码在登录页“激活账号”设置自己的密码。",
                extra_tags="one-time-password",
            )
            return redirect("orgs:users")
    return render(request, "orgs/form.html", {
        "form": form, "title": "新增用户",
        "note": "账号创建后由安全管理员分配角色、发放第二半激活码；系统管理员只交付第一半，任何管理员都拿不到本人的密码。",
        "breadcrumbs": [("系统管理", None), ("用户管理", reverse("orgs:users")), ("新增用户", None)],
    })


@permission_required("org.manage_users")
def user_edit(request, pk):
    user = queries.get_managed_user(request.user, pk)
    initial = {"username": user.username, "full_name": user.full_name, "unit": user.unit_id, "email": user.email,
               "version": user.version}
    form = UserForm(request.POST or None, initial=initial, editing=True)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            changes = {"full_name": data["full_name"], "unit": Unit.objects.filter(pk=data["unit"]).first(),
                       "email": data["email"]}
            if data["phone"]:
                changes["phone"] = data["phone"]  # blank keeps the stored (encrypted) number
            services.update_user(request.user, user, version=data["version"], **changes)
        except (Conflict, Invalid) as exc:
            form_errors_from(form, exc)
        else:
            messages.success(request, f"用户“{user.username}”已保存。")
            return redirect("orgs:users")
    form.fields["phone"].help_text = f"当前：{user.phone or '未填写'}（已脱敏）。留空表示不修改。"
    return render(request, "orgs/form.html", {
        "form": form, "title": f"修改用户：{user.username}", "managed": user,
        "breadcrumbs": [("系统管理", None), ("用户管理", reverse("orgs:users")), (user.username, None)],
    })


@require_POST
@permission_required("org.manage_users")
def user_reset_password(request, pk):
    user = queries.get_managed_user(request.user, pk)
    try:
        first = services.reset_password(request.user, user)
    except (Forbidden, Invalid) as exc:
        messages.error(request, exc.message)
    else:
        messages.warning(
            request,
            f"已重置用户“{user.username}”的密码：原密码已失效，登录会话和接口令牌已注销。第一半激活码为：{first}　"
            "请当面交给本人（只显示这一次）；第二半由安全管理员发放。本人凭两半激活码在登录页“激活账号”设置新密码。",
            extra_tags="one-time-password",
        )
    return redirect("orgs:users")


@require_POST
@permission_required("org.manage_users")
def user_unlock(request, pk):
    user = queries.get_managed_user(request.user, pk)
    try:
        services.unlock_account(request.user, user)
    except (Forbidden, Invalid) as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"已解除用户“{user.username}”的登录锁定，本人可以用原密码登录。")
    return redirect("orgs:users")


@permission_required("security.assign_roles")
def password_resets(request):
    return render(request, "orgs/password_resets.html", {
        "resets": queries.open_password_resets(request.user),
        "breadcrumbs": [("系统管理", None), ("密码重置发放", None)],
    })


@require_POST
@permission_required("security.assign_roles")
def password_reset_release(request, pk):
    reset = queries.get_open_password_reset(request.user, pk)
    try:
        second = services.release_password_reset(request.user, reset)
    except (Forbidden, Invalid) as exc:
        messages.error(request, exc.message)
    else:
        messages.warning(
            request,
            f"用户“{reset.user.username}”的第二半激活码为：{second}　请当面交给本人（只显示这一次）。",
            extra_tags="one-time-password",
        )
    return redirect("orgs:password_resets")


@require_POST
@permission_required("org.manage_users")
def user_set_active(request, pk):
    user = queries.get_managed_user(request.user, pk)
    active = request.POST.get("active") == "1"
    try:
        services.set_user_active(request.user, user, active=active, version=int(request.POST.get("version", 0)))
    except (Conflict, Invalid) as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"用户“{user.username}”已{'启用' if active else '停用'}。")
    return redirect("orgs:users")


@permission_required("security.manage_roles")
def roles(request):
    return render(request, "orgs/roles.html", {
        "roles": queries.managed_roles(request.user), "labels": permissions.ALL,
        "breadcrumbs": [("系统管理", None), ("角色与数据权限", None)],
    })


def _role_form_values(form):
    data = form.cleaned_data
    return {
        "name": data["name"], "description": data["description"], "perms": data["permissions"],
        "scope": data["scope"], "custom_units": list(Unit.objects.filter(pk__in=data["custom_units"])),
    }


@permission_required("security.manage_roles")
def role_create(request):
    form = RoleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            role = services.create_role(request.user, code=form.cleaned_data["code"], **_role_form_values(form))
        except Invalid as exc:
            form_errors_from(form, exc)
        else:
            messages.success(request, f"已新增角色“{role.name}”。")
            return redirect("orgs:roles")
    return render(request, "orgs/form.html", {
        "form": form, "title": "新增角色",
        "breadcrumbs": [("系统管理", None), ("角色与数据权限", reverse("orgs:roles")), ("新增角色", None)],
    })


@permission_required("security.manage_roles")
def role_edit(request, pk):
    role = queries.get_managed_role(request.user, pk)
    initial = {
        "code": role.code, "name": role.name, "description": role.description, "permissions": role.permissions,
        "scope": role.scope, "custom_units": [u.pk for u in role.custom_units.all()], "version": role.version,
    }
    form = RoleForm(request.POST or None, initial=initial, editing=True)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_role(request.user, role, version=form.cleaned_data["version"], **_role_form_values(form))
        except (Conflict, Invalid) as exc:
            form_errors_from(form, exc)
        else:
            messages.success(request, f"角色“{role.name}”已保存。")
            return redirect("orgs:roles")
    return render(request, "orgs/form.html", {
        "form": form, "title": f"修改角色：{role.name}",
        "breadcrumbs": [("系统管理", None), ("角色与数据权限", reverse("orgs:roles")), (role.name, None)],
    })


@permission_required("security.assign_roles")
def grants(request):
    q = request.GET.get("q", "").strip()
    page = Paginator(queries.managed_users(request.user, q=q), 50).get_page(request.GET.get("page"))
    return render(request, "orgs/grants.html", {
        "page": page, "q": q, "breadcrumbs": [("系统管理", None), ("用户授权", None)],
    })


@permission_required("security.assign_roles")
def grant_edit(request, pk):
    user = queries.get_managed_user(request.user, pk)
    form = GrantForm(request.POST or None, initial={"roles": user.roles.all(), "version": user.version})
    form.fields["roles"].queryset = queries.managed_roles(request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.assign_roles(request.user, user, list(form.cleaned_data["roles"]), version=form.cleaned_data["version"])
        except (Conflict, Invalid) as exc:
            form_errors_from(form, exc)
        else:
            messages.success(request, f"已更新用户“{user.username}”的角色。")
            return redirect("orgs:grants")
    return render(request, "orgs/form.html", {
        "form": form, "title": f"分配角色：{user.display_name}（{user.username}）",
        "note": "三员分立：同一人不能同时担任系统管理员与审计管理员，或安全管理员与审计管理员。",
        "breadcrumbs": [("系统管理", None), ("用户授权", reverse("orgs:grants")), (user.username, None)],
    })
