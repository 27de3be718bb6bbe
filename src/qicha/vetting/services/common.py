"""What the vetting services share: the permission gates and identity-number checks."""

from qicha.core import idnumbers
from qicha.core.errors import Forbidden, Invalid, NotFound
from qicha.core.scope import can_act_on

MANAGE = "vetting.manage"
VIEW = "vetting.view"
ANSWER = "vetting.answer"


def require_manage(actor, region) -> None:
    """Opening, importing and deciding is the county's (or the office's) work over the round's region."""
    if not can_act_on(actor, MANAGE, region):
        if can_act_on(actor, VIEW, region):
            raise Forbidden("您无权办理村“两委”联审事项。")
        raise NotFound()


def clean_id_number(raw: str, label: str = "身份证号") -> str:
    try:
        return idnumbers.validate(raw or "", label)
    except Invalid as exc:
        raise Invalid(exc.message, {"id_number": exc.message}) from None


def required_text(errors: dict, key: str, value, label: str, max_length: int) -> str:
    text = (value or "").strip()
    if not text:
        errors[key] = f"请填写{label}"
    elif len(text) > max_length:
        errors[key] = f"{label}不能超过 {max_length} 个字符"
    return text
