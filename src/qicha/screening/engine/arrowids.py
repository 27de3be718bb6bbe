"""Identity numbers over Arrow buffers with NumPy: the DuckDB engine's keys (Spark runs idsql's SQL instead).

A number written as its plain 18 characters — 17 digits and a digit, X or x (~97% of them) — is read straight from
the string column's data buffer: its first 16 bytes as two little-endian uint64 words, the last two as one uint16.
SWAR arithmetic on those words checks that every byte is a digit, parses the 17-digit body (the join key, as in
idsql) and adds up the GB 11643 weights, ~100 ns a number against ~400 ns for the same work in SQL. Province, birth
date and check digit follow the same rules as idsql.check_levels and core.idnumbers. Every other value (full-width,
spaces, 15 digits, nulls, a column that is not text) is handed back as `rest` for idsql's SQL, so both routes give
the same keys and the same bad rows.
"""

import threading
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .idsql import PROVINCES

U = np.uint64
ZEROS, HIGH, SIX = U(0x3030303030303030), U(0xF0F0F0F0F0F0F0F0), U(0x0606060606060606)
LANES8, LANES16, LOW32, BYTE = U(0x00FF00FF00FF00FF), U(0x0000FFFF0000FFFF), U(0xFFFFFFFF), U(0xFF)
S8, S16, S32, S48 = U(8), U(16), U(32), U(48)
STEP = 16384  # rows per NumPy pass: the temporaries stay in the core's cache

PROVINCE = np.zeros(256, bool)
PROVINCE[list(PROVINCES)] = True
# month * 100 + day; 29 February is checked against the year apart. Indexed by two byte-lanes whatever they hold
# (letters in an 18-byte text give up to 255 * 100 + 255): sized so no text can index past it.
MONTH_DAY = np.zeros(1 << 15, bool)
for _month, _days in enumerate((31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31), start=1):
    MONTH_DAY[_month * 100 + 1:_month * 100 + _days + 1] = True


def _weights(w: tuple[int, ...]) -> tuple[np.uint64, np.uint64]:
    """Multipliers that sum weight × digit over the even and the odd bytes of a word (16-bit lanes, the sum in the
    top lane: at most 4 × 10 × 9 per lane, so no lane overflows into it)."""
    even = sum(w[2 * j] << (16 * (3 - j)) for j in range(4))
    odd = sum(w[2 * j + 1] << (16 * (3 - j)) for j in range(4))
    return U(even), U(odd)


WEIGHTS_A = _weights((7, 9, 10, 5, 8, 4, 2, 1))   # characters 1–8
WEIGHTS_B = _weights((6, 3, 7, 9, 10, 5, 8, 4))   # characters 9–16 (the 17th weighs 2)


def _all_digits(word):
    return ((word & HIGH) == ZEROS) & (((word + SIX) & HIGH) == ZEROS)


def _weighted(values, weights):
    return (((values & LANES8) * weights[0]) >> S48) + ((((values >> S8) & LANES8) * weights[1]) >> S48)


def _pairs(values):
    """Eight digit values (one a byte, first character lowest) → four two-digit values in 16-bit lanes."""
    return (values * U(10) + (values >> S8)) & LANES8


def _whole(pairs):
    quads = (pairs * U(100) + (pairs >> S16)) & LANES16
    return (quads * U(10000) + (quads >> S32)) & LOW32


def _plain_18(data: np.ndarray, starts: np.ndarray):
    """(plain, ok, body) for numbers of 18 bytes starting at `starts` in `data`."""
    words = np.ndarray((len(data) - 7,), dtype="<u8", buffer=data, strides=(1,))
    halves = np.ndarray((len(data) - 1,), dtype="<u2", buffer=data, strides=(1,))
    a, b = words[starts], words[starts + 8]
    tail = halves[starts + 16] - np.uint16(0x3030)
    d17 = (tail & np.uint16(0xFF)).astype(np.uint64)
    check = tail >> np.uint16(8)
    x = (check == ord("X") - 48) | (check == ord("x") - 48)
    plain = _all_digits(a) & _all_digits(b) & (d17 <= 9) & ((check <= 9) | x)
    a -= ZEROS
    b -= ZEROS
    total = _weighted(a, WEIGHTS_A) + _weighted(b, WEIGHTS_B) + U(2) * d17 + np.where(x, np.uint16(10), check)
    pa_, pb = _pairs(a), _pairs(b)          # lanes: province, county ×2, century | year, month, day, sequence
    month_day = ((pb >> S16) & BYTE) * U(100) + ((pb >> S32) & BYTE)
    year = (pa_ >> S48) * U(100) + (pb & BYTE)
    ok = plain & PROVINCE[(pa_ & BYTE).astype(np.intp)] & MONTH_DAY[month_day.astype(np.intp)]
    # total % 11 by a multiply and shift in 32 bits (exact for totals below 2^15; a plain number's is at most 910, and
    # the rows not plain are dropped whatever their total): a 64-bit division per number cost more than the rest.
    total = total.astype(np.uint32)
    ok &= (year >= U(1850)) & (total - ((total * np.uint32(5958)) >> np.uint32(16)) * np.uint32(11) == 1)
    leap_day = np.flatnonzero(month_day == U(229))
    if len(leap_day):  # ~1 number in 1,461: the year tested for those only
        y = year[leap_day]
        ok[leap_day] &= ((y % U(4) == 0) & (y % U(100) != 0)) | (y % U(400) == 0)
    body = (_whole(pa_) * U(1_000_000_000) + _whole(pb) * U(10) + d17).view(np.int64)
    return plain, ok, body


@dataclass
class Plain:
    key: np.ndarray     # int64, the 17-digit body (meaningless where not ok)
    ok: np.ndarray      # bool
    rest: np.ndarray    # rows (within the chunk) that are not a plain 18-character number


def plain_keys(array: pa.Array) -> Plain:
    """Keys of the plain 18-character numbers of one Arrow text chunk."""
    n = len(array)
    key, ok = np.zeros(n, np.int64), np.zeros(n, bool)
    _, offsets_buffer, data_buffer = array.buffers()
    offset_type = np.int64 if pa.types.is_large_string(array.type) else np.int32
    offsets = np.frombuffer(offsets_buffer, dtype=offset_type, count=array.offset + n + 1)[array.offset:]
    data = np.frombuffer(data_buffer, dtype=np.uint8) if data_buffer is not None else np.zeros(0, np.uint8)
    if n == 0 or len(data) < 18:
        return Plain(key, ok, np.arange(n))
    starts = offsets[:-1]
    eighteen = (offsets[1:] - starts) == 18
    if array.null_count:
        eighteen &= array.is_valid().to_numpy(zero_copy_only=False)
    handled = np.zeros(n, bool)
    last = len(data) - 18
    # Every row goes through the kernel, in slices: the ~3% that are not 18 bytes are computed for nothing (read
    # from a start clipped into the buffer) and dropped by `eighteen`, which costs less than gathering the others'
    # starts and scattering their results by row number (64 → 52 ns a number on one core, 2026-12-06).
    for first in range(0, n, STEP):
        block = slice(first, first + STEP)
        plain, valid, body = _plain_18(data, np.minimum(starts[block], last).astype(np.int64))
        here = eighteen[block]
        key[block] = body
        ok[block] = valid & here
        handled[block] = plain & here
    return Plain(key, ok, np.flatnonzero(~handled))


@dataclass
class ChunkKeys:
    key: np.ndarray     # int64 per row (meaningless where not ok)
    ok: np.ndarray      # bool per row
    bad: np.ndarray     # the bad rows found, ascending (not those left)
    texts: list[str]    # what each reports: a plain number upper-cased, another folded (as idsql's SQL gives)
    left: np.ndarray    # rows for idsql's SQL: a character messy_keys does not fold, a null, a column not text
    left_values: pa.Array


def chunk_keys(array: pa.Array) -> ChunkKeys:
    """Keys and bad rows of one Arrow chunk (one row group: the pool's unit of work)."""
    n = len(array)
    if not (pa.types.is_string(array.type) or pa.types.is_large_string(array.type)):
        return ChunkKeys(np.zeros(n, np.int64), np.zeros(n, bool), np.zeros(0, np.int64), [], np.arange(n), array)
    plain = plain_keys(array)
    key, ok = plain.key, plain.ok
    wrong = ~ok
    wrong[plain.rest] = False
    bad = [np.flatnonzero(wrong)]
    texts = pc.utf8_upper(array.take(bad[0])).to_pylist()
    left = np.zeros(0, np.int64)
    if len(plain.rest):
        messy = messy_keys(array.take(plain.rest))
        key[plain.rest], ok[plain.rest] = messy.key, messy.ok
        bad.append(plain.rest[messy.bad])
        texts += messy.texts
        left = plain.rest[messy.left]
    every = np.concatenate(bad)
    order = np.argsort(every, kind="stable")
    return ChunkKeys(key, ok, every[order], [texts[i] for i in order], left, array.take(left))


@dataclass
class ColumnKeys:
    key: np.ndarray
    ok: np.ndarray
    bad: np.ndarray     # rows, ascending
    texts: list[str]
    left: np.ndarray    # rows, ascending
    left_values: pa.Array


def joined(chunks: list[ChunkKeys]) -> ColumnKeys:
    """One column's keys from its chunks' (in order)."""
    if not chunks:
        return ColumnKeys(np.zeros(0, np.int64), np.zeros(0, bool), np.zeros(0, np.int64), [],
                          np.zeros(0, np.int64), pa.array([], pa.string()))
    starts = np.cumsum([0] + [len(c.key) for c in chunks[:-1]])
    return ColumnKeys(np.concatenate([c.key for c in chunks]), np.concatenate([c.ok for c in chunks]),
                      np.concatenate([c.bad + start for c, start in zip(chunks, starts, strict=True)]),
                      [text for c in chunks for text in c.texts],
                      np.concatenate([c.left + start for c, start in zip(chunks, starts, strict=True)]),
                      pa.chunked_array([c.left_values for c in chunks]).combine_chunks())


def column_keys(column: pa.ChunkedArray, pool) -> ColumnKeys:
    """Keys of a whole column, its chunks spread over `pool`'s threads (NumPy releases the GIL in its loops)."""
    return joined(list(pool.map(chunk_keys, column.chunks)))


def sparse_text(n: int, rows: np.ndarray, texts: list[str]) -> pa.Array:
    """A text column of n rows, null but at `rows` (ascending), built from buffers (no Python object per row)."""
    encoded = [text.encode() for text in texts]
    offsets = np.zeros(n + 1, np.int32)  # the lengths at rows + 1, summed in place: no array of n lengths
    offsets[np.asarray(rows, np.int64) + 1] = [len(e) for e in encoded]
    np.cumsum(offsets, out=offsets)
    return pa.StringArray.from_buffers(n, pa.py_buffer(offsets), pa.py_buffer(b"".join(encoded)),
                                       _bitmap(n, rows), null_count=n - len(rows))


def _bitmap(n: int, rows: np.ndarray) -> pa.Buffer:
    """An Arrow validity bitmap of n rows, set at `rows` (distinct) only."""
    bits = np.zeros((n + 7) // 8, np.uint8)
    rows = np.asarray(rows, np.int64)
    np.bitwise_or.at(bits, rows >> 3, np.left_shift(np.uint8(1), (rows & 7).astype(np.uint8)))
    return pa.py_buffer(bits)


def key_array(key: np.ndarray, ok: np.ndarray) -> pa.Array:
    """The keys as an Arrow int64 column, null where not ok — over `key`'s own buffer (no copy of it)."""
    key = np.ascontiguousarray(key, np.int64)
    bitmap = pa.py_buffer(np.packbits(ok, bitorder="little"))
    return pa.Array.from_buffers(pa.int64(), len(key), [bitmap, pa.py_buffer(key)],
                                 null_count=len(ok) - int(np.count_nonzero(ok)))


class KeyMap:
    """Which keys may be on the roll: a Bloom filter of two bits a key (two multiplicative hashes) over 26–52 bits a
    key (2^28 bits, 32 MiB, at 10 M beneficiaries). No false negatives; ~0.5% of other keys pass too (one hash:
    ~3.7%), and the hit query's join drops them. A reference register keeps only the rows that pass, so the engine
    neither types nor joins the others. Filled a million keys at a time on the pool (their slots sorted, the bits
    of each byte or-ed together, then or-ed into the map under a lock): every temporary stays small, where a byte
    per slot (256 MiB) or whole-roll temporaries cost more in first-touch page faults than in arithmetic. Probed
    by the first hash, then by the second for the few keys the first lets through."""

    MULTIPLIERS = (U(0x9E3779B97F4A7C15), U(0xC2B2AE3D27D4EB4F))  # 2^64/φ (Fibonacci hashing), a Murmur3 constant

    def __init__(self, keys: np.ndarray, pool, valid: np.ndarray | None = None):
        """The map of `keys` (those where `valid` is True, when given: no copy of the roll's keys is made); filled
        on `pool`'s threads, or on this one when `pool` is None."""
        count = len(keys) if valid is None else int(np.count_nonzero(valid))
        self.bits = min(28, max(16, (26 * count).bit_length()))
        self.map = np.zeros(1 << (self.bits - 3), np.uint8)
        lock = threading.Lock()

        def fill(first: int) -> None:
            piece = keys[first:first + (1 << 20)]
            if valid is not None:
                piece = piece[valid[first:first + (1 << 20)]]
            if not len(piece):
                return
            slots = np.sort(np.concatenate([self._slot(piece, 0), self._slot(piece, 1)]).astype(np.uint32))
            at = slots >> np.uint32(3)
            runs = np.flatnonzero(np.concatenate([[True], at[1:] != at[:-1]]))
            bits = np.left_shift(np.uint8(1), (slots & np.uint32(7)).astype(np.uint8))
            values = np.bitwise_or.reduceat(bits, runs)
            at = at[runs]  # distinct bytes: `|=` through them sets every bit
            with lock:
                self.map[at] |= values

        list((pool.map if pool is not None else map)(fill, range(0, len(keys), 1 << 20)))

    def _slot(self, keys: np.ndarray, which: int) -> np.ndarray:
        return ((keys.view(np.uint64) * self.MULTIPLIERS[which]) >> U(64 - self.bits)).astype(np.intp)

    def _set(self, slots: np.ndarray) -> np.ndarray:
        return ((self.map[slots >> 3] >> (slots & 7).astype(np.uint8)) & np.uint8(1)).view(bool)

    def holds(self, keys: np.ndarray) -> np.ndarray:
        """Whether each key may be on the roll (no false negatives)."""
        found = self._set(self._slot(keys, 0))
        first = np.flatnonzero(found)
        if len(first):
            found[first] = self._set(self._slot(keys[first], 1))
        return found


# Messy numbers made of these characters only fold the same way in pyarrow as in idsql.folded: NFKC maps the
# full-width digits, Ｘ, ｘ and the ideographic space to their ASCII forms and leaves the others alone; spaces and
# hyphens go, x becomes X. Any other character (rare) leaves the number to idsql's SQL.
FOLDABLE = "^[0-9xX０-９ｘＸ 　-]*$"
CHECK_CHARS = np.frombuffer(b"10X98765432", np.uint8)
WEIGHTS_17 = np.array((7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2), np.int64)


@dataclass
class MessyKeys:
    key: np.ndarray     # per value given
    ok: np.ndarray
    bad: np.ndarray     # the values found bad, ascending (not those left)
    texts: list[str]    # their folded text (what a bad row reports)
    left: np.ndarray    # values for idsql's SQL (a character FOLDABLE does not list, or null)


def messy_keys(texts: pa.Array) -> MessyKeys:
    """Keys of numbers that are not plain 18 characters: full width, spaces, hyphens, lower-case x, 15 digits."""
    n = len(texts)
    key, ok = np.zeros(n, np.int64), np.zeros(n, bool)
    foldable, folded = fold(texts)
    rows = np.flatnonzero(foldable)
    eighteen = plain_keys(folded)
    done = np.ones(len(rows), bool)
    done[eighteen.rest] = False
    key[rows[done]], ok[rows[done]] = eighteen.key[done], eighteen.ok[done]
    lengths = pc.binary_length(folded).to_numpy(zero_copy_only=False)
    old = eighteen.rest[lengths[eighteen.rest] == 15]
    if len(old):  # folded, a number holds digits and X only: 15 digits unless an X is among them
        old = old[~pc.match_substring(folded.take(old), "X").to_numpy(zero_copy_only=False)]
    if len(old):
        key[rows[old]], ok[rows[old]] = _fifteen(folded.take(old))
    wrong = np.flatnonzero(~ok[rows])
    return MessyKeys(key, ok, rows[wrong], folded.take(wrong).to_pylist(), np.flatnonzero(~foldable))


def fold_pyarrow(texts: pa.Array) -> tuple[np.ndarray, pa.Array]:
    """(foldable, folded texts of the foldable values) by pyarrow.compute: the reference `fold` is tested against."""
    foldable = pc.fill_null(pc.match_substring_regex(texts, FOLDABLE), False).to_numpy(zero_copy_only=False)
    folded = pc.utf8_normalize(texts.take(np.flatnonzero(foldable)), "NFKC")
    folded = pc.replace_substring(pc.replace_substring(folded, " ", ""), "-", "")
    folded = pc.replace_substring(folded, "x", "X")
    if isinstance(folded, pa.ChunkedArray):
        folded = folded.combine_chunks()
    return foldable, folded


# The characters FOLDABLE lists, as UTF-8: the ASCII ones a byte each; full-width digits EF BC 90–99, Ｘ EF BC B8,
# ｘ EF BD 98 and the ideographic space E3 80 80 three bytes each. In valid UTF-8 (which Arrow's text is) a byte
# E0–FF leads a character of three or four bytes, so the two bytes after it lie in the same text.
ZERO, NINE, LOWER_X, SPACE, HYPHEN = (np.uint8(c) for c in b"09x -")


def fold(texts: pa.Array) -> tuple[np.ndarray, pa.Array]:
    """(foldable, folded texts of the foldable values) with NumPy over the Arrow buffers: the same as fold_pyarrow
    (NFKC, spaces and hyphens removed, x upper-cased, for values made of FOLDABLE's characters only; nulls are not
    foldable). A few byte-wide passes over the text; the three-byte characters looked at by their lead bytes."""
    n = len(texts)
    if not (pa.types.is_string(texts.type) or pa.types.is_large_string(texts.type)):
        return fold_pyarrow(texts)
    _, offsets_buffer, data_buffer = texts.buffers()
    offset_type = np.int64 if pa.types.is_large_string(texts.type) else np.int32
    offsets = np.frombuffer(offsets_buffer, dtype=offset_type, count=texts.offset + n + 1)[texts.offset:]
    data = np.frombuffer(data_buffer, dtype=np.uint8) if data_buffer is not None else np.zeros(0, np.uint8)
    rel = offsets - offsets[0]
    b = data[int(offsets[0]):int(offsets[-1])]  # a null's bytes, if any, are never kept
    emit = (b - ZERO) <= (NINE - ZERO)
    emit |= b == LOWER_X
    emit |= b == np.uint8(ord("X"))
    fine = emit | (b == SPACE)
    fine |= b == HYPHEN
    out = b - ((b == LOWER_X).view(np.uint8) << np.uint8(5))
    lead = np.flatnonzero(b >= np.uint8(0xE0))
    if len(lead):
        v = (b[lead].astype(np.int32) << 16) | (b[lead + 1].astype(np.int32) << 8) | b[lead + 2]
        digit = (v >= 0xEFBC90) & (v <= 0xEFBC99)
        wide_x = (v == 0xEFBCB8) | (v == 0xEFBD98)
        valid = lead[digit | wide_x | (v == 0xE38080)]
        fine[valid] = fine[valid + 1] = fine[valid + 2] = True
        emit[lead[digit | wide_x]] = True
        out[lead[digit]] = (v[digit] - (0xEFBC90 - 0x30)).astype(np.uint8)
        out[lead[wide_x]] = ord("X")
    foldable = np.ones(n, bool)
    wrong = np.flatnonzero(~fine)
    if len(wrong):
        foldable[np.searchsorted(rel, wrong, side="right") - 1] = False
    if texts.null_count:
        foldable &= texts.is_valid().to_numpy(zero_copy_only=False)
    kept = np.zeros(len(b) + 1, np.int32)
    np.cumsum(emit, out=kept[1:])
    folded = pa.StringArray.from_buffers(n, pa.py_buffer(kept[rel]), pa.py_buffer(out[emit].tobytes()))
    if not foldable.all():
        folded = folded.filter(pa.array(foldable))
    return foldable, folded


def _fifteen(old: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """(key, ok) of 15-digit numbers: written as their 18-digit form (19 before the year, the check digit computed),
    then checked like any other (province and birth date; the check digit holds by construction)."""
    m = len(old)
    offsets = np.frombuffer(old.buffers()[1], np.int32, count=old.offset + m + 1)[old.offset:]
    data = np.frombuffer(old.buffers()[2], np.uint8)
    digits = data[offsets[:-1, None] + np.arange(15)]
    full = np.empty((m, 18), np.uint8)
    full[:, :6], full[:, 6], full[:, 7], full[:, 8:17] = digits[:, :6], ord("1"), ord("9"), digits[:, 6:]
    full[:, 17] = CHECK_CHARS[((full[:, :17].astype(np.int64) - 48) @ WEIGHTS_17) % 11]
    eighteen = pa.StringArray.from_buffers(m, pa.py_buffer(np.arange(0, 18 * m + 1, 18, dtype=np.int32)),
                                           pa.py_buffer(full.tobytes()))
    keys = plain_keys(eighteen)
    return keys.key, keys.ok
