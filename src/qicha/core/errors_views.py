from django.shortcuts import render


def forbidden(request, exception=None):
    # A service's own refusal ("您不是本次检查的检查人员…") says more than the generic page; messages the
    # decorator raises without text fall back to it.
    reason = str(exception) if exception is not None and str(exception) and not str(exception).isascii() else ""
    return render(request, "errors/403.html", {"reason": reason}, status=403)


def not_found(request, exception=None):
    return render(request, "errors/404.html", status=404)


def server_error(request):
    return render(request, "errors/500.html", status=500)
