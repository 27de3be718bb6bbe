"""Writing a confirmed 交办批次: the batch and every new clue in one transaction, or nothing."""

from datetime import date

from django.db import IntegrityError, transaction

from qicha.campaigns.models import Campaign
from qicha.core.audit import EventType, record_event
from qicha.core.errors import Conflict

from ..models import ClueBatch
from . import intake


def record_batch(actor, campaign: Campaign, *, source: str, reference: str, received_date: date, file_name: str,
                 sha256: str, sheet: str, row_count: int, validated_rows: list, skipped: int) -> tuple[ClueBatch, int]:
    """Create (or reuse) the batch and register each validated row; `validated_rows` are (clean, reporter, subjects)
    as `validate_intake` returned them. The caller (the import) has checked permission and every row."""
    try:
        with transaction.atomic():
            batch = ClueBatch.objects.filter(campaign=campaign, source=source, reference=reference).first()
            if batch is None:
                batch = ClueBatch.objects.create(
                    campaign=campaign, source=source, reference=reference, received_date=received_date,
                    file_name=file_name[:200], file_sha256=sha256, created_by=actor,
                )
            for clean, reporter, subjects in validated_rows:
                intake.create_validated(actor, campaign, clean | {"batch": batch}, reporter, subjects)
            created = len(validated_rows)
            record_event(
                EventType.IMPORT, actor=actor, obj=batch, action="clues",
                after={"file_name": file_name, "file_sha256": sha256, "sheet": sheet, "rows": row_count,
                       "created": created, "skipped": skipped},
                detail=f"导入线索 {created} 条，跳过已导入 {skipped} 条",
            )
    except IntegrityError:
        raise Conflict("导入时有线索编号已被他人登记，本次未导入任何线索。请重新预览后再确认。") from None
    return batch, created
