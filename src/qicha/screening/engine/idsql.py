"""Identity numbers in SQL (DuckDB dialect; transpiled for Spark): normalise, check (GB 11643) and key.

The join key is the 17-digit body as a BIGINT: for a valid number the check digit follows from the body, so the
body alone identifies the person, and 64-bit integer joins are several times cheaper than string joins. A 15-digit
number becomes the body of its 18-digit form (19 inserted before the year), so both forms meet on one key.
Everything is integer arithmetic (digits by division, the birth date by calendar rules), which both engines run
vectorised with no Python in the loop; core.idnumbers gives the Chinese reasons for the few bad rows listed.
"""

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
PROVINCES = (11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52, 53,
             54, 61, 62, 63, 64, 65, 71, 81, 82, 83)


def folded(raw: str) -> str:
    """Full-width digits and X, spaces (both widths), hyphens and a lower-case x folded away (the slow path: only
    the few messy numbers reach it, see sqltext.clean_sql). `translate` is the costly step (~3 µs a value): only
    text with a character beyond ASCII (octet_length counts bytes, length characters) pays for it."""
    wide = f"translate(upper(trim({raw})), '０１２３４５６７８９Ｘ', '0123456789X')"
    narrow = f"upper(trim({raw}))"
    text = f"CASE WHEN octet_length(encode({raw})) = length({raw}) THEN {narrow} ELSE {wide} END"
    return f"replace(replace(replace({text}, ' ', ''), '　', ''), '-', '')"


def normalised(column: str) -> str:
    """The folded text of any number (used where a few rows are read; the registers go through `clean_levels`)."""
    raw = f"CAST({column} AS VARCHAR)"
    return f"CASE WHEN length({raw}) = 18 AND regexp_matches({raw}, '^[0-9]{{17}}[0-9X]$') THEN {raw} ELSE {folded(raw)} END"


# -- the fast path (issue 17's speed): a number written as its plain 18 characters (~95% of them) is parsed once as
# an integer and checked with integer arithmetic that needs no division but one (multiply-and-shift by exact
# reciprocals instead: a 64-bit division costs ~10× a multiplication in either engine). Only the rest are folded.
DIGITS18_MIN, BODY_MIN = 10 ** 17, 10 ** 16


def _plain(s: str) -> str:
    """No character that an integer cast would read as something other than a digit (exponent, hex or binary
    prefix): with 18 characters and a value ≥ 10^17, the text is then 18 plain digits in every engine."""
    return (f"NOT contains({s}, 'e') AND NOT contains({s}, 'E') AND NOT contains({s}, 'x') "
            f"AND NOT contains({s}, 'X')")


def digits18(s: str, n: str) -> str:
    """True when s is 18 plain digits (n = TRY_CAST(s AS BIGINT))."""
    return f"(length({s}) = 18 AND {n} >= {DIGITS18_MIN} AND {_plain(s)})"


def x17(s: str) -> str:
    """The body of 17 plain digits followed by X or x (check value 10), else NULL: exactly one X or x, the last."""
    guard = (f"length({s}) = 18 AND (ends_with({s}, 'X') OR ends_with({s}, 'x')) "
             f"AND strpos({s}, 'X') + strpos({s}, 'x') = 18 AND NOT contains({s}, 'e') AND NOT contains({s}, 'E')")
    return (f"CASE WHEN {guard} THEN CASE WHEN TRY_CAST(left({s}, 17) AS BIGINT) >= {BODY_MIN} "
            f"THEN TRY_CAST(left({s}, 17) AS BIGINT) END END")


def magic(divisor: int, limit: int) -> tuple[int, int]:
    """(m, s) with x // divisor == (x * m) >> s for every 0 <= x < limit and x * m < 2^63 (no overflow)."""
    for shift in range(80):
        m = -(-(1 << shift) // divisor)
        if (limit - 1) * (m * divisor - (1 << shift)) < (1 << shift) and (limit - 1) * m < 1 << 63:
            return m, shift
    raise ValueError(divisor)


def quotient(x: str, divisor: int, limit: int) -> str:
    m, shift = magic(divisor, limit)
    return f"(({x} * {m}) >> {shift})"


def weighted(x: str, weights: tuple[int, ...], limit: int) -> str:
    """Σ weight·digit (mod 11) over the digits of x (len(weights) of them, left to right), from the quotients
    x // 10^k: digit_k = q_k − 10·q_(k+1), so each quotient carries w_k + w_(k−1) (−10 ≡ 1 mod 11); quotients with
    the same factor are added before one multiplication."""
    from_right = list(reversed(weights))
    by_factor: dict[int, list[str]] = {}
    for k in range(len(weights)):
        factor = (from_right[k] + (from_right[k - 1] if k else 0)) % 11
        if factor:
            by_factor.setdefault(factor, []).append(x if k == 0 else quotient(x, 10 ** k, limit))
    terms = [(" + ".join(qs) if factor == 1 else f"{factor} * ({' + '.join(qs)})") for factor, qs in by_factor.items()]
    return " + ".join(terms) or "0"


def check_levels(f: str) -> list[list[str]]:
    """`valid` for the body split as f__hi = its first 9 digits (province, county, century) and f__lo = its last 8
    (the year's last digit, month, day, sequence), f__g the check digit written (NULL for 15 digits): levels of
    columns, each computed once (an engine does not share a term between a CASE's branches), ending in f__ok."""
    hi, lo = f"{f}__hi", f"{f}__lo"
    parts = [
        f"{quotient(hi, 10 ** 7, 10 ** 9)} AS {f}__p",
        f"({hi} - {quotient(hi, 1000, 10 ** 9)} * 1000) * 10 + {quotient(lo, 10 ** 7, 10 ** 8)} AS {f}__y",
        f"{quotient(lo, 1000, 10 ** 8)} - {quotient(lo, 10 ** 7, 10 ** 8)} * 10000 AS {f}__md",
        f"{weighted(hi, WEIGHTS[:9], 10 ** 9)} + {weighted(lo, WEIGHTS[9:], 10 ** 8)} AS {f}__sum",
    ]
    month = [f"{quotient(f + '__md', 100, 10 ** 4)} AS {f}__mo"]
    day = [f"{f}__md - {f}__mo * 100 AS {f}__dy"]
    y, mo, dy = f"{f}__y", f"{f}__mo", f"{f}__dy"
    leap = f"(({y} % 4 = 0 AND {y} % 100 <> 0) OR {y} % 400 = 0)"
    provinces = ", ".join(str(p) for p in PROVINCES)
    ok = (f"coalesce({hi} IS NOT NULL AND {f}__p IN ({provinces}) AND {y} >= 1850 AND {mo} >= 1 AND {mo} <= 12 "
          f"AND {dy} >= 1 AND CASE WHEN {dy} <= 28 THEN TRUE WHEN {dy} > 31 THEN FALSE WHEN {mo} = 2 THEN {dy} = 29 "
          f"AND {leap} WHEN {mo} IN (4, 6, 9, 11) THEN {dy} <= 30 ELSE TRUE END "
          f"AND ({f}__g IS NULL OR ({f}__sum + {f}__g) % 11 = 1), FALSE) AS {f}__ok")
    return [parts, month, day, [ok]]


def body(s: str) -> str:
    """The 17-digit body as BIGINT (NULL when the text is not 18 or 15 digits)."""
    return (f"CASE WHEN length({s}) = 18 AND regexp_matches({s}, '^[0-9]{{17}}[0-9X]$') "
            f"THEN CAST(substr({s}, 1, 17) AS BIGINT) "
            f"WHEN length({s}) = 15 AND regexp_matches({s}, '^[0-9]{{15}}$') "
            f"THEN (CAST({s} AS BIGINT) // 1000000000) * 100000000000 + 19000000000 "
            f"+ CAST({s} AS BIGINT) % 1000000000 END")


def given_check(s: str) -> str:
    """The check digit written (X = 10); NULL for a 15-digit number, which has none."""
    return (f"CASE WHEN length({s}) = 18 THEN CASE WHEN substr({s}, 18, 1) = 'X' THEN 10 "
            f"ELSE TRY_CAST(substr({s}, 18, 1) AS INT) END END")


def full_number(b: str) -> str:
    """The 18-character number of a key (a valid body, BIGINT): the check character indexed by the weighted sum
    mod 11, the sum taken over the body's two halves by multiply-and-shift quotients (see `weighted`)."""
    hi = f"({b} // 100000000)"
    lo = f"({b} - {hi} * 100000000)"
    total = f"({weighted(hi, WEIGHTS[:9], 10 ** 9)} + {weighted(lo, WEIGHTS[9:], 10 ** 8)})"
    return f"lpad(CAST({b} AS VARCHAR), 17, '0') || substr('10X98765432', CAST({total} % 11 AS INT) + 1, 1)"
