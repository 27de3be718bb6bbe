"""The transition table of a unit's own summary. Buttons, tests and the notices all read it.

未提交 →(提交)→ 已提交 →(接收)→ 已接收
                    └(退回)→ 已退回 →(提交)→ 已提交 …
"""

from qicha.core.workflow import Transition, Workflow

from .models import UnitSummaryStatus as S

SUBMIT, REVIEW, VIEW = "summary.submit", "summary.review", "summary.view"

TRANSITIONS = [
    Transition("submit", "提交", (S.DRAFT, S.RETURNED), S.SUBMITTED, SUBMIT, "总结正文或总结文件（.docx / .pdf）"),
    Transition("return", "退回", (S.SUBMITTED,), S.RETURNED, REVIEW, "退回理由", "warning"),
    Transition("accept", "接收", (S.SUBMITTED,), S.ACCEPTED, REVIEW, "—", "success"),
]

REASON_ACTIONS = ("return",)

UNIT_SUMMARY_WORKFLOW = Workflow(
    name="unit_summary",
    transitions=TRANSITIONS,
    unit_of=lambda summary: summary.unit,
    noun="总结",
    acts_module="qicha.documents.unit_services",
)
