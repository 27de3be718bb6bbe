"""What every export shares: cells that a spreadsheet would run as formulas are neutralised."""

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """Text starting like a formula (=, +, -, @, tab, CR) gets a leading apostrophe, so Excel/WPS shows it as text."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value
