"""Reading ids and numbers from query strings and forms without surprises (²、huge numbers, text)."""

MAX_ID = 2**63 - 1  # the largest value a BIGINT key holds; anything bigger would overflow the database driver


def parse_id(raw) -> int | None:
    """A positive integer id, or None when `raw` is not one (the caller says what is wrong)."""
    text = str(raw or "").strip()
    if not (text.isascii() and text.isdigit()):
        return None
    value = int(text)
    return value if 0 < value <= MAX_ID else None

