"""Every write to clues and cases goes through these functions."""

from .batches import record_batch
from .editing import patch, update_case, update_clue
from .evidence import add_clue_evidence, may_add_evidence
from .handling import (
    assign_clue,
    close_clue,
    escalate_clue,
    record_clue_follow_up,
    record_clue_reply,
    record_clue_review,
    report_clue_result,
    return_clue,
    start_clue,
    withdraw_escalation,
)
from .intake import create_validated, register_clue, validate_intake
from .match_index import rebuild_match_keys
from .repeats import decide_candidate, merge_matters, unlink_repeat
from .reporter import SecondFactorRequired, may_reveal_reporter, reveal_reporter
from .time_limits import all_limits, board_cut_off, cut_off_for, due_date_for, limit_for, set_time_limit

__all__ = [
    "add_clue_evidence", "may_add_evidence", "patch", "SecondFactorRequired", "update_case", "update_clue", "merge_matters",
    "all_limits", "assign_clue", "board_cut_off", "close_clue", "create_validated", "cut_off_for", "decide_candidate",
    "due_date_for", "escalate_clue", "limit_for", "may_reveal_reporter", "record_batch", "record_clue_follow_up",
    "rebuild_match_keys", "record_clue_reply", "record_clue_review", "register_clue", "report_clue_result", "return_clue",
    "reveal_reporter", "set_time_limit", "start_clue", "unlink_repeat", "validate_intake",
    "withdraw_escalation",
]
