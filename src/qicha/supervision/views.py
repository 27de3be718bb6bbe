"""The supervision section's landing page: letters, inspections and accountability at a glance."""

from django.shortcuts import render

from qicha.campaigns import queries as campaign_queries
from qicha.core.web import permission_required


@permission_required("supervision.view")
def home(request):
    campaign = campaign_queries.current_campaign(request.user)
    return render(request, "supervision/home.html", {"campaign": campaign, "breadcrumbs": [("督导检查", None)]})
