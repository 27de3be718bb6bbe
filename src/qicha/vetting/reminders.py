"""The daily reminder: departments with candidates still unanswered, two days before the deadline and after it."""

from datetime import date, timedelta

from django.db.models import Count

from qicha.notify.acts import notify_act

from .models import Opinion, RoundDepartment, RoundStatus

LEAD_DAYS = 2


def send_deadline_reminders(today: date) -> int:
    sent = 0
    departments = RoundDepartment.objects.filter(round__status=RoundStatus.OPEN,
                                                 round__deadline__lte=today + timedelta(days=LEAD_DAYS)) \
        .select_related("round").annotate(candidates=Count("round__candidates", distinct=True))
    answered = dict(Opinion.objects.filter(department__in=departments).values_list("department")
                    .annotate(n=Count("pk")).order_by())
    for department in departments:
        if department.candidates and answered.get(department.pk, 0) < department.candidates:
            sent += notify_act("vetting_department", None, department, "remind")
    return sent
