from django.urls import path

from . import inspection_views as views

urlpatterns = [
    path("inspections/", views.inspection_list, name="inspections"),
    path("inspections/new/", views.inspection_create, name="inspection_create"),
    path("inspections/risk/", views.risk_settings, name="inspection_risk"),
    path("inspections/<int:inspection_id>/", views.inspection_detail, name="inspection_detail"),
    path("inspections/<int:inspection_id>/draw/", views.inspection_draw, name="inspection_draw"),
    path("inspections/<int:inspection_id>/findings/", views.inspection_finding, name="inspection_finding"),
    path("inspections/<int:inspection_id>/targets/<int:target_id>/rating/", views.inspection_rate,
         name="inspection_rate"),
    path("inspections/<int:inspection_id>/actions/<slug:action>/", views.inspection_action, name="inspection_action"),
]
