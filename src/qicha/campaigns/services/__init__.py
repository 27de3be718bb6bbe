"""Every write on campaigns and self-inspections."""

from .campaigns import create_campaign, default_plan, update_campaign, update_check_item
from .self_inspection import save_self_inspection, save_self_inspections

__all__ = ["create_campaign", "default_plan", "save_self_inspection", "save_self_inspections", "update_campaign", "update_check_item"]
