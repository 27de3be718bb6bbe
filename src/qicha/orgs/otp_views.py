"""The second factor (TOTP, RFC 6238) with django-otp: enrol a phone authenticator, then give a code at sign-in."""

import base64

import segno
from django import forms
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login

from qicha.core.forms import StyledFormMixin

from .services.second_factor import check_code, confirmed_device, pending_device


class CodeForm(StyledFormMixin, forms.Form):
    code = forms.RegexField(
        label="动态口令", regex=r"^\d{6}$", error_messages={"invalid": "请输入手机验证器上显示的 6 位数字。"},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )


def provisioning_svg(device) -> str:
    # An inline SVG image: no script, no request leaves the intranet.
    return segno.make(device.config_url, error="m").svg_inline(scale=4)


@login_required
@require_http_methods(["GET", "POST"])
def otp_verify(request):
    user = request.user
    device = confirmed_device(user)
    enrolling = device is None
    if enrolling:
        device = pending_device(user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if check_code(user, device, form.cleaned_data["code"]):
            otp_login(request, device)
            target = request.GET.get("next", "")
            safe = url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure())
            return redirect(target if target and safe else "home")
        form.add_error("code", "动态口令不正确或已过期，请输入验证器上最新的 6 位数字。")
    secret = base64.b32encode(device.bin_key).decode("ascii") if enrolling else ""
    return render(request, "auth/otp.html", {
        "form": form, "enrolling": enrolling, "secret": " ".join(secret[i:i + 4] for i in range(0, len(secret), 4)),
        "qr": mark_safe(provisioning_svg(device)) if enrolling else "",
    })
