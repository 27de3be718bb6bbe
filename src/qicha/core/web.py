"""Small helpers every app's page views share."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404

from .audit import EventType, Outcome, record_event
from .errors import NotFound
from .scope import has_permission


def permission_required(*codes: str):
    """The page needs one of `codes`; anyone else gets the 403 page (records out of scope are 404s)."""

    def decorator(view):
        @login_required
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not any(has_permission(request.user, code) for code in codes):
                record_event(EventType.ACCESS_DENIED, actor=request.user, outcome=Outcome.DENIED,
                             object_repr=request.path[:300], detail=f"缺少权限：{'、'.join(codes)}")
                raise PermissionDenied
            try:
                return view(request, *args, **kwargs)
            except NotFound as exc:
                raise Http404(exc.message) from exc  # audited as 越权访问尝试 by RequestContextMiddleware

        return wrapper

    return decorator


def form_errors_from(form, error) -> None:
    """Put a service's Invalid details onto a Django form: fields it has, else the form as a whole."""
    if not error.details:
        form.add_error(None, error.message)
        return
    for field, message in error.details.items():
        form.add_error(field if field in form.fields else None, message)


class KnownCountPaginator(Paginator):
    """A list whose status tabs already counted the rows: the paginator takes that count instead of counting again."""

    def __init__(self, *args, known_count: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.__dict__["count"] = known_count
