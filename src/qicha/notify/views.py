from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from . import queries


@login_required
def workbench(request):
    """工作台 (R-NTF-1): my to-dos, my unit's counters, the office's overdue list, the campaign at a glance — each
    ledger's cards as it registered them (core.workbench)."""
    return render(request, "notify/workbench.html", {"breadcrumbs": [("工作台", None)],
                                                     "page": queries.workbench(request.user)})
