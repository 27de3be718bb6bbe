from django.urls import path

from . import views

app_name = "orgs"

urlpatterns = [
    path("units/", views.units, name="units"),
    path("units/new/", views.unit_create, name="unit_create"),
    path("units/<int:pk>/", views.unit_edit, name="unit_edit"),
    path("users/", views.users, name="users"),
    path("users/new/", views.user_create, name="user_create"),
    path("users/<int:pk>/", views.user_edit, name="user_edit"),
    path("users/<int:pk>/reset-password/", views.user_reset_password, name="user_reset_password"),
    path("users/<int:pk>/active/", views.user_set_active, name="user_set_active"),
    path("users/<int:pk>/unlock/", views.user_unlock, name="user_unlock"),
    path("password-resets/", views.password_resets, name="password_resets"),
    path("password-resets/<int:pk>/release/", views.password_reset_release, name="password_reset_release"),
    path("roles/", views.roles, name="roles"),
    path("roles/new/", views.role_create, name="role_create"),
    path("roles/<int:pk>/", views.role_edit, name="role_edit"),
    path("grants/", views.grants, name="grants"),
    path("grants/<int:pk>/", views.grant_edit, name="grant_edit"),
]
