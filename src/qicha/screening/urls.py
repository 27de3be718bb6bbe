from django.urls import path

from . import views

app_name = "screening"

urlpatterns = [
    path("", views.hits, name="hits"),
    path("hits/", views.hits, name="hit_list"),
    path("hits/<int:pk>/", views.hit_detail, name="hit"),
    path("hits/<int:pk>/actions/<slug:action>/", views.hit_action, name="hit_action"),
    path("runs/", views.runs, name="runs"),
    path("runs/new/", views.run_new, name="run_new"),
    path("runs/<int:pk>/", views.run_detail, name="run"),
    path("registers/", views.registers, name="registers"),
    path("templates/<slug:kind>/", views.template, name="template"),
]
