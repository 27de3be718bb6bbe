from django.contrib.auth.decorators import login_required
from django.shortcuts import render


@login_required
def home(request):  # placeholder until the reporting pages land
    return render(request, "base.html", {"breadcrumbs": [("总结文档", None)]})
