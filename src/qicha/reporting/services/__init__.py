"""Every write of monthly reporting: periods and their options, submissions and their transitions."""

from .periods import check_rollup, generate_periods, open_period, period_dates, start_rollup, update_period
from .submissions import perform_action, prepare_submission, submit_own

__all__ = ["check_rollup", "generate_periods", "open_period", "perform_action", "period_dates", "prepare_submission",
           "start_rollup", "submit_own", "update_period"]
