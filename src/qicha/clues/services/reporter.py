"""Reporter protection (R-CLU-6): the identity is shown masked; the clear text is given only to an entitled
user who states why, and every reveal (and every refused attempt) is audited.

Entitled are the office (`clue.reveal` over the clue) and, so that the unit can answer its reporter, the handler of
a real-name clue and the liaisons over its unit (the liaison role holding `clue.work` over it) — for that clue only,
and only the name and phone: the identity number stays masked for them. Nobody else in the unit may.
"""

from qicha.core.masking import MASKS
from qicha.core.scope import can_act_on
from qicha.core.sensitive import Sealed, reveal_sensitive
from qicha.notify.recipients import LIAISON_ROLE

from ..models import Clue
from ..workflow import CLUE_WORKFLOW

REPORTER_FIELDS = ("name", "id_number", "phone")


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
    name = reveal_sensitive(actor, clue, "reporter_name", permission="clue.reveal", reason=reason,
                            can_act=lambda user, permission, obj: may_reveal_reporter(user, obj))
    sealed = clue.reporter_id_number
    if office:
        id_number = sealed.clear() if isinstance(sealed, Sealed) else (sealed or "")
    else:
        id_number = sealed.masked if isinstance(sealed, Sealed) else MASKS["id_number"](sealed or "")
    return {"name": name, "id_number": id_number, "phone": clue.reporter_phone.clear()}
