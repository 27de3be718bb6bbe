"""Every write on campaigns and self-inspections."""

from .campaigns import create_campaign, update_campaign
from .self_inspection import save_self_inspection

__all__ = ["create_campaign", "save_self_inspection", "update_campaign"]
