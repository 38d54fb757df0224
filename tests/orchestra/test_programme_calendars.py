"""The orchestra programme's public page and feed offer the rehearsal weekends (dates and
places, never names) and each group's feed, so that a parent who subscribes from the
public page does not miss the weekends."""

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext

from events.models import Event
from tests.calendars import read_calendar
from tests.factories import EventFactory
from tests.orchestra.factories import CHILD_NAME
from tests.orchestra.test_calendars_feeds import Season

PAGE = "/programmes/ungdomssymfonikerne/"


def test_the_programme_page_shows_the_weekends_and_the_groups_feeds(
    client, season, youth_group, junior_group, child
):
    weekend = Season(season, youth_group, junior_group)
    EventFactory(
        period=season,
        kind=Event.Kind.REHEARSAL_WEEKEND,
        title_nb="Planleggingshelg for stab",
        start=weekend.saturday + timedelta(days=30),
        end=weekend.saturday + timedelta(days=31),
        visibility=Event.Visibility.STAFF,
    )
    response = client.get(PAGE)
    assert response.status_code == 200
    content = response.content.decode()
    assert "Helgesamling 1" in content
    assert "Lier kulturskole" in content
    assert "Planleggingshelg for stab" not in content
    assert f"/calendar/group/{youth_group.pk}.ics" in content
    assert f"/calendar/group/{junior_group.pk}.ics" in content
    assert "/orkester/kalendere/" in content
    assert CHILD_NAME[0] not in content
    assert CHILD_NAME[1] not in content
    # The sessions of the weekend, members only, stay off the public page.
    assert "Strykere" not in content


def test_the_programme_feed_carries_the_weekends_without_names(
    client, season, youth_group, junior_group, child
):
    weekend = Season(season, youth_group, junior_group)
    response = client.get("/calendar/ungdomssymfonikerne.ics")
    assert response.status_code == 200
    calendar, _vobject = read_calendar(response.content)
    summaries = {str(component.get("summary")) for component in calendar.walk("VEVENT")}
    assert "Helgesamling 1" in summaries
    assert "Strykere" not in summaries
    assert CHILD_NAME[0].encode() not in response.content
    assert weekend.venue.name.encode() in response.content


def test_the_programme_page_reads_a_fixed_number_of_queries(
    client, season, youth_group, junior_group, child
):
    Season(season, youth_group, junior_group)
    client.get(PAGE)
    with CaptureQueriesContext(connection) as one:
        client.get(PAGE)
    Season(season, youth_group, junior_group, days=40)
    with CaptureQueriesContext(connection) as two:
        client.get(PAGE)
    assert len(two.captured_queries) == len(one.captured_queries)
