"""Clue pages: ledger, intake, detail with timeline and actions, repeats, 清仓见底 board, time-limit settings."""
