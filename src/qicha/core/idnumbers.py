"""Identity numbers (GB 11643): normalise what people type, convert 15-digit numbers, check with python-stdnum."""

import unicodedata
from datetime import date

from stdnum.cn import ric
from stdnum.exceptions import InvalidComponent, ValidationError

from .errors import Invalid

# GB/T 2260 province-level codes (incl. 71 台湾, 81 香港, 82 澳门, 83 for residence permits of those residents).
PROVINCES = {
    "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37", "41", "42", "43",
    "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65", "71", "81", "82", "83",
}


def normalise(raw: str) -> str:
    """Full-width digits and spaces, lower-case x, separators: all folded to the 18-character form."""
    text = unicodedata.normalize("NFKC", raw or "").strip().upper().replace(" ", "").replace("-", "")
    if len(text) == 15 and text.isdigit():
        text = upgrade_15(text)
    return text


def upgrade_15(old: str) -> str:
    """A first-generation number (15 digits, born 19xx) as its 18-digit equivalent."""
    body = old[:6] + "19" + old[6:]
    return body + ric.calc_check_digit(body + "0")  # stdnum expects a placeholder check digit


def validate(raw: str, field_label: str = "身份证号") -> str:
    """The normalised number, or Invalid with a Chinese message saying what is wrong (date before checksum,
    since a mistyped birth date is the commonest error and the more useful message)."""
    number = normalise(raw)
    message = None
    if len(number) != 18:
        message = f"{field_label}应为 18 位（或 15 位旧号码），实际 {len(number)} 位"
    elif not number[:17].isdigit() or not (number[17].isdigit() or number[17] == "X"):
        message = f"{field_label}只能由数字组成，最后一位可以是 X"
    else:
        try:
            ric.get_birth_date(number)
        except (InvalidComponent, ValidationError):
            message = f"{field_label}中的出生日期 {number[6:14]} 不是真实日期"
    if message is None and number[-1] != ric.calc_check_digit(number):
        message = f"{field_label}校验码错误：最后一位应为 {ric.calc_check_digit(number)}"
    if message is None and number[:2] not in PROVINCES:
        message = f"{field_label}前两位“{number[:2]}”不是省级行政区划代码"
    if message is None:
        # Not stdnum's full validate: it also requires the county code to have existed in the birth year, but
        # codes were given when the card was issued (from 1984) and kept after counties were renamed or merged,
        # so real numbers of people born earlier would be refused. The province must exist; the checksum decides.
        return number
    raise Invalid(message, {"id_number": message})


def birth_date(number: str) -> date:
    return ric.get_birth_date(number)
