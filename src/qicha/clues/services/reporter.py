"""Reporter protection (R-CLU-6): the identity is shown masked; the clear text is given only to an entitled
user who states why, and every reveal (and every refused attempt) is audited."""

from qicha.core.sensitive import reveal_sensitive

from ..models import Clue
from ..workflow import CLUE_WORKFLOW

REPORTER_FIELDS = ("name", "id_number", "phone")


def reveal_reporter(actor, clue: Clue, reason: str) -> dict:
    # One audited reveal covers the reporter as a whole; the other parts follow from the same decision.
    name = reveal_sensitive(actor, clue, "reporter_name", permission="clue.reveal", reason=reason,
                            can_act=lambda user, permission, obj: CLUE_WORKFLOW.permits(user, obj, permission))
    return {"name": name, "id_number": clue.reporter_id_number.clear(), "phone": clue.reporter_phone.clear()}
