"""Problem ledger import (问题整改台账导入): an Excel ledger becomes problems, all rows or none.

The file is read by `core.excel_import` (generic: .xlsx and old .xls, title rows, two-level headers, full-width
digits, dates as text or serials). This package knows the problem side:

    access.py    who may import, into which campaign
    columns.py   the problem columns (as the ledger export writes them) and their parsers; what may be chosen
    template.py  the download template
    checking.py  checking every row (bulk lookups, the registration rules), writing nothing
    preview.py   the preview as JSON
    writing.py   the confirm: every row checked again, then bulk-registered with one audit event
    flow.py      upload → preview job → confirm job, and what the preview page may still offer

Any error anywhere blocks the confirm; the preview lists each one as 工作表 / 行 / 列 / message.
"""

from qicha.core import excel_import as xl

from ..numbers import format_problem_no  # also re-exported: callers use `importing.format_problem_no`
from .access import campaign_for, check_allowed
from .checking import (
                       ERROR_LIMIT,
                       SAMPLE_ROWS,
                       STATUS_CHANGED,
                       STATUS_ERROR,
                       STATUS_EXISTING,
                       STATUS_LABELS,
                       STATUS_OK,
                       Evaluation,
                       RowResult,
                       evaluate,
)
from .columns import (
                       Choices,
                       aspect_label,
                       example_dates,
                       parse_milestones,
                       parse_plain_text,
                       parse_problem_no,
)
from .flow import (
                       CONFIRM_JOB,
                       PREVIEW_JOB,
                       check_file,
                       confirm_of,
                       confirmed_message,
                       discard_preview,
                       preview_job,
                       preview_state,
                       run_confirm,
                       run_preview,
                       start_confirm,
                       start_preview,
                       stash_upload,
)
from .preview import preview_result
from .template import SHEET_TITLE, TEMPLATE_NAME, build_template, notes
from .writing import KIND

__all__ = [
    "CONFIRM_JOB", "ERROR_LIMIT", "KIND", "PREVIEW_JOB", "SAMPLE_ROWS", "SHEET_TITLE", "STATUS_CHANGED",
    "STATUS_ERROR", "STATUS_EXISTING", "STATUS_LABELS", "STATUS_OK", "TEMPLATE_NAME", "Choices", "Evaluation",
    "RowResult", "aspect_label", "build_template", "campaign_for", "check_allowed", "check_file", "confirm_of",
    "confirmed_message", "discard_preview", "evaluate", "example_dates", "format_problem_no", "notes",
    "parse_milestones", "parse_plain_text", "parse_problem_no", "preview_job", "preview_result", "preview_state",
    "run_confirm", "run_preview", "stash_upload", "start_confirm", "start_preview", "xl",
]
