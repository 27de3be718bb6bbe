"""The user's own inbox and to-dos over the API (GET /notifications, GET /todos): what the bell and the 工作台 show.

Notifications are personal: whatever a caller's data scope, only their own exist for them (another's id is 404).
The to-dos are the 工作台's to-do cards (`core.workbench`, registered by the ledgers), each with its count, the list
it opens (same count) and its first rows as the page renders them."""

from html.parser import HTMLParser

from django.template.loader import render_to_string
from ninja import Router

from qicha.core.api.formats import iso_time
from qicha.core.api.pagination import paginate

from . import inbox_queries, services
from .queries import workbench

router = Router(tags=["消息与待办"])


def notification_out(n) -> dict:
    return {"id": n.pk, "kind": n.kind, "title": n.title, "body": n.body, "link": n.link, "items": n.items,
            "created_at": iso_time(n.created_at), "read": n.read_at is not None, "read_at": iso_time(n.read_at)}


@router.get("/notifications", summary="我的消息（分页，新的在前；unread=true 只列未读）")
def notifications(request, unread: bool = False, page: int = 1, page_size: int = 50):
    rows = inbox_queries.own_notifications(request.user, unread_only=unread)
    body = paginate(rows, page, page_size, notification_out)
    body["unread"] = inbox_queries.unread_count(request.user)
    return body


@router.post("/notifications/{notification_id}/read", summary="标记一条消息为已读")
def read_notification(request, notification_id: int):
    return notification_out(services.mark_read(request.user, notification_id))


@router.post("/notifications/read-all", summary="全部标记为已读")
def read_all(request):
    return {"marked": services.mark_all_read(request.user), "unread": 0}


class _Links(HTMLParser):
    """The rows a to-do card renders: each <a href> with its text."""

    def __init__(self):
        super().__init__()
        self.rows: list[dict] = []
        self._open: dict | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "a" and self._open is None:
            self._open = {"text": "", "link": dict(attrs).get("href", "")}

    def handle_endtag(self, tag):
        if tag == "a" and self._open is not None:
            self._open["text"] = " ".join(self._open["text"].split())
            self.rows.append(self._open)
            self._open = None

    def handle_data(self, data):
        if self._open is not None:
            self._open["text"] += f" {data}"


def _rows(card) -> list[dict]:
    if not card.rows or not card.row_template:
        return []
    parser = _Links()
    parser.feed(render_to_string(card.row_template, {"card": card}))
    return parser.rows


@router.get("/todos", summary="我的待办（与工作台的待办卡片一致：数量、打开的列表、前几条）")
def todos(request):
    page = workbench(request.user)
    cards = page.slots["todos"]
    return {
        "campaign": {"id": page.campaign.pk, "name": page.campaign.name} if page.campaign else None,
        "total": sum(card.count for card in cards),
        "todos": [{"key": card.key, "title": card.title, "count": card.count, "link": card.link,
                   "items": _rows(card)} for card in cards],
    }
