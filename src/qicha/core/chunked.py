"""Reading a long list in chunks with no database cursor left open between them."""

from collections.abc import Callable, Iterator
from operator import attrgetter

from django.db.models import QuerySet


def in_chunks(queryset: QuerySet, size: int = 2000, *, key: Callable = attrgetter("pk")) -> Iterator:
    """The rows of `queryset`, in its order, fetched `size` at a time.

    `key` reads a row's primary key: the default suits model instances; a `values_list("pk", …)` queryset, which
    a long export reads because building no model instances is several times cheaper, passes `itemgetter(0)`.

    Long work (an export) reports progress — a write — while it reads. On SQLite, a connection whose read cursor is
    still open cannot start writing once another connection has committed (SQLITE_BUSY_SNAPSHOT: "database is locked"
    at once, whatever the timeout), and every page view commits its session. So the ordered keys are read first,
    then each chunk as a complete query: no cursor stays open across a write. The same holds on PostgreSQL.
    """
    keys = list(queryset.values_list("pk", flat=True))
    for start in range(0, len(keys), size):
        chunk = keys[start:start + size]
        rows = {key(row): row for row in queryset.filter(pk__in=chunk)}
        for pk in chunk:
            row = rows.get(pk)
            if row is not None:  # deleted since the keys were read
                yield row
