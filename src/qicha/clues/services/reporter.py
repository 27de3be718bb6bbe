"""Reporter protection (R-CLU-6): the identity is shown masked; the clear text is given only to an entitled
user who states why, and every reveal (and every refused attempt) is audited.

Entitled are the office (`clue.reveal` over the clue) and, so that the unit can answer its reporter, the handler of
a real-name clue and the liaisons over its unit (the liaison role holding `clue.work` over it) — for that clue only,
and only the name and phone: the identity number stays masked for them. Nobody else in the unit may.
"""

from qicha.core.errors import Forbidden
from qicha.core.masking import MASKS
from qicha.core.scope import can_act_on
from qicha.core.sensitive import Sealed, reveal_sensitive
from qicha.notify.recipients import LIAISON_ROLE
from qicha.orgs.security import demo_exempt

from ..models import Clue
from ..workflow import CLUE_WORKFLOW

REPORTER_FIELDS = ("name", "id_number", "phone")


class SecondFactorRequired(Forbidden):
    """The unit's staff sign in without a second factor; revealing a reporter asks for one first (step-up), as the
    office's `clue.reveal` always does at sign-in."""

    default_message = "查看举报人信息须先通过动态口令验证：请绑定或输入手机验证器上的 6 位动态口令后再试。"


def second_factor_present(user) -> bool:
    return demo_exempt(user) or bool(getattr(user, "is_verified", lambda: False)())


def office_may_reveal(user, clue: Clue) -> bool:
    return CLUE_WORKFLOW.permits(user, clue, "clue.reveal")


def unit_may_reveal(user, clue: Clue) -> bool:
    """The handler of a real-name clue, or a liaison over its unit, may call the reporter back."""
    if not clue.real_name or clue.unit_id is None or not user.is_active:
        return False
    if clue.handler_id == user.pk:
        return CLUE_WORKFLOW.permits(user, clue, "clue.work")
    is_liaison = any(role.code == LIAISON_ROLE for role in user.cached_roles())
    return is_liaison and can_act_on(user, "clue.work", clue.unit)


def may_reveal_reporter(user, clue: Clue) -> bool:
    return office_may_reveal(user, clue) or unit_may_reveal(user, clue)


def reveal_reporter(actor, clue: Clue, reason: str) -> dict:
    # One audited reveal covers the reporter as a whole; the other parts follow from the same decision.
    office = office_may_reveal(actor, clue)
    if not office and unit_may_reveal(actor, clue) and not second_factor_present(actor):
        raise SecondFactorRequired()
    name = reveal_sensitive(actor, clue, "reporter_name", permission="clue.reveal", reason=reason,
                            can_act=lambda user, permission, obj: may_reveal_reporter(user, obj))
    sealed = clue.reporter_id_number
    if office:
        id_number = sealed.clear() if isinstance(sealed, Sealed) else (sealed or "")
    else:
        id_number = sealed.masked if isinstance(sealed, Sealed) else MASKS["id_number"](sealed or "")
    return {"name": name, "id_number": id_number, "phone": clue.reporter_phone.clear()}
