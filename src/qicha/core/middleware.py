from . import request_context


def client_ip(request) -> str:
    # Behind the gateway the real address arrives in X-Forwarded-For; only trust it when configured.
    from django.conf import settings

    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[0].strip()
    return request.META.get("REMOTE_ADDR", "")


OUT_OF_RANGE = "请求中的数值超出范围，请检查网址或筛选条件"


def is_out_of_range(exc) -> bool:
    """A number too big for the database (SQLite: OverflowError; PostgreSQL: a DataError such as bigint out of range).

    Filters parse ids with core.params.parse_id; this is the net for any integer that slips through."""
    from django.db import DataError

    return isinstance(exc, OverflowError | DataError)


class RequestContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        channel = "api" if request.path.startswith("/api/") else "web"
        token = request_context.bind(
            request_context.RequestContext(
                ip=client_ip(request),
                user_agent=request.META.get("HTTP_USER_AGENT", "")[:200],
                channel=channel,
            )
        )
        try:
            return self.get_response(request)
        finally:
            request_context.reset(token)

    def process_exception(self, request, exception):
        from django.http import Http404

        from .errors import NotFound

        if isinstance(exception, Http404) and isinstance(exception.__cause__, NotFound):
            # Every page turns a query's NotFound into a 404 with `raise Http404(...) from exc`: one place to record
            # the 越权访问尝试 for all of them (the API's error handler does the same for its routes).
            from .probes import record_out_of_scope

            record_out_of_scope(request, exception.__cause__)
            return None
        if not is_out_of_range(exception) or request.path.startswith("/api/"):
            return None
        from django.shortcuts import render

        return render(request, "errors/422.html", {"reason": OUT_OF_RANGE}, status=422)


class NoStoreMiddleware:
    """`Cache-Control: no-store` on everything the application itself answers — pages, API responses, downloads.

    Pages show records of the signed-in user's scope and downloads may carry revealed identities: nothing of it may
    stay in a shared browser's or proxy's cache. Static files are served (and cached) before this runs."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.utils.cache import add_never_cache_headers

        response = self.get_response(request)
        add_never_cache_headers(response)
        return response


class SessionRenewalMiddleware:
    """The idle timeout (等保: a session ends N minutes after the last request) without writing the session row on
    every request: the row's expiry is renewed at most once a minute, so a page costs no UPDATE + COMMIT round trips
    while the user keeps working. The timeout can therefore fall up to a minute early, never late."""

    RENEW_AFTER_SECONDS = 60
    KEY = "_renewed_at"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        import time

        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is not None and not session.is_empty():
            now = int(time.time())
            if now - session.get(self.KEY, 0) >= self.RENEW_AFTER_SECONDS:
                session[self.KEY] = now  # marks the session modified: SessionMiddleware saves it with a new expiry
        return response
