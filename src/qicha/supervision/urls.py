from django.urls import path

from . import inspection_urls, letter_urls, views

app_name = "supervision"

urlpatterns = [
    path("", views.home, name="home"),
    *letter_urls.urlpatterns,
    *inspection_urls.urlpatterns,
]
