"""The 督导员's data scope (DataScope.INSPECTION), registered with core.scope from plugins.py.

An inspector sees the units of the inspections they are on, and only while those are under way: the units their
draw paired them with, or every inspected unit when they are on the whole inspection. Before the start and after the
end, nothing — their inspections' own pages (the plan, their findings) stay open to them through the inspection
queries, which list an inspection to its inspectors.
"""

from django.db.models import Q


def units_under_inspection(user):
    from .models import InspectionInspector, InspectionStatus, InspectionTarget

    running = InspectionInspector.objects.filter(user_id=user.pk, inspection__status=InspectionStatus.IN_PROGRESS)
    whole = running.filter(target__isnull=True).values("inspection_id")
    paired = running.filter(target__isnull=False).values("target_id")
    return InspectionTarget.objects.filter(Q(inspection_id__in=whole) | Q(pk__in=paired)).values_list("unit_id", flat=True)


def register() -> None:
    from qicha.core.scope import DataScope, register_scope_units

    register_scope_units(DataScope.INSPECTION, units_under_inspection)
