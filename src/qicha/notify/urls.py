from django.urls import path

from . import inbox_views

app_name = "notify"
urlpatterns = [
    path("", inbox_views.inbox, name="inbox"),
    path("read-all/", inbox_views.read_all, name="read_all"),
    path("<int:pk>/open/", inbox_views.open_notification, name="open"),
    path("<int:pk>/read/", inbox_views.read_one, name="read"),
]
