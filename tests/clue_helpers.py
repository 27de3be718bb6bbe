"""Register clues and bring them to a status through the services, as the people who would."""

from datetime import timedelta

from django.utils import timezone
from stdnum.cn import ric

from qicha.clues import services
from qicha.clues.models import Clue
from qicha.clues.workflow import CLUE_WORKFLOW
from qicha.orgs.models import Unit, User


def id_number(body17: str) -> str:
    """A valid 18-digit identity number from its first 17 digits."""
    return body17 + ric.calc_check_digit(body17 + "0")  # stdnum wants a placeholder check digit


PERSON_ID = id_number("11010519800101123")  # 1980-01-01


def intake(campaign, by="office", days_ago=5, **extra) -> Clue:
    fields = {
        "source": "central_group", "received_date": timezone.localdate() - timedelta(days=days_ago),
        "content": "反映城东区某村村委会主任违规为亲属办理低保", "domain": "subsistence", "region": "城东区新华街道幸福村",
        "subjects": [], "reporter": {},
    } | extra
    unit = fields.pop("unit_name", None)
    if unit:
        fields["unit"] = Unit.objects.get(name=unit)
    return services.register_clue(User.objects.get(username=by), campaign=campaign, **fields)


def act(clue, action, by, **data):
    clue.refresh_from_db()
    return CLUE_WORKFLOW.perform(User.objects.get(username=by), clue, action, version=clue.version, **data)


def bring_to(clue, status, unit_name="城东区民政局", worker="liaison_chengdong", result="untrue", handler=None):
    """received → assigned → verifying → verified → closed (with a reply first when real-name)."""
    order = ["received", "assigned", "verifying", "verified", "closed"]
    today = timezone.localdate()
    for step in order[1: order.index(status) + 1]:
        if step == "assigned":
            act(clue, "assign", "office", unit=Unit.objects.get(name=unit_name),
                handler=User.objects.get(username=handler) if handler else None)
        elif step == "verifying":
            act(clue, "start", worker)
        elif step == "verified":
            act(clue, "report_result", worker, result=result, findings="经核查，反映问题不属实。")
        elif step == "closed":
            if clue.real_name and not clue.replies.exists():
                act(clue, "record_reply", worker, date=today, channel="phone", reporter_response="表示理解")
            act(clue, "close", "office")
    clue.refresh_from_db()
    return clue
