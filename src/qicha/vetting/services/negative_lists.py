"""Negative lists imported on the round page (Excel: 身份证号, 姓名, 依据), and the check this app registers with
`core.registry.check_negative_lists`: compared by the blind index of the normalised number; no plain number is kept."""

from collections.abc import Sequence

from django.db import transaction

from qicha.core.audit import EventType, record_event
from qicha.core.errors import Invalid, NotFound
from qicha.core.registry import NegativeListHit
from qicha.core.scope import has_permission
from qicha.core.sensitive import lookup

from .. import importing
from ..models import NegativeList, NegativeListEntry
from .common import MANAGE, clean_id_number


def import_negative_list(actor, *, source: str, data: bytes, file_name: str) -> NegativeList:
    if not has_permission(actor, MANAGE):
        raise NotFound()
    source = (source or "").strip()
    if not source:
        raise Invalid(details={"source": "请填写名单来源（如：县公安局 刑事处罚人员名单）"})
    if len(source) > 100:
        raise Invalid(details={"source": "名单来源不能超过 100 个字符"})
    sheet = importing.read(data, file_name, importing.NEGATIVE_COLUMNS)
    entries = []
    for row in sheet.rows:
        if row.errors:
            continue
        try:
            number = clean_id_number(row.values["id_number"])
        except Invalid as exc:
            sheet.error_at(row, "id_number", exc.message)
            continue
        entries.append(NegativeListEntry(name=row.values["name"], id_number=number, ground=row.values["ground"]))
    if sheet.errors:
        raise importing.ImportRejected(sheet.errors, "名单人员")
    with transaction.atomic():
        negative_list = NegativeList.objects.create(source=source, imported_by=actor, file_name=file_name[:200],
                                                    row_count=len(entries))
        for entry in entries:
            entry.list = negative_list
            entry.save()
        record_event(EventType.IMPORT, actor=actor, obj=negative_list, action="import_negative_list",
                     after={"source": source, "rows": len(entries), "file": file_name},
                     detail=f"导入负面清单“{source}” {len(entries)} 人")
    return negative_list


def check(id_numbers: Sequence[str]) -> list[NegativeListHit]:
    """The registered holder: which of the (normalised) numbers stand on an imported list."""
    by_index = {lookup("id_number", number): number for number in id_numbers if number}
    if not by_index:
        return []
    entries = NegativeListEntry.objects.filter(id_number_index__in=list(by_index)).select_related("list")
    return [NegativeListHit(id_number=by_index[e.id_number_index], ground=e.ground,
                            source=f"{e.list.source}（{e.list.imported_at:%Y-%m-%d} 导入）")
            for e in entries.order_by("list_id", "pk")]
