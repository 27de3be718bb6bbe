from django.urls import path

from . import views

app_name = "reporting"
urlpatterns = [
    path("", views.home, name="home"),
    path("todo/<str:name>/", views.todo_list, name="todo"),
    path("periods/generate/", views.generate, name="generate"),
    path("periods/<int:period_id>/", views.period_detail, name="period"),
    path("periods/<int:period_id>/prepare/", views.period_prepare, name="prepare"),
    path("periods/<int:period_id>/settings/", views.period_settings, name="settings"),
    path("periods/<int:period_id>/rollup/", views.period_rollup, name="rollup"),
    path("submissions/<int:submission_id>/", views.submission_detail, name="submission"),
    path("submissions/<int:submission_id>/actions/<str:action>/", views.submission_action, name="action"),
]
