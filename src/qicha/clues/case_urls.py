from django.urls import path

from . import case_views

app_name = "cases"

urlpatterns = [
    path("", case_views.case_list, name="list"),
    path("new/", case_views.case_create, name="create"),
    path("<int:pk>/", case_views.case_detail, name="detail"),
    path("<int:pk>/progress/", case_views.add_progress, name="progress"),
    path("<int:pk>/rectification/", case_views.save_rectification, name="rectification"),
    path("<int:pk>/actions/<slug:action>/", case_views.perform_action, name="action"),
    path("<int:pk>/problems/new/", case_views.open_problem, name="problem"),
    path("attachments/<int:attachment_id>/", case_views.download_attachment, name="attachment"),
]
