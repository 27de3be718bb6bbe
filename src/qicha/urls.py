from django.urls import include, path

from qicha.api.urls import api
from qicha.core import health, search_views
from qicha.core import help as core_help
from qicha.core import views as core_views
from qicha.jobs import export_views
from qicha.notify import views as notify_views
from qicha.orgs import auth_views, otp_views

urlpatterns = [
    path("", notify_views.workbench, name="home"),
    path("healthz", health.healthz, name="healthz"),
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.logout, name="logout"),
    path("password/", auth_views.password_change, name="password_change"),
    path("activate/", auth_views.activate, name="activate_account"),
    path("otp/", otp_views.otp_verify, name="otp_verify"),
    path("search/", search_views.search, name="search"),
    path("help/", core_help.manual, name="help"),
    path("help/<slug:slug>/", core_help.manual, name="help_role"),
    path("audit/", core_views.audit, name="audit"),
    path("audit/export/", core_views.audit_export, name="audit_export"),
    path("campaigns/", include("qicha.campaigns.urls")),
    path("problems/", include("qicha.problems.urls")),
    # The clue list's former export address: the generic ledger export (POST; reporters masked unless asked with a reason).
    path("clues/export/", export_views.export_ledger, {"ledger": "clues"}),
    path("clues/", include("qicha.clues.urls")),
    path("cases/", include("qicha.clues.case_urls")),
    path("supervision/", include("qicha.supervision.urls")),
    path("ledgers/", include("qicha.ledgers.urls")),
    path("screening/", include("qicha.screening.urls")),
    path("reporting/", include("qicha.reporting.urls")),
    path("documents/", include("qicha.documents.urls")),
    path("dashboard/", include("qicha.cockpit.urls")),
    path("vetting/", include("qicha.vetting.urls")),
    path("jobs/", include("qicha.jobs.urls")),
    path("notifications/", include("qicha.notify.urls")),
    path("admin/", include("qicha.orgs.urls")),
    path("api/v1/", api.urls),
]

handler400 = "qicha.core.errors_views.bad_request"
handler403 = "qicha.core.errors_views.forbidden"
handler404 = "qicha.core.errors_views.not_found"
handler500 = "qicha.core.errors_views.server_error"
