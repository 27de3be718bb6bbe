from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from qicha.campaigns import queries as campaign_queries
from qicha.clues import queries as clue_queries
from qicha.core.scope import has_permission
from qicha.reporting.queries import report_todos, timeliness

from . import queries


@login_required
def workbench(request):
    """工作台 (R-NTF-1): my to-dos, my unit's counters, the office's overdue list, the campaign at a glance."""
    user = request.user
    context = {"breadcrumbs": [("工作台", None)], "is_admin_only": not has_permission(user, "campaign.view")}
    campaign = campaign_queries.current_campaign(user)
    if campaign is not None:
        context["campaign"] = campaign
        if user.unit_id and has_permission(user, "selfinspection.edit") and campaign.participating_units.filter(
            pk=user.unit_id
        ).exists():
            context["my_answers"] = campaign_queries.unit_answers(user, campaign, user.unit)
        if has_permission(user, "coverage.view"):
            context["coverage"] = campaign_queries.coverage(user, campaign)
    context["todos"] = queries.problem_todos(user) + queries.clue_todos(user) + report_todos(user)
    if has_permission(user, "clue.view") and campaign is not None:
        context["reply_rate"] = clue_queries.reply_rate(user, campaign)
    if campaign is not None:
        context["report_timeliness"] = timeliness(user, campaign)
    context["counters"] = queries.unit_counters(user)
    context["supervised"] = queries.supervised_overdue(user)
    return render(request, "notify/workbench.html", context)
