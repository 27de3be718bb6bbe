from django.urls import path

from . import views

app_name = "campaigns"

urlpatterns = [
    path("", views.campaign_list, name="list"),
    path("new/", views.campaign_new, name="new"),
    path("<int:pk>/", views.campaign_detail, name="detail"),
    path("<int:pk>/items/<int:ordinal>/edit/", views.check_item_edit, name="check_item_edit"),
    path("<int:pk>/edit/", views.campaign_edit, name="edit"),
    path("self-inspection/", views.self_inspection_home, name="self_inspection_home"),
    path("<int:pk>/self-inspection/<int:unit_id>/", views.self_inspection_unit, name="self_inspection_unit"),
    path("<int:pk>/self-inspection/<int:unit_id>/<int:ordinal>/", views.self_inspection_item, name="self_inspection_item"),
    path("coverage/", views.coverage_home, name="coverage_home"),
    path("<int:pk>/coverage/", views.coverage, name="coverage"),
    path("<int:pk>/coverage/items/<int:ordinal>/", views.coverage_item, name="coverage_item"),
]
