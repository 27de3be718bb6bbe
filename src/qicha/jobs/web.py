"""Helpers for pages that start a job: send the browser to the job's progress page."""

from django.shortcuts import redirect
from django.urls import reverse


def job_redirect(request, job):
    url = reverse("jobs:detail", args=[job.pk])
    if request.htmx:
        from django.http import HttpResponse

        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return redirect(url)
