from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse


def must_change_password(user) -> bool:
    """Real accounts change the password given to them before doing anything; demo accounts in demo mode may skip it."""
    if not user.is_authenticated or not user.must_change_password:
        return False
    return not (user.is_demo and settings.DEMO_MODE)


class PasswordChangeRequiredMiddleware:
    ALLOWED_PREFIXES = ("/static/", "/api/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and must_change_password(user):
            allowed = {reverse("password_change"), reverse("logout")}
            if request.path not in allowed and not request.path.startswith(self.ALLOWED_PREFIXES):
                return redirect("password_change")
        return self.get_response(request)
