from django.urls import path

from . import views

app_name = "ledgers"

urlpatterns = [
    path("", views.home, name="home"),
    path("todo/unfiled/", views.unfiled, name="unfiled"),
    path("definitions/new/", views.define, name="define_new"),
    path("definitions/from-excel/", views.define_from_excel, name="define_from_excel"),
    path("<slug:key>/", views.rows, name="rows"),
    path("<slug:key>/definition/", views.define, name="define"),
    path("<slug:key>/new/", views.row_form, name="row_new"),
    path("<slug:key>/import/", views.import_rows, name="import"),
    path("<slug:key>/months/", views.months, name="months"),
    path("<slug:key>/nil-report/", views.declare_nil, name="declare_nil"),
    path("<slug:key>/template/", views.template, name="template"),
    path("<slug:key>/<int:pk>/", views.row_detail, name="row"),
    path("<slug:key>/<int:pk>/edit/", views.row_form, name="row_edit"),
    path("<slug:key>/<int:pk>/problem/", views.open_problem, name="open_problem"),
]
