from django.contrib.auth import views as auth_views
from django.urls import path
from django.views.i18n import set_language

from .routes import AREAS
from .views import account, audit, auth, dashboard, school

app_name = "web"

urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
    path("login/", auth.login_view, name="login"),
    path("logout/", auth.logout_view, name="logout"),
    path("account/", account.account, name="account"),
    path("account/password/", auth.password_change, name="password_change"),
    path("account/email/", auth.verify_email_start, name="verify_email_start"),
    path("account/email/verify/<str:token>/", auth.verify_email_link, name="verify_email"),
    path("password-reset/", auth.ResetView.as_view(), name="password_reset"),
    path(
        "password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="web/auth/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "password-reset/<uidb64>/<token>/",
        auth.ResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password-reset/complete/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="web/auth/password_reset_complete.html"
        ),
        name="password_reset_complete",
    ),
    path("language/", set_language, name="set_language"),
    path("school/settings/", school.school_settings, name="school_settings"),
    path("school/windows/", school.school_windows, name="school_windows"),
    path("audit/", audit.audit_log, name="audit_log"),
]

# Each feature area keeps its own routes in web/routes/<area>.py.
for _area in AREAS:
    urlpatterns += _area.urlpatterns
