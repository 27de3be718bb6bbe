from django.urls import path

from . import views

app_name = "documents"
urlpatterns = [
    path("", views.home, name="home"),
    path("<str:kind>/", views.edit, name="edit"),
    path("<str:kind>/generate/", views.generate, name="generate"),
]
