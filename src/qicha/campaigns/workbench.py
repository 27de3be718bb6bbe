"""The campaign on the 工作台: the current campaign (a fact the other ledgers' cards use), the unit's own answers and
the coverage totals."""

from qicha.core.scope import has_permission
from qicha.core.workbench import Card, Figure

from . import queries


def current_campaign(viewer):
    return queries.current_campaign(viewer.user)


def _coverage_url(campaign) -> str:
    return f"/campaigns/{campaign.pk}/coverage/"


def campaign_figures(viewer) -> dict[str, Figure]:
    campaign = viewer.fact("campaign")
    if campaign is None or not has_permission(viewer.user, "coverage.view"):
        return {}
    summary = queries.coverage_summary(viewer.user, campaign)
    url = _coverage_url(campaign)
    return {
        "units": Figure("参与单位", summary.units, url),
        "coverage_rate": Figure("覆盖率", summary.rate, None),
        "missing": Figure("未填报事项", summary.missing, None),
        "problem_cells": Figure("有问题", summary.problems, None),
    }


def campaign_cards(viewer, figures) -> list[Card]:
    user, campaign = viewer.user, viewer.fact("campaign")
    if campaign is None:
        return []
    cards = [Card("campaign", campaign.name, "campaigns/_workbench_campaign.html", slot="campaign",
                  data={"campaign": campaign})]
    if user.unit_id and has_permission(user, "selfinspection.edit") and campaign.participating_units.filter(
            pk=user.unit_id).exists():
        cards.append(Card("my_answers", "本单位自查填报", "campaigns/_workbench_answers.html", slot="campaign",
                          data={"campaign": campaign, "answers": queries.unit_answers(user, campaign, user.unit)}))
    if figures:
        cards.append(Card("coverage", "查摆覆盖情况", "campaigns/_workbench_coverage.html", slot="campaign",
                          link=figures["units"].url, data={name: figure.value for name, figure in figures.items()}))
    return cards
