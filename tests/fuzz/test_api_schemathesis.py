"""Fuzz every operation of /api/v1/ from its own OpenAPI schema, as staff and as anonymous.

Every check schemathesis has runs on every answer: no server error; the status code, the
content type, the headers and the body as the schema documents them; data that breaks the
schema is refused and data that keeps it is accepted; an operation that needs a login
refuses a request without one (or with a bad token). Schemathesis generates both kinds of
data. All registered checks are passed; those that judge a sequence of calls
(use_after_free, ensure_resource_availability) or the coverage phase's requests
(unsupported_method, missing_required_header) have nothing to judge in this per-operation
run, whose phases are kept to generated examples for time.

The run is bounded and reproducible: a fixed number of examples per operation, a fixed
seed, and a time limit per operation after which its remaining examples are not sent (with
a warning naming the operation, so that a slow endpoint shows instead of slowing CI down).
"""

import os
import time
import warnings

import pytest
import schemathesis
from django.contrib.auth import get_user_model
from django.core.wsgi import get_wsgi_application
from django.urls import Resolver404, resolve
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from rest_framework.authtoken.models import Token
from schemathesis.checks import CHECKS as REGISTERED_CHECKS
from schemathesis.checks import load_all_checks

# Examples per operation and role. A deeper run for a developer: KULTURVEST_FUZZ_EXAMPLES=50.
MAX_EXAMPLES = int(os.environ.get("KULTURVEST_FUZZ_EXAMPLES", "5"))

# Why schema-valid input may still be refused with a 400 (positive_data_acceptance expects
# success otherwise). Each is a rule the input must meet that JSON Schema cannot state.
EXISTING_RECORDS = "names other records by id or slug: a schema cannot say which exist"
RECORD_STATE = "depends on the record's state (published, cancelled, ended, paid, ...)"
CROSS_FIELD = "has rules across fields or against other data (end after start, ...)"
ACTING_ARTIST = "staff must name the artist they act for; artists act for themselves"
IMAGE_FILE = "takes an image file, which must be a JPEG, PNG or WebP picture"
VALID_URL = "takes web addresses, which Django's URL validator checks more strictly"
VALID_USERNAME = "takes a username, which must be free and of letters, digits and @.+-_"
FORM_NULL = "takes multipart/form-data, where a null arrives as the text 'null'"
PUBLIC_ADDRESS = "takes a web address, which must resolve to a public network (core.webhooks)"
COORDINATES = "takes coordinates of at most 6 decimals; float validators misread multipleOf"
REFUSED_WITH_400 = {
    "GET /api/v1/artists/": EXISTING_RECORDS,
    "GET /api/v1/capacity-pools/": EXISTING_RECORDS,
    "GET /api/v1/checkin/lists/": EXISTING_RECORDS,
    "GET /api/v1/events/": EXISTING_RECORDS,
    "GET /api/v1/master-class-sign-ups/": EXISTING_RECORDS,
    "GET /api/v1/member-cards/": EXISTING_RECORDS,
    "GET /api/v1/periods/": EXISTING_RECORDS,
    "GET /api/v1/studios/geojson/": EXISTING_RECORDS,
    "GET /api/v1/tallies/day/": CROSS_FIELD,
    "GET /api/v1/venues/": EXISTING_RECORDS,
    "GET /api/v1/visit-statistics/": EXISTING_RECORDS,
    "POST /api/v1/artist-images/": ACTING_ARTIST,
    "PUT /api/v1/artist-images/{id}/": CROSS_FIELD,
    "PATCH /api/v1/artist-images/{id}/": FORM_NULL,
    "DELETE /api/v1/artist-images/{id}/": RECORD_STATE,
    "POST /api/v1/artists/": EXISTING_RECORDS,
    "PUT /api/v1/artists/{id}/": VALID_URL,
    "PATCH /api/v1/artists/{id}/": EXISTING_RECORDS,
    "POST /api/v1/artists/{id}/portrait/": IMAGE_FILE,
    "POST /api/v1/attendance/record/": EXISTING_RECORDS,
    "POST /api/v1/attendance/reply/": EXISTING_RECORDS,
    "POST /api/v1/calls/": EXISTING_RECORDS,
    "PUT /api/v1/calls/{id}/": EXISTING_RECORDS,
    "PATCH /api/v1/calls/{id}/": EXISTING_RECORDS,
    "POST /api/v1/capacity-pools/": EXISTING_RECORDS,
    "PUT /api/v1/capacity-pools/{id}/": EXISTING_RECORDS,
    "POST /api/v1/checkin/annul/": EXISTING_RECORDS,
    "POST /api/v1/checkin/lists/": EXISTING_RECORDS,
    "PUT /api/v1/checkin/lists/{id}/": EXISTING_RECORDS,
    "PATCH /api/v1/checkin/lists/{id}/": EXISTING_RECORDS,
    "POST /api/v1/checkin/redeem/": EXISTING_RECORDS,
    "POST /api/v1/conflicts/": EXISTING_RECORDS,
    "PUT /api/v1/consent-texts/{id}/": RECORD_STATE,
    "PATCH /api/v1/consent-texts/{id}/": RECORD_STATE,
    "DELETE /api/v1/consent-texts/{id}/": RECORD_STATE,
    "POST /api/v1/consent-texts/{id}/publish/": RECORD_STATE,
    "POST /api/v1/consents/": EXISTING_RECORDS,
    "POST /api/v1/decisions/": EXISTING_RECORDS,
    "POST /api/v1/decisions/release/": EXISTING_RECORDS,
    "POST /api/v1/events/": EXISTING_RECORDS,
    "PUT /api/v1/events/{id}/": EXISTING_RECORDS,
    "PATCH /api/v1/events/{id}/": CROSS_FIELD,
    "POST /api/v1/events/{id}/cancel/": RECORD_STATE,
    "POST /api/v1/events/{id}/reinstate/": RECORD_STATE,
    "POST /api/v1/exhibitions/": EXISTING_RECORDS,
    "PUT /api/v1/exhibitions/{id}/": EXISTING_RECORDS,
    "POST /api/v1/exhibitions/{id}/hours/": CROSS_FIELD,
    "POST /api/v1/groups/": EXISTING_RECORDS,
    "PUT /api/v1/groups/{id}/": EXISTING_RECORDS,
    "PATCH /api/v1/groups/{id}/": CROSS_FIELD,
    "GET /api/v1/erasure-requests/": EXISTING_RECORDS,
    "POST /api/v1/guardians/": EXISTING_RECORDS,
    "POST /api/v1/group-messages/": EXISTING_RECORDS,
    "POST /api/v1/group-messages/{id}/schedule/": RECORD_STATE,
    "POST /api/v1/guardians/{id}/link/": EXISTING_RECORDS,
    "POST /api/v1/guardians/{id}/login/": RECORD_STATE,
    "POST /api/v1/guest-ensembles/": EXISTING_RECORDS,
    "PUT /api/v1/guest-ensembles/{id}/": EXISTING_RECORDS,
    "POST /api/v1/leaves/": EXISTING_RECORDS,
    "POST /api/v1/leaves/{id}/end/": RECORD_STATE,
    "POST /api/v1/master-classes/": EXISTING_RECORDS,
    # Also rate-limited (429), which positive_data_acceptance expects already.
    "POST /api/v1/member-registrations/": EXISTING_RECORDS,
    "POST /api/v1/members/": EXISTING_RECORDS,
    "PUT /api/v1/members/{id}/": EXISTING_RECORDS,
    "PATCH /api/v1/members/{id}/": EXISTING_RECORDS,
    "POST /api/v1/members/{id}/consent/": EXISTING_RECORDS,
    "POST /api/v1/members/{id}/login/": VALID_USERNAME,
    "POST /api/v1/memberships/": EXISTING_RECORDS,
    "POST /api/v1/memberships/{id}/leave/": RECORD_STATE,
    "POST /api/v1/municipalities/": CROSS_FIELD,
    "PUT /api/v1/municipalities/{id}/": CROSS_FIELD,
    "PATCH /api/v1/municipalities/{id}/": CROSS_FIELD,
    "POST /api/v1/offers/": EXISTING_RECORDS,
    "PUT /api/v1/offers/{id}/": EXISTING_RECORDS,
    "POST /api/v1/periods/": EXISTING_RECORDS,
    "PUT /api/v1/periods/{id}/": EXISTING_RECORDS,
    "PATCH /api/v1/periods/{id}/": EXISTING_RECORDS,
    "POST /api/v1/registrations/": EXISTING_RECORDS,
    "POST /api/v1/registrations/{id}/approve/": RECORD_STATE,
    "POST /api/v1/registrations/{id}/mark-paid/": RECORD_STATE,
    "POST /api/v1/registrations/{id}/mark-refunded/": RECORD_STATE,
    "POST /api/v1/sales/": ACTING_ARTIST,
    "POST /api/v1/session-plans/": EXISTING_RECORDS,
    "PUT /api/v1/session-plans/{id}/": EXISTING_RECORDS,
    "PATCH /api/v1/session-plans/{id}/": EXISTING_RECORDS,
    "POST /api/v1/status-changes/": EXISTING_RECORDS,
    "POST /api/v1/studios/": EXISTING_RECORDS,
    "PUT /api/v1/studios/{id}/": EXISTING_RECORDS,
    "PATCH /api/v1/studios/{id}/": COORDINATES,
    "POST /api/v1/studios/{id}/hours/": CROSS_FIELD,
    "POST /api/v1/studios/{id}/join/": ACTING_ARTIST,
    "POST /api/v1/tallies/": CROSS_FIELD,
    "PATCH /api/v1/tallies/{id}/": CROSS_FIELD,
    "POST /api/v1/tallies/{id}/correct/": CROSS_FIELD,
    "POST /api/v1/tour-costs/": EXISTING_RECORDS,
    "PUT /api/v1/tour-costs/{id}/": EXISTING_RECORDS,
    "POST /api/v1/tour-participants/": EXISTING_RECORDS,
    "PUT /api/v1/tour-participants/{id}/": EXISTING_RECORDS,
    "PATCH /api/v1/tour-participants/{id}/": EXISTING_RECORDS,
    "POST /api/v1/tour-participants/{id}/trip-details/": RECORD_STATE,
    "POST /api/v1/tours/": EXISTING_RECORDS,
    "PUT /api/v1/tours/{id}/": EXISTING_RECORDS,
    "PATCH /api/v1/tours/{id}/": EXISTING_RECORDS,
    "POST /api/v1/venues/": EXISTING_RECORDS,
    "PUT /api/v1/venues/{id}/": EXISTING_RECORDS,
    "POST /api/v1/works/": EXISTING_RECORDS,
    "PUT /api/v1/works/{id}/": EXISTING_RECORDS,
    "PATCH /api/v1/works/{id}/": EXISTING_RECORDS,
    "POST /api/v1/webhook-endpoints/": PUBLIC_ADDRESS,
    "PUT /api/v1/webhook-endpoints/{id}/": PUBLIC_ADDRESS,
    "PATCH /api/v1/webhook-endpoints/{id}/": PUBLIC_ADDRESS,
}
# A PATCH sends any part of what a PUT sends, so it can break the same rules.
for _label, _reason in list(REFUSED_WITH_400.items()):
    if _label.startswith("PUT "):
        REFUSED_WITH_400.setdefault("PATCH " + _label.removeprefix("PUT "), _reason)
ACCEPTED = ["2xx", "3xx", "401", "403", "404", "409", "429"]
CONFIG = schemathesis.Config.from_dict(
    {
        "seed": 20261125,
        "generation": {"max-examples": MAX_EXAMPLES, "deterministic": True, "mode": "all"},
        "phases": {
            "examples": {"enabled": False},
            "coverage": {"enabled": False},
            "stateful": {"enabled": False},
        },
        "operations": [
            {
                "include-name": label,
                "checks": {"positive_data_acceptance": {"expected-statuses": [*ACCEPTED, "400"]}},
            }
            for label in REFUSED_WITH_400
        ],
    }
)
load_all_checks()
CHECKS = REGISTERED_CHECKS.get_all()
# Seconds one operation may take as one role; far above what any takes now (under 1 s).
OPERATION_TIME_LIMIT = float(os.environ.get("KULTURVEST_FUZZ_OPERATION_SECONDS", "15"))
CUT_SHORT: list[str] = []


def real_ids(path: str) -> list[int]:
    """Return a few primary keys of the records an `/{id}/` path addresses."""
    try:
        match = resolve(path.replace("{id}", "1"))
    except Resolver404:
        return []
    view_class = getattr(match.func, "cls", None)
    queryset = getattr(view_class, "queryset", None)
    if queryset is None:
        serializer = getattr(view_class, "serializer_class", None)
        model = getattr(getattr(serializer, "Meta", None), "model", None)
    else:
        model = queryset.model
    if model is None:
        return []
    pks = list(model._default_manager.order_by("pk").values_list("pk", flat=True))
    return sorted(set(pks[:3] + pks[-3:]))


# The schema is the one the project serves; fetching it needs no database.
schema = schemathesis.openapi.from_wsgi(
    "/api/v1/schema/?format=json", get_wsgi_application(), config=CONFIG
)
# Primary keys of the demo records behind each `/{id}/` path, filled once the data is loaded.
IDS_BY_PATH: dict[str, list[int]] = {}


@pytest.fixture(scope="module", autouse=True)
def _ids_of_demo_records(demo_data, wsgi_in_test_transaction):
    IDS_BY_PATH.update({path: real_ids(path) for path in schema.raw_schema["paths"]})
    yield
    IDS_BY_PATH.clear()


@schema.hook
def flatmap_path_parameters(context, path_parameters):
    """Address a demo record most of the time, and otherwise whatever id was generated.

    Only a valid id (an integer) is replaced: an id generated to break the schema (a
    float, a string) is what makes a negative case negative, and replacing it with a real
    id would leave a valid request that the negative-data check expects to be refused.
    """
    ids = IDS_BY_PATH.get(context.operation.path)
    if not ids or not path_parameters or "id" not in path_parameters:
        return st.just(path_parameters)
    generated = path_parameters["id"]
    if not isinstance(generated, int) or isinstance(generated, bool):
        return st.just(path_parameters)
    return st.one_of(
        st.sampled_from(ids).map(lambda pk: {**path_parameters, "id": pk}),
        st.just(path_parameters),
    )


@pytest.fixture(scope="module", autouse=True)
def _report_operations_cut_short():
    yield
    if CUT_SHORT:
        warnings.warn(
            f"Fuzzing stopped early, at the time limit, for: {', '.join(CUT_SHORT)}",
            stacklevel=1,
        )
    CUT_SHORT.clear()


@pytest.fixture
def within_time_limit():
    """Return a function that says whether this operation may still send examples."""
    started = time.monotonic()

    def check(case) -> bool:
        if time.monotonic() - started <= OPERATION_TIME_LIMIT:
            return True
        label = f"{case.operation.method.upper()} {case.operation.path}"
        if label not in CUT_SHORT:
            CUT_SHORT.append(label)
        return False

    return check


@pytest.fixture(scope="module")
def staff_token(demo_data):
    superuser = get_user_model().objects.get(username="sekretariat")
    return Token.objects.get_or_create(user=superuser)[0].key


FUZZ_SETTINGS = settings(
    deadline=None,
    derandomize=True,
    database=None,
    max_examples=MAX_EXAMPLES,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
# Anonymous callers are refused before their input is read by most operations: fewer
# examples find what there is to find.
ANONYMOUS_SETTINGS = settings(FUZZ_SETTINGS, max_examples=max(1, MAX_EXAMPLES * 3 // 5))


@pytest.mark.django_db
@schema.parametrize()
@FUZZ_SETTINGS
def test_api_as_staff(case, staff_token, within_time_limit):
    if within_time_limit(case):
        case.call_and_validate(headers={"Authorization": f"Token {staff_token}"}, checks=CHECKS)


@pytest.mark.django_db
@schema.parametrize()
@ANONYMOUS_SETTINGS
def test_api_as_anonymous(case, within_time_limit):
    if within_time_limit(case):
        case.call_and_validate(checks=CHECKS)
