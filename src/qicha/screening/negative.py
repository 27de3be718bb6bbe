"""The negative-list check the village 联审 asks (core.registry): answered from the lists the office imported,
compared as keyed digests — the lists keep no identity number in clear."""

from collections.abc import Sequence

from qicha.core.crypto import blind_index
from qicha.core.registry import NegativeListHit

from .models import NegativeEntry


def check_negative_lists(id_numbers: Sequence[str]) -> list[NegativeListHit]:
    by_index = {blind_index(number, "id_number"): number for number in id_numbers if number}
    if not by_index:
        return []
    entries = (NegativeEntry.objects.filter(id_index__in=list(by_index)).select_related("register")
               .order_by("register__uploaded_at", "id"))
    hits = []
    for entry in entries:
        register = entry.register
        source = f"{register.source or '负面清单'}（{register.file_name}，{register.uploaded_at:%Y-%m} 导入）"
        hits.append(NegativeListHit(id_number=by_index[entry.id_index], ground=entry.ground or "未注明事由",
                                    source=source))
    return hits
