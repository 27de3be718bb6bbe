from django.urls import path

from . import accountability_views, letter_views

urlpatterns = [
    path("letters/", letter_views.letter_board, name="letters"),
    path("letters/new/", letter_views.letter_create, name="letter_create"),
    path("letters/<int:letter_id>/", letter_views.letter_detail, name="letter_detail"),
    path("letters/<int:letter_id>/edit/", letter_views.letter_edit, name="letter_edit"),
    path("letters/<int:letter_id>/checks/", letter_views.letter_check, name="letter_check"),
    path("letters/<int:letter_id>/scan/", letter_views.letter_scan, name="letter_scan"),
    path("accountability/", accountability_views.accountability_list, name="accountability"),
    path("accountability/new/", accountability_views.accountability_create, name="accountability_create"),
    path("accountability/<int:accountability_id>/", accountability_views.accountability_detail,
         name="accountability_detail"),
]
