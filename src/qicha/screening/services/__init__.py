"""Writes of data comparison: registers (import, negative lists), runs, and the review of hits."""
