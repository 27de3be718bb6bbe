from django.urls import path

from . import import_views, views

app_name = "clues"

urlpatterns = [
    path("", views.clue_list, name="list"),
    path("new/", views.clue_create, name="create"),
    path("import/", import_views.import_upload, name="import"),
    path("import/template/", import_views.import_template, name="import_template"),
    path("import/<str:token>/", import_views.import_preview, name="import_preview"),
    path("assign/", views.bulk_assign, name="bulk_assign"),
    path("board/", views.board, name="board"),
    path("time-limits/", views.time_limits, name="time_limits"),
    path("<int:pk>/", views.clue_detail, name="detail"),
    path("<int:pk>/actions/<slug:action>/", views.perform_action, name="action"),
    path("<int:pk>/candidates/<int:candidate_id>/<slug:decision>/", views.decide_candidate, name="candidate"),
    path("<int:pk>/reveal/", views.reveal_reporter, name="reveal"),
    path("<int:pk>/evidence/", views.add_evidence, name="evidence"),
    path("evidence/<int:attachment_id>/", views.download_evidence, name="evidence_download"),
    path("<int:pk>/unlink/", views.unlink_repeat, name="unlink"),
    path("<int:pk>/merge/", views.merge_matter, name="merge"),
]
