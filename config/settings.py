"""Kulturvest settings, driven by environment variables.

Development defaults are safe; production values that are missing or malformed
fail loudly at start-up. See README.md, "Production".
"""

import os
import re
from datetime import timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}")


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, not {raw!r}") from exc


DEBUG = env_bool("DEBUG", default=True)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "django-insecure-development-only-key-never-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

# The public address of the site, used in feeds, emails and QR codes where no
# request is at hand (for example in a management command). Without SITE_URL it is the
# development server's address on PORT, which `make run PORT=…` passes on.
PORT = env_int("PORT", 8000)
SITE_URL = (os.environ.get("SITE_URL") or f"http://127.0.0.1:{PORT}").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "import_export",
    "csp",
    "axes",
    "core",
    "events",
    "ticketing",
    "artists",
    "orchestra",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "core.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, so that it turns a locked-out login into its page (see AXES_* below).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.context_processors.menu",
            ],
            # Our filters for dates, times, numbers and amounts, in every template.
            "builtins": ["core.templatetags.kv"],
        },
    },
]
# Every form field through one template: label, help, errors tied to the input, native
# date and time pickers, an error summary heading the form (core.form_rendering).
FORM_RENDERER = "core.form_rendering.SiteFormRenderer"

WSGI_APPLICATION = "config.wsgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DB_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Short, frequent queries (a scan, a registration) lose more to JIT compilation than
    # they gain: measured in benchmarks/redeem.py, 25-90 ms of compiling per scan.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Wait for a lock rather than fail at once when two requests write together.
    # IMMEDIATE transactions take the write lock at their start, so a transaction that
    # reads (places left, a ticket's check-ins) and then writes cannot act on a stale read.
    DATABASES["default"].setdefault("OPTIONS", {}).update(timeout=20, transaction_mode="IMMEDIATE")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# django-axes first: it refuses a locked-out login before any password is checked.
AUTHENTICATION_BACKENDS = [
    "core.login_throttle.LoginThrottleBackend",
    "django.contrib.auth.backends.ModelBackend",
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "core:dashboard"
LOGOUT_REDIRECT_URL = "events:home"

# Internationalisation: Norwegian bokmål by default, English by switch.
LANGUAGE_CODE = "nb"
LANGUAGES = [("nb", _("Norwegian bokmål")), ("en", _("English"))]
# locale/ is ours, rewritten by `make messages`; third_party_locale/ holds bokmål that
# our libraries lack (django-import-export has none, Django's admin scripts miss newer
# strings), kept apart because makemessages --no-obsolete would drop it from ours.
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "third_party_locale"]
USE_I18N = True
# Our own formats first ("søndag 13. desember kl. 18.00"), Django's for the rest.
FORMAT_MODULE_PATH = ["config.formats"]
TIME_ZONE = "Europe/Oslo"
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# In development whitenoise serves straight from the app and project static
# folders, so `make run` needs no collectstatic.
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG
MEDIA_URL = "media/"
# Folders under MEDIA_ROOT that are never served as media, only by a view that checks who
# asks: the jury's review copies of application images (artists.models.jury).
PRIVATE_MEDIA_DIRS = ("jury",)
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))

# --- Questions (core.questions) --------------------------------------------------------------
# File answers to staff's own questions are stored under answers/ and only staff's download
# view sends them; the largest file a person may give as an answer, in megabytes.
PRIVATE_MEDIA_DIRS = (*PRIVATE_MEDIA_DIRS, "answers")
QUESTION_FILE_MAX_MB = env_int("QUESTION_FILE_MAX_MB", 15)
# --- end of questions ------------------------------------------------------------------------

# Email: EMAIL_URL such as smtp+tls://user:password@smtp.example.org:587 or
# console:// (the default) or locmem:// (tests).
EMAIL_URL = os.environ.get("EMAIL_URL", "console://")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Kulturvest <post@kulturvest.localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Where anyone reports an accessibility barrier (the accessibility statement prints it).
ACCESSIBILITY_CONTACT_EMAIL = os.environ.get(
    "ACCESSIBILITY_CONTACT_EMAIL", "tilgjengelighet@kulturvest.localhost"
)


def _email_settings(url: str) -> dict:
    from urllib.parse import unquote, urlsplit

    parts = urlsplit(url)
    backends = {
        "console": "django.core.mail.backends.console.EmailBackend",
        "locmem": "django.core.mail.backends.locmem.EmailBackend",
        "dummy": "django.core.mail.backends.dummy.EmailBackend",
        "smtp": "django.core.mail.backends.smtp.EmailBackend",
        "smtp+tls": "django.core.mail.backends.smtp.EmailBackend",
        "smtp+ssl": "django.core.mail.backends.smtp.EmailBackend",
    }
    if parts.scheme not in backends:
        raise ImproperlyConfigured(
            f"EMAIL_URL scheme must be one of {', '.join(sorted(backends))}, not {parts.scheme!r}"
        )
    values = {"EMAIL_BACKEND": backends[parts.scheme]}
    if parts.scheme.startswith("smtp"):
        values.update(
            EMAIL_HOST=parts.hostname or "localhost",
            EMAIL_PORT=parts.port or (465 if parts.scheme == "smtp+ssl" else 587),
            EMAIL_HOST_USER=unquote(parts.username or ""),
            EMAIL_HOST_PASSWORD=unquote(parts.password or ""),
            EMAIL_USE_TLS=parts.scheme == "smtp+tls",
            EMAIL_USE_SSL=parts.scheme == "smtp+ssl",
        )
    return values


globals().update(_email_settings(EMAIL_URL))
# Seconds an SMTP connection may hang before the send fails (and is retried): a mail server
# that stops answering must not hold a worker.
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 15)

# Background jobs (config/celery.py, core/jobs.py). CELERY_BROKER_URL such as
# redis://127.0.0.1:6379/1 runs tasks in a worker; empty (the default) runs them in the
# process, after the transaction commits, so `make run` needs nothing else.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")
# A task is acknowledged when it has run, not when it is taken: a worker killed mid-task
# leaves it in Redis, which hands it to another worker once the visibility timeout (in
# seconds; longer than any task, and than the longest countdown of a retry) has passed.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 3600)}
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = TIME_ZONE  # Europe/Oslo: the schedule's hours are local time
# Scheduled work, run by one `celery -A config beat` (README, "Running in production").
# Every task is idempotent: run twice, the second run does nothing. The management
# commands (expire_waitlist_offers, apply_retention, clearsessions) still run by hand.
CELERY_BEAT_SCHEDULE = {
    # Change notices (combined), reminders and scheduled group messages (core.due).
    "send-due-messages": {
        "task": "core.tasks.send_due_messages",
        "schedule": crontab(minute="*"),
    },
    "expire-waitlist-offers": {
        "task": "ticketing.tasks.expire_waitlist_offers",
        "schedule": crontab(minute="*/5"),
    },
    "requeue-stalled-messages": {
        "task": "core.tasks.requeue_stalled_messages",
        "schedule": crontab(minute="*/5"),
    },
    "requeue-stalled-webhook-deliveries": {
        "task": "core.webhooks.requeue_stalled_deliveries",
        "schedule": crontab(minute="*/5"),
    },
    "apply-retention": {
        "task": "core.tasks.apply_retention",
        "schedule": crontab(hour=3, minute=15),
    },
    "clear-sessions": {
        "task": "core.tasks.clear_sessions",
        "schedule": crontab(hour=3, minute=45),
    },
    "prune-change-stamps": {
        "task": "core.tasks.prune_change_stamps",
        "schedule": crontab(hour=4, minute=15),
    },
}

# REDIS_URL (e.g. redis://127.0.0.1:6379/0) gives every app server one cache, and the rate
# limits count there (core/ratelimit.py). Unset: each process caches in its own memory, and
# rate limits count in the database.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            # Django's RedisCache, where a Redis that stops answering costs cache misses.
            "BACKEND": "core.cache.SharedCache",
            "LOCATION": REDIS_URL,
            # One Redis may serve other things (Celery's broker, another site): our keys are
            # kulturvest:1:...
            "KEY_PREFIX": "kulturvest",
            "TIMEOUT": 300,
            # A Redis that does not answer fails a request in a second, not a minute.
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "kulturvest",
            "TIMEOUT": 300,
        }
    }

# Seconds before an email's first retry when the mail server fails; each retry waits twice
# as long as the one before, an hour at most (core.tasks.backoff).
OUTBOUND_RETRY_BACKOFF_SECONDS = env_int("OUTBOUND_RETRY_BACKOFF_SECONDS", 30)
if OUTBOUND_RETRY_BACKOFF_SECONDS < 1:
    raise ImproperlyConfigured("OUTBOUND_RETRY_BACKOFF_SECONDS must be at least 1.")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["core.permissions.PolicyPermission"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    # JSON in, JSON out, checked for size and nesting before parsing (core/json_input.py);
    # the few upload operations declare their multipart parsers.
    "DEFAULT_PARSER_CLASSES": ["core.json_input.JSONParser"],
    "DEFAULT_PAGINATION_CLASS": "core.api_pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "core.api_schema.AutoSchema",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    "EXCEPTION_HANDLER": "core.api.exception_handler",
}

# The deepest nesting of arrays and objects a JSON body may have (DATA_UPLOAD_MAX_MEMORY_SIZE
# is its size limit): json.loads recurses once per level.
JSON_MAX_DEPTH = env_int("JSON_MAX_DEPTH", 64)
if not 1 <= JSON_MAX_DEPTH <= 500:
    raise ImproperlyConfigured("JSON_MAX_DEPTH must be between 1 and 500.")

SPECTACULAR_SETTINGS = {
    "TITLE": "Kulturvest API",
    "DESCRIPTION": "Programmes, venues, events and calendars of Kulturvest.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # OpenAPI 3.1 writes a nullable nested object as oneOf [object, null], which
    # validators read the same way; 3.0's "nullable" beside allOf is ambiguous.
    "OAS_VERSION": "3.1.0",
    "ENUM_NAME_OVERRIDES": {
        "ProgrammeKindEnum": "events.models.Programme.Kind",
        "EventKindEnum": "events.models.Event.Kind",
        "RegistrationStateEnum": "ticketing.models.Registration.State",
        "ApplicationStateEnum": "artists.models.Application.State",
        "MemberStatusEnum": "orchestra.models.StatusChange.Status",
        "LeavingReasonEnum": "orchestra.models.StatusChange.Reason",
        "ConsentKindEnum": "orchestra.models.ConsentText.Kind",
        "ConsentCapacityEnum": "orchestra.models.ConsentAcceptance.Capacity",
        "GuardianRelationEnum": "orchestra.models.Guardianship.Relation",
        "AttendanceStatusEnum": "orchestra.models.Attendance.Status",
        "AttendanceReplyEnum": "orchestra.models.Attendance.Reply",
        "AbsenceReasonEnum": "orchestra.models.AbsenceReason",
        "SectionEnum": "orchestra.models.Section",
        "TourParticipantRoleEnum": "orchestra.models.TourParticipant.Role",
        "TourCostCategoryEnum": "orchestra.models.TourCost.Category",
        # Named as before the tours' role and category choices came.
        "RoleEnum": "artists.models.Exhibition.Role",
        "CategoryEnum": "artists.models.VisitTally.Category",
        "MessageChannelEnum": "core.models.OutboundMessage.Channel",
    },
}

# Hours a waitlisted person has to accept a place that frees up.
WAITLIST_OFFER_HOURS = env_int("WAITLIST_OFFER_HOURS", 48)
if WAITLIST_OFFER_HOURS < 1:
    raise ImproperlyConfigured("WAITLIST_OFFER_HOURS must be at least 1.")

# --- Payments (ticketing.payments) ---------------------------------------------------------
# An unpaid registration paid online holds its places this many minutes from the first
# online payment attempt; then send_due_messages frees them and tells the buyer.
PAYMENT_HOLD_MINUTES = env_int("PAYMENT_HOLD_MINUTES", 30)
if PAYMENT_HOLD_MINUTES < 1:
    raise ImproperlyConfigured("PAYMENT_HOLD_MINUTES must be at least 1.")
# An online payment whose callback has not come after this many minutes is asked for.
PAYMENT_POLL_MINUTES = env_int("PAYMENT_POLL_MINUTES", 2)
# Bank transfer (always on): the account shown with the amount and the registration's
# reference. Empty: the pages do not offer bank transfer.
PAYMENT_BANK_ACCOUNT = os.environ.get("PAYMENT_BANK_ACCOUNT", "")
# Vipps MobilePay ePayment API: on when the client id, secret, subscription key and
# merchant serial number are all set. VIPPS_WEBHOOK_SECRET is the secret the Webhooks API
# gave when the webhook (SITE_URL + /payments/vipps/webhook/) was registered.
VIPPS_CLIENT_ID = os.environ.get("VIPPS_CLIENT_ID", "")
VIPPS_CLIENT_SECRET = os.environ.get("VIPPS_CLIENT_SECRET", "")
VIPPS_SUBSCRIPTION_KEY = os.environ.get("VIPPS_SUBSCRIPTION_KEY", "")
VIPPS_MSN = os.environ.get("VIPPS_MSN", "")
VIPPS_WEBHOOK_SECRET = os.environ.get("VIPPS_WEBHOOK_SECRET", "")
VIPPS_API_URL = os.environ.get("VIPPS_API_URL", "https://api.vipps.no").rstrip("/")
if not VIPPS_API_URL.startswith(("https://", "http://")):
    raise ImproperlyConfigured("VIPPS_API_URL must be an http(s) URL.")
# Seconds to wait for an answer from a payment provider (a timeout is retried once).
PAYMENT_PROVIDER_TIMEOUT = env_int("PAYMENT_PROVIDER_TIMEOUT", 10)
# --- end of payments ------------------------------------------------------------------------

# Hours a scan made offline may wait in the scanner before it is sent: a scan reporting an
# older time is refused (it could otherwise be judged against a long-past validity window).
OFFLINE_SCAN_MAX_HOURS = env_int("OFFLINE_SCAN_MAX_HOURS", 24)
if OFFLINE_SCAN_MAX_HOURS < 1:
    raise ImproperlyConfigured("OFFLINE_SCAN_MAX_HOURS must be at least 1.")

# The most visitors one tally entry may hold: a bigger number is a typo, or a group to split.
TALLY_MAX_PER_ENTRY = env_int("TALLY_MAX_PER_ENTRY", 200)
if TALLY_MAX_PER_ENTRY < 1:
    raise ImproperlyConfigured("TALLY_MAX_PER_ENTRY must be at least 1.")
# How many reverse proxies stand in front of the app and append to X-Forwarded-For; rate
# limits read the client's address from there (0: REMOTE_ADDR is the client).
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
if TRUSTED_PROXY_COUNT < 0:
    raise ImproperlyConfigured("TRUSTED_PROXY_COUNT cannot be negative.")
# Poster-URL visits one client address may register per minute (scripted inflation).
QR_VISITS_PER_MINUTE = env_int("QR_VISITS_PER_MINUTE", 30)
# Scans (redeem API calls) one login may send per minute: far above a busy door, low enough
# that a client stuck in a loop does not hold the database.
REDEEMS_PER_MINUTE = env_int("REDEEMS_PER_MINUTE", 300)
# Posts of each public form (artist sign-up, an artist's application, the orchestra's
# registration, form and API, an event's registration, password reset) one client address
# (or login) may send per hour.
PUBLIC_FORM_POSTS_PER_HOUR = env_int("PUBLIC_FORM_POSTS_PER_HOUR", 60)
for _name in ("QR_VISITS_PER_MINUTE", "REDEEMS_PER_MINUTE", "PUBLIC_FORM_POSTS_PER_HOUR"):
    if globals()[_name] < 1:
        raise ImproperlyConfigured(f"{_name} must be at least 1.")

# Login throttling (django-axes): after LOGIN_FAILURE_LIMIT failed logins for one username
# from one client address, that pair is locked out for LOGIN_COOLOFF_MINUTES (429 page).
LOGIN_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
LOGIN_COOLOFF_MINUTES = env_int("LOGIN_COOLOFF_MINUTES", 15)
for _name in ("LOGIN_FAILURE_LIMIT", "LOGIN_COOLOFF_MINUTES"):
    if globals()[_name] < 1:
        raise ImproperlyConfigured(f"{_name} must be at least 1.")
AXES_FAILURE_LIMIT = LOGIN_FAILURE_LIMIT
AXES_COOLOFF_TIME = timedelta(minutes=LOGIN_COOLOFF_MINUTES)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "core.clients.client_address"
AXES_LOCKOUT_CALLABLE = "core.login_throttle.locked_out"
AXES_CLIENT_STR_CALLABLE = "core.login_throttle.client_description"
# No record of successful logins (address and browser of every login, children's too).
AXES_DISABLE_ACCESS_LOG = True

# The youth orchestra's age limits: from these ages a member may have their own login,
# and may give consents themself instead of a guardian.
ORCHESTRA_OWN_LOGIN_AGE = env_int("ORCHESTRA_OWN_LOGIN_AGE", 13)
ORCHESTRA_SELF_CONSENT_AGE = env_int("ORCHESTRA_SELF_CONSENT_AGE", 15)
# Months after leaving when a member is anonymised (manage.py anonymise_departed_members).
ORCHESTRA_RETENTION_MONTHS = env_int("ORCHESTRA_RETENTION_MONTHS", 12)
if ORCHESTRA_RETENTION_MONTHS < 1:
    raise ImproperlyConfigured("ORCHESTRA_RETENTION_MONTHS must be at least 1.")
# The other retention rules (manage.py apply_retention runs them all, with the one above):
# days after a tour's last day when players' medical notes, emergency contacts and dietary
# needs are cleared; years after an event when its registrations lose names and contacts;
# months after a rejection is released when an application's texts and images go; years
# without an application or login after which an artist's login and private contacts go.
ORCHESTRA_TOUR_DATA_DAYS = env_int("ORCHESTRA_TOUR_DATA_DAYS", 30)
TICKETING_RETENTION_YEARS = env_int("TICKETING_RETENTION_YEARS", 3)
# Years after a concert when a visiting ensemble's contact person goes.
ORCHESTRA_GUEST_CONTACT_YEARS = env_int("ORCHESTRA_GUEST_CONTACT_YEARS", 3)
ARTISTS_REJECTED_APPLICATION_MONTHS = env_int("ARTISTS_REJECTED_APPLICATION_MONTHS", 12)
ARTISTS_INACTIVE_YEARS = env_int("ARTISTS_INACTIVE_YEARS", 5)
# Years an audit entry (core.models.AuditEntry: who changed whose record) is kept.
AUDIT_RETENTION_YEARS = env_int("AUDIT_RETENTION_YEARS", 5)
# Days an outgoing email (core.models.OutboundMessage) is kept once sent or failed.
OUTBOUND_RETENTION_DAYS = env_int("OUTBOUND_RETENTION_DAYS", 90)
# Days a failing email address or mobile number stays marked after it last failed (core.reach).
FAILING_ADDRESS_RETENTION_DAYS = env_int("FAILING_ADDRESS_RETENTION_DAYS", 180)
for _name in (
    "ORCHESTRA_TOUR_DATA_DAYS",
    "TICKETING_RETENTION_YEARS",
    "ORCHESTRA_GUEST_CONTACT_YEARS",
    "ARTISTS_REJECTED_APPLICATION_MONTHS",
    "ARTISTS_INACTIVE_YEARS",
    "AUDIT_RETENTION_YEARS",
    "OUTBOUND_RETENTION_DAYS",
    "FAILING_ADDRESS_RETENTION_DAYS",
):
    if globals()[_name] < 1:
        raise ImproperlyConfigured(f"{_name} must be at least 1.")
for _name in ("ORCHESTRA_OWN_LOGIN_AGE", "ORCHESTRA_SELF_CONSENT_AGE"):
    if not 0 < globals()[_name] < 100:
        raise ImproperlyConfigured(f"{_name} must be an age between 1 and 99.")

# Outgoing webhooks (core/webhooks.py). A delivery waits WEBHOOK_TIMEOUT_SECONDS for an
# answer, is retried with exponential backoff for about a day, and an endpoint whose
# deliveries failed for good WEBHOOK_DISABLE_AFTER_FAILURES times in a row is disabled (staff
# are emailed). Endpoints that resolve to private, loopback or link-local addresses are
# refused, but for the networks in WEBHOOK_ALLOWED_NETWORKS (e.g. 127.0.0.1/32 for a local
# receiver). Deliveries are deleted WEBHOOK_DELIVERY_RETENTION_DAYS after they were made.
WEBHOOK_TIMEOUT_SECONDS = env_int("WEBHOOK_TIMEOUT_SECONDS", 5)
WEBHOOK_DISABLE_AFTER_FAILURES = env_int("WEBHOOK_DISABLE_AFTER_FAILURES", 10)
WEBHOOK_ALLOWED_NETWORKS = env_list("WEBHOOK_ALLOWED_NETWORKS", [])
WEBHOOK_DELIVERY_RETENTION_DAYS = env_int("WEBHOOK_DELIVERY_RETENTION_DAYS", 30)
# The first retry's wait; each retry waits twice as long, an hour at most (core.webhooks).
WEBHOOK_RETRY_BACKOFF_SECONDS = env_int("WEBHOOK_RETRY_BACKOFF_SECONDS", 60)
# The payloads each event type sends, in the OpenAPI schema (a list the apps fill).
SPECTACULAR_SETTINGS["WEBHOOKS"] = "core.webhooks.SCHEMA_WEBHOOKS"
for _name in (
    "WEBHOOK_TIMEOUT_SECONDS",
    "WEBHOOK_DISABLE_AFTER_FAILURES",
    "WEBHOOK_DELIVERY_RETENTION_DAYS",
    "WEBHOOK_RETRY_BACKOFF_SECONDS",
):
    if globals()[_name] < 1:
        raise ImproperlyConfigured(f"{_name} must be at least 1.")

# SMS (core/sms.py): SMS_PROVIDER names the provider ("twilio"), empty for none: then every
# message goes by email only, and the outgoing-messages page says so. Twilio's Messages API:
# the account SID and auth token (which also signs its status callbacks), the sender (a
# number in E.164 or an alphanumeric sender id) and the API's base URL (a test points it at
# a local fake). SMS_TIMEOUT_SECONDS bounds each call to the provider.
SMS_PROVIDER = os.environ.get("SMS_PROVIDER", "").strip().lower()
TWILIO_ACCOUNT_SID = os.environ.get("TWILIO_ACCOUNT_SID", "")
TWILIO_AUTH_TOKEN = os.environ.get("TWILIO_AUTH_TOKEN", "")
TWILIO_FROM = os.environ.get("TWILIO_FROM", "")
TWILIO_API_URL = os.environ.get("TWILIO_API_URL", "https://api.twilio.com").rstrip("/")
SMS_TIMEOUT_SECONDS = env_int("SMS_TIMEOUT_SECONDS", 10)
if not TWILIO_API_URL.startswith(("https://", "http://")):
    raise ImproperlyConfigured("TWILIO_API_URL must be an http(s) URL.")
if SMS_PROVIDER not in ("", "twilio"):
    raise ImproperlyConfigured(f"SMS_PROVIDER must be empty or 'twilio', not {SMS_PROVIDER!r}")
if SMS_PROVIDER == "twilio" and not (TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN and TWILIO_FROM):
    raise ImproperlyConfigured(
        "SMS_PROVIDER=twilio needs TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and TWILIO_FROM."
    )
# Days an unsubscribe link in a non-essential email works (core.reach).
UNSUBSCRIBE_LINK_DAYS = env_int("UNSUBSCRIBE_LINK_DAYS", 365)

# --- Change and cancellation notices (events.notices) -------------------------------------
# A change set of an event is sent this many minutes after its last edit: edits within the
# window are one notice.
NOTICE_COMBINE_MINUTES = env_int("NOTICE_COMBINE_MINUTES", 5)
# A change whose old or new start is less than this many hours ahead is urgent (also SMS).
NOTICE_URGENT_HOURS = env_int("NOTICE_URGENT_HOURS", 48)


# --- Reminders (sent by core.due senders) ---------------------------------------------------
# Each reminder goes once, when its moment comes (send_due_messages runs every minute), to
# those who still have something to do; see README "Reminders".
# Guardians (and members 13+ with a login) who have not answered for a rehearsal weekend:
# this many hours before it starts (Spond: 48).
WEEKEND_REPLY_REMINDER_HOURS = env_int("WEEKEND_REPLY_REMINDER_HOURS", 48)
# Ticket holders, with their tickets: this many hours before the event (24: the day before,
# at the hour it starts). Not to a registration made after that moment (it just got them).
TICKET_REMINDER_HOURS = env_int("TICKET_REMINDER_HOURS", 24)
# A waitlist offer not answered: this many hours before it expires.
WAITLIST_OFFER_REMINDER_HOURS = env_int("WAITLIST_OFFER_REMINDER_HOURS", 12)
# Artists with a draft application: this many days before the call closes.
DRAFT_APPLICATION_REMINDER_DAYS = env_int("DRAFT_APPLICATION_REMINDER_DAYS", 3)
# Hosts of a place that counted no visitors on an open day: the next morning at this hour
# (Europe/Oslo).
TALLY_REMINDER_HOUR = env_int("TALLY_REMINDER_HOUR", 8)
# How many days ahead the staff's page of scheduled reminders looks.
REMINDER_PREVIEW_DAYS = env_int("REMINDER_PREVIEW_DAYS", 7)


# --- Messages to groups (core.group_messages) ----------------------------------------------
# Days a sent message to a group and its recipients are kept (core.retention).
GROUP_MESSAGE_RETENTION_DAYS = env_int("GROUP_MESSAGE_RETENTION_DAYS", 365)
# The API schema names the kinds of group message once.
SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"]["GroupMessageCategoryEnum"] = (
    "core.models.GroupMessage.Category"
)


# --- end of reaching people ----------------------------------------------------------------

IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_SKIP_ADMIN_LOG = False

# Cookies: never readable by scripts (but the CSRF token, which the API client reads) and
# not sent along with requests from other sites' pages; secure in production, below.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy (django-csp): scripts only from our own origin, never inline.
# Inline styles are allowed (style attributes in templates, Leaflet, Swagger UI): a style
# cannot run code. Images: our own, OpenStreetMap's tiles for the maps, and data: URIs
# (Swagger UI's icons). The one inline handler allowed is django-import-export's "select
# all" toggle in the admin, by its hash, and only as an event handler attribute.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "script-src-attr": [
            "'unsafe-hashes'",
            "'sha256-wid4zL8fR53ZYy1ljOepzR77Dn6vWUUxuNnnWWBP3I8='",  # onSelectToggleChange(event)
        ],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": [
            "'self'",
            "data:",
            "https://tile.openstreetmap.org",
            "https://*.tile.openstreetmap.org",
        ],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

# The websites (origins such as https://www.lier.kommune.no) that may show the embeddable
# lists of a programme's or a venue's next events (/embed/...) in an iframe: the embed
# pages' frame-ancestors (events.embed). Every other page may be framed by no one.
EMBED_ALLOWED_ORIGINS = env_list("EMBED_ALLOWED_ORIGINS", [])
for _origin in EMBED_ALLOWED_ORIGINS:
    if not re.fullmatch(r"https?://[a-z0-9.-]+(:[0-9]{1,5})?", _origin):
        raise ImproperlyConfigured(
            "EMBED_ALLOWED_ORIGINS must be origins such as https://www.example.no "
            f"(scheme and host, no path), not {_origin!r}"
        )

# Production hardening; active whenever DEBUG is off.
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    # Load balancers probe /healthz over plain HTTP.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=True)
    SECURE_REFERRER_POLICY = "same-origin"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}
