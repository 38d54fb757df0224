"""The staff's retention page: what each rule clears next, by kind, id and day, never a
child's name; for project leaders only; a constant number of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.orchestra.factories import CHILD_NAME, OTHER_CHILD_NAME
from tests.orchestra.test_retention import leave

URL = "/stab/personvern/"


def test_the_page_lists_each_rule_with_ids_and_no_names(client, project_leader, child, settings):
    leave(child, days_ago=400, by=project_leader)
    client.force_login(project_leader)
    page = client.get(URL).content.decode()
    for setting in (
        "ORCHESTRA_RETENTION_MONTHS",
        "ORCHESTRA_TOUR_DATA_DAYS",
        "TICKETING_RETENTION_YEARS",
        "ARTISTS_REJECTED_APPLICATION_MONTHS",
        "ARTISTS_INACTIVE_YEARS",
    ):
        assert setting in page
    assert f"<td>orchestra.member</td><td>{child.pk}</td>" in page
    assert CHILD_NAME[0] not in page and CHILD_NAME[1] not in page


@pytest.mark.parametrize("role", ["guardian", "tutor", "venue_host", "nobody"])
def test_others_may_not_see_it(client, request, role):
    client.force_login(request.getfixturevalue(role))
    assert client.get(URL).status_code == 403


def test_anonymous_is_sent_to_log_in(client, db):
    assert client.get(URL).status_code == 302


def test_constant_queries_whatever_the_number_of_records(
    client, project_leader, child, other_child, django_assert_num_queries
):
    client.force_login(project_leader)
    leave(child, days_ago=400, by=project_leader)
    with CaptureQueriesContext(connection) as one:
        client.get(URL)
    leave(other_child, days_ago=400, by=project_leader)
    with django_assert_num_queries(len(one.captured_queries)):
        page = client.get(URL).content.decode()
    assert OTHER_CHILD_NAME[0] not in page
