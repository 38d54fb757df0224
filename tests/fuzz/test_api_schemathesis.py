"""Fuzz every operation of /api/v1/ from its own OpenAPI schema, as staff and as anonymous.

No answer may be a server error, and every answer must match the schema. The run is
bounded and reproducible: a fixed number of examples per operation, a fixed seed, and a
time limit per operation after which its remaining examples are not sent (with a warning
naming the operation, so that a slow endpoint shows instead of slowing CI down).
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
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

# Examples per operation and role. A deeper run for a developer: KULTURVEST_FUZZ_EXAMPLES=50.
MAX_EXAMPLES = int(os.environ.get("KULTURVEST_FUZZ_EXAMPLES", "5"))
CONFIG = schemathesis.Config.from_dict(
    {
        "seed": 20261125,
        "generation": {"max-examples": MAX_EXAMPLES, "deterministic": True},
        "phases": {
            "examples": {"enabled": False},
            "coverage": {"enabled": False},
            "stateful": {"enabled": False},
        },
    }
)
CHECKS = [not_a_server_error, response_schema_conformance]
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
    """Address a demo record most of the time, and otherwise whatever id was generated."""
    ids = IDS_BY_PATH.get(context.operation.path)
    if not ids or not path_parameters or "id" not in path_parameters:
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
