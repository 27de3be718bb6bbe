"""Sign-in pages: login with one generic failure message, lockout, logout, password change."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from qicha.core.errors import Invalid
from qicha.core.forms import StyledFormMixin

from . import services

GENERIC_LOGIN_FAILURE = "用户名或密码错误，请重新输入。"


def lockout_message() -> str:
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return f"登录失败次数过多，该账户已被锁定 {minutes} 分钟，请稍后再试或联系系统管理员。"


class LoginForm(AuthenticationForm):
    error_messages = {
        # Same words whether the username exists, the password is wrong or the account is disabled.
        "invalid_login": GENERIC_LOGIN_FAILURE,
        "inactive": GENERIC_LOGIN_FAILURE,
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = "用户名"
        self.fields["password"].label = "密码"
        # An empty field is reported as one message above the form (the page shows no per-field errors).
        self.fields["username"].required = self.fields["password"].required = False
        self.fields["username"].widget.attrs.update({"class": "form-control", "autocomplete": "username"})
        self.fields["password"].widget.attrs.update({"class": "form-control", "autocomplete": "current-password"})


    def clean(self):
        username = (self.cleaned_data.get("username") or "").strip()
        password = self.cleaned_data.get("password") or ""
        missing = [label for label, value in (("用户名", username), ("密码", password)) if not value]
        if missing:
            raise forms.ValidationError(f"请输入{'和'.join(missing)}。", code="empty")
        return super().clean()


class LoginView(auth_views.LoginView):
    template_name = "auth/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


def lockout_response(request, original_response=None, credentials=None):
    """Axes calls this when a username is locked out, for pages and API token requests alike."""
    if request.path.startswith("/api/"):
        return JsonResponse({"code": "locked", "message": lockout_message(), "details": {}}, status=401)
    form = LoginForm(request, data=request.POST or None)
    form.is_valid()  # binds the entered username back into the form
    form.errors.clear()
    return render(request, "auth/login.html", {"form": form, "lockout": lockout_message()}, status=403)


class PasswordChangeForm(StyledFormMixin, forms.Form):
    old_password = forms.CharField(label="当前密码", widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))
    new_password1 = forms.CharField(label="新密码", widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    new_password2 = forms.CharField(label="确认新密码", widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))

    def clean(self):
        data = super().clean()
        if data.get("new_password1") and data.get("new_password1") != data.get("new_password2"):
            self.add_error("new_password2", "两次输入的新密码不一致。")
        return data


@login_required
@require_http_methods(["GET", "POST"])
def password_change(request):
    form = PasswordChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.change_password(
                request.user, form.cleaned_data["old_password"], form.cleaned_data["new_password1"]
            )
        except Invalid as exc:
            for field, message in exc.details.items():
                form.add_error(field if field in form.fields else None, message)
        else:
            from django.contrib.auth import update_session_auth_hash

            update_session_auth_hash(request, request.user)
            messages.success(request, "密码已修改。")
            return redirect("home")
    return render(
        request,
        "auth/password_change.html",
        {"form": form, "forced": request.user.must_change_password, "help_texts": services.password_help_texts()},
    )


class ActivateForm(StyledFormMixin, forms.Form):
    username = forms.CharField(label="用户名", max_length=150, widget=forms.TextInput(attrs={"autocomplete": "username"}))
    first_half = forms.CharField(label="第一半激活码（系统管理员交付）", max_length=20)
    second_half = forms.CharField(label="第二半激活码（安全管理员交付）", max_length=20)
    new_password1 = forms.CharField(label="新密码", widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    new_password2 = forms.CharField(label="确认新密码", widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))


@require_http_methods(["GET", "POST"])
def activate(request):
    """After a reset: the user alone, holding both halves of the activation code, sets their own password."""
    form = ActivateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.activate_account(username=data["username"], first_half=data["first_half"],
                                      second_half=data["second_half"], new_password=data["new_password1"],
                                      new_password2=data["new_password2"])
        except Invalid as exc:
            if exc.details:
                for field, message in exc.details.items():
                    form.add_error(field if field in form.fields else None, message)
            else:
                form.add_error(None, exc.message)
        else:
            messages.success(request, "账号已激活，请用新密码登录。")
            return redirect("login")
    return render(request, "auth/activate.html", {"form": form, "help_texts": services.password_help_texts()})


@require_http_methods(["POST"])
def logout(request):
    from django.contrib.auth import logout as django_logout

    django_logout(request)
    return redirect("login")
