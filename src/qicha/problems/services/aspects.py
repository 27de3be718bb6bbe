from django.db import transaction
from django.db.models import Max

from qicha.core.audit import EventType, record_event
from qicha.core.errors import Forbidden, Invalid
from qicha.core.scope import has_permission

from ..models import FeedbackAspect


def add_feedback_aspect(actor, campaign, *, title: str) -> FeedbackAspect:
    """One more aspect of the inspection group's feedback (the office records them as the feedback arrives)."""
    if not has_permission(actor, "campaign.manage"):
        raise Forbidden()
    title = (title or "").strip()
    if not title:
        raise Invalid(details={"title": "请填写反馈方面的名称。"})
    if len(title) > 200:
        raise Invalid(details={"title": f"反馈方面名称最多 200 字，当前 {len(title)} 字。"})
    if FeedbackAspect.objects.filter(campaign=campaign, title=title).exists():
        raise Invalid(details={"title": f"已有名为“{title}”的反馈方面。"})
    with transaction.atomic():
        ordinal = (FeedbackAspect.objects.filter(campaign=campaign).aggregate(n=Max("ordinal"))["n"] or 0) + 1
        aspect = FeedbackAspect.objects.create(campaign=campaign, ordinal=ordinal, title=title)
        record_event(EventType.CREATE, actor=actor, obj=aspect, after={"ordinal": ordinal, "title": title})
    return aspect
