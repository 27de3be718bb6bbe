from django.urls import path

from . import case_views

app_name = "cases"

urlpatterns = [
]
