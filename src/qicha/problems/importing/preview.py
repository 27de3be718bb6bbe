"""The preview of a checked file as JSON: the preview job's result, the API's `result`, the preview page's data."""

from datetime import date

from ..models import RectificationType
from ..numbers import format_problem_no
from .checking import ERROR_LIMIT, STATUS_CHANGED, STATUS_EXISTING, STATUS_LABELS, STATUS_OK, Evaluation


def preview_result(evaluation: Evaluation) -> dict:
    sample = []
    for row in evaluation.sample:
        values = row.values
        sample.append({
            "row": row.number, "status": row.status, "status_label": STATUS_LABELS[row.status], "note": row.note,
            "problem_no": format_problem_no(values["problem_no"]) if values.get("problem_no") else "",
            "unit": values.get("unit_name", ""),
            "description": (values.get("description") or "")[:80],
            "rectification_type": RectificationType(values["rectification_type"]).label
            if values.get("rectification_type") in RectificationType.values else "",
            "responsible_person": values.get("responsible_person") or "",
            "account": values.get("account_note", ""),
            "deadline": values["deadline"].isoformat() if isinstance(values.get("deadline"), date)
            else values.get("deadline_text", ""),
        })
    ok, existing, changed = (evaluation.count(s) for s in (STATUS_OK, STATUS_EXISTING, STATUS_CHANGED))
    errors, total = evaluation.errors_total, evaluation.total
    if errors:
        message = f"共 {total:,} 行，发现 {errors:,} 处错误，须改正后重新上传"
    else:
        message = f"共 {total:,} 行：可导入 {ok:,} 条，跳过 {existing + changed:,} 条"
    return {
        "file_name": evaluation.file_name, "sha256": evaluation.sha256, "sheet": evaluation.sheet,
        "rows_total": total, "rows_ok": ok, "rows_existing": existing, "rows_changed": changed,
        "errors_total": errors, "errors": [error.as_dict() for error in evaluation.errors[:ERROR_LIMIT]],
        "notices": evaluation.notices[:ERROR_LIMIT], "past_due_total": evaluation.past_due_total,
        "past_due": evaluation.past_due[:ERROR_LIMIT], "sample": sample, "can_confirm": evaluation.can_confirm,
        "message": message,
    }
