from django.core.paginator import EmptyPage, Paginator

from qicha.core.errors import Invalid

MAX_PAGE_SIZE = 500


def paginate(queryset, page: int, page_size: int, serialize) -> dict:
    if page < 1:
        raise Invalid(details={"page": "页码从 1 开始"})
    if not 1 <= page_size <= MAX_PAGE_SIZE:
        raise Invalid(details={"page_size": f"每页条数应在 1 至 {MAX_PAGE_SIZE} 之间"})
    paginator = Paginator(queryset, page_size)
    try:
        rows = paginator.page(page).object_list
    except EmptyPage:
        rows = []
    return {"count": paginator.count, "page": page, "page_size": page_size, "results": [serialize(r) for r in rows]}
