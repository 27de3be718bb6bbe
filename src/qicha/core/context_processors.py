from django.conf import settings

from .navigation import sections_for


def shell(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"demo_mode": settings.DEMO_MODE}
    return {
        "demo_mode": settings.DEMO_MODE,
        "nav_sections": sections_for(user, request.path),
        "current_unit": user.unit,
        "idle_timeout_minutes": settings.IDLE_TIMEOUT_MINUTES,
    }
