from django.urls import path

from . import paper_views, unit_views, views

app_name = "documents"
urlpatterns = [
    path("", views.home, name="home"),
    path("briefings/", views.briefing_list, name="briefings"),
    path("briefings/new/", views.briefing_new, name="briefing_new"),
    path("briefings/notice.docx", views.notice_docx, name="notice"),
    path("briefings/<int:briefing_id>.docx", views.briefing_docx, name="briefing_docx"),
    path("paper/problems/<int:problem_id>/sign-off/", paper_views.problem_sign_off, name="problem_sign_off"),
    path("paper/problems/<int:problem_id>/dossier/", paper_views.problem_dossier, name="problem_dossier"),
    path("paper/clues/<int:clue_id>/assignment/", paper_views.clue_assignment, name="clue_assignment"),
    path("paper/clues/<int:clue_id>/report/", paper_views.clue_report, name="clue_report"),
    path("paper/clues/<int:clue_id>/dossier/", paper_views.clue_dossier, name="clue_dossier"),
    path("paper/urge/<int:unit_id>/", paper_views.urge_letter, name="urge_letter"),
    # 单位总结 (before "<str:kind>/", which would take "units" for a kind)
    path("units/", unit_views.home, name="unit_home"),
    path("units/mine/", unit_views.mine, name="unit_mine"),
    path("units/todo/<str:name>/", unit_views.todo_list, name="unit_todo"),  # ?kind=stage|final: the caller's own unit
    path("units/<int:pk>/", unit_views.detail, name="unit_summary"),
    path("units/<int:pk>/file/", unit_views.download, name="unit_summary_file"),
    path("units/<int:pk>/actions/<str:action>/", unit_views.action, name="unit_summary_action"),
    path("<str:kind>/", views.edit, name="edit"),
    path("<str:kind>/generate/", views.generate, name="generate"),
]
