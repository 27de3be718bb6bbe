"""Every write on the problem ledger: registration, plan edits, progress, transitions, lasting rules."""

from .aspects import add_feedback_aspect
from .progress import add_progress
from .registration import register_problem, update_problem
from .rules import record_lasting_rule
from .transitions import return_problem, sign_off_problem, start_problem, submit_problem, void_problem

__all__ = ["add_feedback_aspect", "add_progress", "record_lasting_rule", "register_problem", "return_problem",
           "sign_off_problem", "start_problem", "submit_problem", "update_problem", "void_problem"]
