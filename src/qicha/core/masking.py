"""How personal values look to people not entitled to see them (R-SAFE-3)."""

import re


def mask_name(name: str) -> str:
    name = (name or "").strip()
    return name[:1] + "*" * max(1, len(name) - 1) if name else ""


def mask_id_number(number: str) -> str:
    # 110105********002X: region and the last four stay, the birth date goes.
    return number[:6] + "*" * (len(number) - 10) + number[-4:] if len(number) > 10 else "*" * len(number)


def mask_phone(phone: str) -> str:
    digits = (phone or "").strip()
    if len(digits) >= 11:
        return digits[:3] + "****" + digits[-4:]  # mobile: 139****0000
    return "*" * max(0, len(digits) - 2) + digits[-2:]  # landline and short numbers show only the last two


MASKS = {"name": mask_name, "id_number": mask_id_number, "phone": mask_phone}


# Identity numbers and phone numbers typed into free text (反映内容, 核查情况, 答复 …): 18-digit (or old 15-digit)
# identity numbers, mobile numbers and landlines with an area code; never part of a longer run of digits (a 20-digit
# account number is not an identity number).
ID_IN_TEXT = re.compile(r"(?<![0-9A-Za-z])(?:\d{17}[\dXx]|\d{15})(?![0-9A-Za-z])")
PHONE_IN_TEXT = re.compile(r"(?<!\d)(?:(?:\+?86[- ]?)?1[3-9]\d{9}|0\d{2,3}-?\d{7,8})(?!\d)")


def mask_free_text(text: str) -> str:
    """Free text as shown to people not entitled to see the identity and phone numbers written into it: each number
    found is masked as the sensitive fields are (110105********002X, 139****0000, ******5678); the rest unchanged."""
    if not text:
        return text or ""
    text = ID_IN_TEXT.sub(lambda m: mask_id_number(m.group(0)), text)
    return PHONE_IN_TEXT.sub(_masked_phone, text)


def _masked_phone(match) -> str:
    digits = re.sub(r"\D", "", match.group(0))
    if not match.group(0).startswith("0"):  # a mobile, perhaps with +86
        digits = digits[-11:]
    return mask_phone(digits)
