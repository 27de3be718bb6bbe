"""The 工作台 (R-NTF-1), assembled from the cards each ledger registers with `core.workbench`; imports no ledger."""

from dataclasses import dataclass, field

from qicha.core.scope import has_permission
from qicha.core.workbench import Viewer, cards_for

SLOTS = ("summary", "todos", "wide", "campaign")


@dataclass
class Workbench:
    admin_only: bool  # the 三员 read no business data: their page points to their duties instead
    campaign: object | None = None
    slots: dict = field(default_factory=lambda: {slot: [] for slot in SLOTS})


def workbench(user) -> Workbench:
    if not has_permission(user, "campaign.view"):
        return Workbench(admin_only=True)
    viewer = Viewer(user)
    page = Workbench(admin_only=False, campaign=viewer.fact("campaign"))
    if page.campaign is None:
        return page
    for card in cards_for(viewer):
        page.slots[card.slot].append(card)
    return page
