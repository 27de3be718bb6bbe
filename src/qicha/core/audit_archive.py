"""Archive export of old audit events (retention): JSON Lines with every chained field and hash.

After a purge the chain head keeps an anchor (the last archived seq and hash), so `audit verify` still proves
the rest of the chain, and the archive file can be verified on its own against the same key.
"""

from datetime import datetime, time

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone

from .audit import CHAINED_FIELDS, EventType, record_event
from .models import AuditChainHead, AuditEvent, AuditEventObject


def archive_events(*, before, output: str, purge: bool) -> dict:
    import json

    from .audit import head_mac, verify_chain
    from .errors import Invalid

    if purge:
        # Never purge what cannot be proven: an altered event must not leave the database unnoticed.
        _, problem = verify_chain()
        if problem:
            raise Invalid(f"审计链校验失败，拒绝清理：{problem}")

    cutoff = datetime.combine(before, time.min, tzinfo=timezone.get_current_timezone())
    events = AuditEvent.objects.filter(created_at__lt=cutoff).order_by("seq")
    count, last = 0, None
    with open(output, "w", encoding="utf-8") as out:
        for event in events.iterator(chunk_size=2000):
            row = {name: getattr(event, name) for name in CHAINED_FIELDS}
            row.update(created_at=event.created_at.isoformat(), prev_hash=event.prev_hash, hash=event.hash, id=event.pk)
            out.write(json.dumps(row, ensure_ascii=False, cls=DjangoJSONEncoder) + "\n")
            count, last = count + 1, event
    if purge and last is not None:
        with transaction.atomic():
            head = AuditChainHead.objects.select_for_update().get(pk=1)
            head.anchor_seq, head.anchor_hash = last.seq, last.hash
            head.mac = head_mac(head)
            head.save(update_fields=["anchor_seq", "anchor_hash", "mac"])
            # A batch event's index rows go with it (they only point at it).
            AuditEventObject.objects.filter(event__seq__lte=last.seq).delete()
            AuditEvent.objects.filter(seq__lte=last.seq)._raw_delete(AuditEvent.objects.db)
    record_event(EventType.EXPORT, action="audit_archive", detail=f"归档 {count} 条审计记录至 {output}" + ("，并已清理" if purge else ""))
    from .audit import save_head_copy

    save_head_copy("audit_archive")
    return {"archived": count, "through_seq": last.seq if last else None, "purged": bool(purge and last)}
