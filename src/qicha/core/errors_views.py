from django.shortcuts import render


def forbidden(request, exception=None):
    # A service's own refusal ("您不是本次检查的检查人员…") says more than the generic page; messages the
    # decorator raises without text fall back to it.
    reason = str(exception) if exception is not None and str(exception) and not str(exception).isascii() else ""
    return render(request, "errors/403.html", {"reason": reason}, status=403)


def not_found(request, exception=None):
    return render(request, "errors/404.html", status=404)


def _database_failed(exc) -> bool:
    from django.db import DatabaseError

    seen = 0
    while exc is not None and seen < 10:  # the chain: SessionInterrupted ← UpdateError ← OperationalError
        if isinstance(exc, DatabaseError):
            return True
        exc, seen = exc.__cause__ or exc.__context__, seen + 1
    return False


def bad_request(request, exception=None):
    """Django's 400 is English and bare. The one a user meets in practice: the database went away while the
    session was being saved (SessionInterrupted) — that is the "unavailable, retry" page, not a bad request."""
    from django.http import HttpResponse
    from django.template.loader import render_to_string

    if _database_failed(exception):
        return HttpResponse(render_to_string("errors/500.html", {"unavailable": True}), status=503)
    return HttpResponse(render_to_string("errors/400.html"), status=400)


def server_error(request):
    """Rendered without the request's context: the context processors read the user and the inbox from the
    database, which may be the very thing that failed. A database that cannot be reached (restarting, down) gets
    its own page and a 503: the request can simply be retried."""
    import sys

    from django.db import InterfaceError, OperationalError
    from django.http import HttpResponse
    from django.template.loader import render_to_string

    exc = sys.exc_info()[1]
    unavailable = isinstance(exc, OperationalError | InterfaceError)
    body = render_to_string("errors/500.html", {"unavailable": unavailable})
    return HttpResponse(body, status=503 if unavailable else 500)
