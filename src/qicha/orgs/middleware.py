from django.shortcuts import redirect
from django.urls import reverse

from .security import must_change_password, needs_second_factor


class PasswordChangeRequiredMiddleware:
    """Pages wait until the second factor is given and the password is the user's own and current.

    (The API enforces the same in its authentication classes.)
    """

    ALLOWED_PREFIXES = ("/static/", "/api/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not request.path.startswith(self.ALLOWED_PREFIXES):
            otp_pages = {reverse("otp_verify"), reverse("logout")}
            if needs_second_factor(user) and not user.is_verified():
                if request.path not in otp_pages:
                    return redirect("otp_verify")
            elif must_change_password(user) and request.path not in {reverse("password_change"), reverse("logout")}:
                return redirect("password_change")
        return self.get_response(request)
