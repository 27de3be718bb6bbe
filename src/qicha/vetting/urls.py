from django.urls import path

from . import views

app_name = "vetting"

urlpatterns = [
    path("", views.home, name="home"),
    path("new/", views.new_round, name="new_round"),
    path("template/", views.candidate_template, name="candidate_template"),
    path("negative-lists/template/", views.negative_template, name="negative_template"),
    path("candidates/", views.candidates, name="candidates"),
    path("candidates/<int:candidate_id>/decide/", views.decide, name="decide"),
    path("candidates/<int:candidate_id>/to-ledger/", views.to_ledger, name="to_ledger"),
    path("members/", views.members, name="members"),
    path("members/new/", views.new_member, name="new_member"),
    path("members/<int:pk>/", views.member, name="member"),
    path("review/", views.review, name="review"),
    path("review/template/", views.review_template, name="review_template"),
    path("review/import/", views.review_import, name="review_import"),
    path("review/precheck/", views.review_precheck, name="review_precheck"),
    path("review/<int:pk>/decide/", views.review_decide, name="review_decide"),
    path("<int:pk>/", views.round_detail, name="round"),
    path("<int:pk>/import/", views.import_candidates, name="import_candidates"),
    path("<int:pk>/negative-lists/", views.import_negative_list, name="import_negative_list"),
    path("<int:pk>/precheck/", views.precheck, name="precheck"),
    path("<int:pk>/actions/<slug:action>/", views.act, name="act"),
    path("<int:pk>/summary.xlsx", views.summary, name="summary"),
    path("<int:pk>/departments/<int:department_id>/", views.department, name="department"),
    path("<int:pk>/departments/<int:department_id>/sheet.xlsx", views.department_sheet, name="department_sheet"),
    path("<int:pk>/departments/<int:department_id>/upload/", views.upload_answers, name="upload_answers"),
    path("<int:pk>/departments/<int:department_id>/answers/<int:candidate_id>/", views.answer, name="answer"),
]
