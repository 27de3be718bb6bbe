"""The comparison engine: registers in, hits out. Pure Python over DuckDB or Spark; no Django model is touched here
(the services store what it returns)."""

from .kinds import KINDS
from .reading import RegisterError
from .result import Hit, RegisterStats, ScreeningResult
from .rules import RULES
from .run import ENGINES, run_screening

__all__ = ["ENGINES", "KINDS", "RULES", "Hit", "RegisterError", "RegisterStats", "ScreeningResult", "run_screening"]
