"""Sample monthly reports for `make run`, written through the services as the office and the liaisons would: the
campaign's periods, and the closed months reported by every participating unit's liaison — on time and accepted,
and in the latest month one late, one returned with a reason, a few not yet received, one missing — so the matrix
has every state and the rates look like a real bureau's.

Each act happens on its day (core.demo_clock): a month's reports are prepared, submitted and reviewed around its
due date.
The notices about earlier months' acts are marked read; the latest month's stay unread. Loading twice changes nothing.
"""

from datetime import timedelta

from django.db import transaction

from qicha.campaigns.models import Campaign
from qicha.core.demo_clock import acting_on, real_today, story_day
from qicha.notify.services import resolve_notifications
from qicha.orgs.demo import add_demo_accounts
from qicha.orgs.models import User

from . import services
from .models import ReportingPeriod, Submission
from .workflow import SUBMISSION_WORKFLOW

# (liaison, days before (−) or after (+) the due date, what the office then does)
FIRST = [("liaison_city", -3, "accept"), ("liaison_chengdong", -1, "accept"), ("liaison_chengxi", -2, "accept"),
         ("liaison_nanshan", -5, "accept"), ("liaison_beihu", 0, "accept")]
SECOND = [("liaison_city", -2, "accept"), ("liaison_chengdong", 3, ""), ("liaison_chengxi", -1, "accept"),
          ("liaison_nanshan", -4, "return")]
# Liaisons of the units the base demo has none for (科室 and 局属单位), so every participating unit reports.
UNIT_LIAISONS = [
    ("liaison_bgs", "办公室联络员", "办公室"), ("liaison_shzz", "社会组织科联络员", "社会组织管理科"),
    ("liaison_shsw", "社会事务科联络员", "社会事务科"), ("liaison_jczq", "基层政权科联络员", "基层政权建设科"),
    ("liaison_zcfg", "政策法规科联络员", "政策法规科"), ("liaison_byg", "殡仪馆联络员", "市殡仪馆"),
    ("liaison_jzz", "救助站联络员", "市救助管理站"), ("liaison_fly", "福利院联络员", "市社会福利院"),
    ("liaison_zzfw", "社会组织服务中心联络员", "市社会组织服务中心"),
    ("liaison_hdzx", "核对中心联络员", "市居民家庭经济状况核对中心"),
]
FIRST += [(username, -1 - n % 4, "accept") for n, (username, _, _) in enumerate(UNIT_LIAISONS)]
SECOND += [(username, -1 - n % 3, "accept" if n % 4 else "") for n, (username, _, _) in enumerate(UNIT_LIAISONS)]
RETURN_REASON = "问题整改台账中3个问题的整改措施过于笼统，请细化后重新报送。"


# Unit leaders who approve their unit's report before it goes to the office (username, name, unit).
DEMO_LEADERS = [("leader_chengxi", "陈局长", "城西区民政局")]


def load_demo_leaders(password: str) -> int:
    """Demo 单位领导 accounts; returns how many were created (0 when they exist already)."""
    return add_demo_accounts(password, "unit_leader", DEMO_LEADERS)


@transaction.atomic
def load_reporting_demo(password: str) -> int:
    """Create the demo unit leaders, the periods and sample submissions; returns how many submissions were made
    (0 when already loaded)."""
    load_demo_leaders(password)
    add_demo_accounts(password, "liaison", UNIT_LIAISONS)
    campaign = Campaign.objects.filter(is_active=True).first()
    if campaign is None or Submission.objects.filter(period__campaign=campaign).exists():
        return 0
    office = User.objects.get(username="office")
    with acting_on(story_day(0, days=-9), hour=11):  # with the campaign's launch (core.demo_clock)
        services.generate_periods(office, campaign)
    today = real_today()
    closed = list(ReportingPeriod.objects.filter(campaign=campaign, due_date__lt=today).order_by("-due_date"))
    plans = [SECOND, FIRST] + [FIRST] * (len(closed) - 2)  # earlier months: everyone on time and accepted
    made = 0
    for period, plan in reversed(list(zip(closed, plans, strict=False))):
        with acting_on(period.start, hour=8):
            period = services.update_period(office, period, version=period.version, requires_approval=False,
                                            lock_after_due=False)
        for username, offset, review in plan:
            liaison = User.objects.get(username=username)
            day = min(period.due_date + timedelta(days=offset), today - timedelta(days=1))
            with acting_on(day, hour=16):
                submission = services.prepare_submission(liaison, period, f"{liaison.unit.name}{period}台账，请审阅。")
                submission = services.submit_report(liaison, submission, version=submission.version)
            if review:
                with acting_on(min(day + timedelta(days=1), today), hour=10):
                    SUBMISSION_WORKFLOW.perform(office, submission, review, version=submission.version,
                                                reason=RETURN_REASON if review == "return" else "")
            made += 1
    # The acts of earlier months are old news: their notices are read, so the bell shows the latest month's only.
    # On commit, after the notices themselves (also sent on commit, in the order the callbacks were added).
    earlier = [f"/reporting/submissions/{pk}/" for pk in Submission.objects.filter(
        period__in=closed[1:]).values_list("pk", flat=True)]

    def read_earlier():
        for link in earlier:
            resolve_notifications(link=link)

    transaction.on_commit(read_earlier)
    return made
