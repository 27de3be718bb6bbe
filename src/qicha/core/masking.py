"""How personal values look to people not entitled to see them (R-SAFE-3)."""


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
