from django.urls import path

from . import views

app_name = "documents"
urlpatterns = [
    path("", views.home, name="home"),
    path("briefings/", views.briefing_list, name="briefings"),
    path("briefings/new/", views.briefing_new, name="briefing_new"),
    path("briefings/notice.docx", views.notice_docx, name="notice"),
    path("briefings/<int:briefing_id>.docx", views.briefing_docx, name="briefing_docx"),
    path("<str:kind>/", views.edit, name="edit"),
    path("<str:kind>/generate/", views.generate, name="generate"),
]
