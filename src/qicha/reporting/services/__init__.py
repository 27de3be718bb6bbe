"""Every write of monthly reporting: periods and their options, submissions and their transitions."""

from .periods import check_rollup, generate_periods, open_period, period_dates, start_rollup, update_period
from .submissions import (
    accept_submission,
    approve_submission,
    prepare_submission,
    reject_submission,
    request_submission_approval,
    return_submission,
    submit_own,
    submit_report,
)

__all__ = ["accept_submission", "approve_submission", "check_rollup", "generate_periods", "open_period", "period_dates",
           "prepare_submission", "reject_submission", "request_submission_approval", "return_submission", "submit_report",
           "start_rollup", "submit_own", "update_period"]
