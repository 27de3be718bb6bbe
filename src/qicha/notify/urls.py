from django.urls import path

from . import placeholder_views

app_name = "notify"
urlpatterns = [path("", placeholder_views.inbox, name="inbox")]
