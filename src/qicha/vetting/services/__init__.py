"""Every write of the village 联审: rounds and candidates, department answers, negative lists and the pre-check,
the problem-member ledger and the 回头看."""

from . import answers, members, negative_lists, review, rounds  # noqa: F401
