"""Every write on campaigns and self-inspections."""

from .campaigns import create_campaign, update_campaign
from .self_inspection import save_self_inspection, save_self_inspections

__all__ = ["create_campaign", "save_self_inspection", "save_self_inspections", "update_campaign"]
