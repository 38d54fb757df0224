"""The site's own pages, each with its declared policy: health, logins and passwords."""

from django.contrib.auth import views as auth_views
from django.urls import include, path

from core import group_message_views as group_views
from core import question_views, ratelimit
from core.forms import PasswordResetForm
from core.health import healthz
from core.policies import LOGGED_IN, PUBLIC, requires
from core.views import (
    accessibility_statement,
    contact_preferences,
    dashboard,
    outbound_message_resend,
    outbound_messages,
    reminders_page,
    retention_page,
    sms_status,
    unsubscribe,
    webhook_delivery_replay,
    webhook_endpoint,
    webhook_endpoint_add,
    webhook_endpoints,
)

public = requires(PUBLIC, obj=None)
logged_in = requires(LOGGED_IN, obj=None)

# The dashboard is addressed as core:dashboard; the other names here predate the namespace.
dashboard_patterns = (
    [
        path("oversikt/", dashboard, name="dashboard"),
        path("stab/utgaende-epost/", outbound_messages, name="outbound_messages"),
        path(
            "stab/utgaende-epost/<int:pk>/send-igjen/",
            outbound_message_resend,
            name="outbound_message_resend",
        ),
        path("stab/paminnelser/", reminders_page, name="reminders"),
        path("min-kontakt/", contact_preferences, name="contact_preferences"),
        path("avmeld/<str:token>/", unsubscribe, name="unsubscribe"),
        path("sms/status/", sms_status, name="sms_status"),
        path("stab/meldinger/", group_views.message_list, name="group_messages"),
        path("stab/meldinger/ny/", group_views.compose, name="group_message_compose"),
        path("stab/meldinger/<int:pk>/", group_views.detail, name="group_message"),
        path("stab/meldinger/<int:pk>/endre/", group_views.edit, name="group_message_edit"),
        path("stab/meldinger/<int:pk>/send/", group_views.send, name="group_message_send"),
        path(
            "stab/meldinger/mottakere/<int:pk>/send-igjen/",
            group_views.resend,
            name="group_message_resend",
        ),
        path("meldinger/", group_views.my_messages, name="my_messages"),
        path(
            "stab/sporsmal/<str:kind>/<int:owner_id>/",
            question_views.question_set,
            name="questions",
        ),
        path("stab/sporsmal/<int:pk>/endre/", question_views.question_edit, name="question_edit"),
        path(
            "stab/sporsmal/<int:pk>/flytt/<str:direction>/",
            question_views.question_move,
            name="question_move",
        ),
        path(
            "stab/sporsmal/<int:pk>/fjern/", question_views.question_remove, name="question_remove"
        ),
        path("stab/svar/<int:pk>/fil/", question_views.answer_file, name="answer_file"),
        path("stab/webhooks/", webhook_endpoints, name="webhook_endpoints"),
        path("stab/webhooks/ny/", webhook_endpoint_add, name="webhook_endpoint_add"),
        path("stab/webhooks/<int:pk>/", webhook_endpoint, name="webhook_endpoint"),
        path(
            "stab/webhooks/leveranser/<int:pk>/send-igjen/",
            webhook_delivery_replay,
            name="webhook_delivery_replay",
        ),
    ],
    "core",
)

urlpatterns = [
    path("", include(dashboard_patterns)),
    path("healthz", public(healthz), name="healthz"),
    path("stab/personvern/", retention_page, name="retention"),
    path("tilgjengelighet/", accessibility_statement, name="accessibility"),
    path("accounts/login/", public(auth_views.LoginView.as_view()), name="login"),
    path("accounts/logout/", public(auth_views.LogoutView.as_view()), name="logout"),
    path(
        "accounts/password_change/",
        logged_in(auth_views.PasswordChangeView.as_view()),
        name="password_change",
    ),
    path(
        "accounts/password_change/done/",
        logged_in(auth_views.PasswordChangeDoneView.as_view()),
        name="password_change_done",
    ),
    # Logins made without a password (guardians) may reset it. Rate-limited: each post may
    # send an email to an address of the poster's choosing.
    path(
        "accounts/password_reset/",
        public(
            ratelimit.rate_limited(ratelimit.PASSWORD_RESET)(
                auth_views.PasswordResetView.as_view(form_class=PasswordResetForm)
            )
        ),
        name="password_reset",
    ),
    path(
        "accounts/password_reset/done/",
        public(auth_views.PasswordResetDoneView.as_view()),
        name="password_reset_done",
    ),
    path(
        "accounts/reset/<uidb64>/<token>/",
        public(auth_views.PasswordResetConfirmView.as_view()),
        name="password_reset_confirm",
    ),
    path(
        "accounts/reset/done/",
        public(auth_views.PasswordResetCompleteView.as_view()),
        name="password_reset_complete",
    ),
]
