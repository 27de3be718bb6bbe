from django.urls import path

from . import views

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
]
