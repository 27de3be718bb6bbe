from django.urls import path

from . import import_views, views

app_name = "problems"

urlpatterns = [
    path("", views.problem_list, name="list"),
    path("new/", views.problem_create, name="create"),
    path("<int:pk>/", views.problem_detail, name="detail"),
    path("<int:pk>/edit/", views.problem_edit, name="edit"),
    path("<int:pk>/progress/", views.add_progress, name="progress"),
    path("<int:pk>/actions/<slug:action>/", views.perform_action, name="action"),
    path("attachments/<int:attachment_id>/", views.download_attachment, name="attachment"),
    path("feedback/", views.feedback, name="feedback"),
    path("rules/", views.rules, name="rules"),
    path("rules/new/", views.rule_create, name="rule_create"),
    # Excel import (问题整改台账导入)
    path("import/", import_views.import_upload, name="import"),
    path("import/template/", import_views.import_template, name="import_template"),
    path("import/<int:job_id>/", import_views.import_preview, name="import_preview"),
]
