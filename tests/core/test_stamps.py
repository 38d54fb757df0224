"""Change stamps (core.stamps): read in one query, bumped inside the writing transaction
(once per key and transaction until read), forgotten with a rolled-back savepoint, and
pruned without a value ever coming back."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.models import ChangeStamp
from core.stamps import bump, keys_of, prune_change_stamps, read_stamps
from events.models import Programme
from events.stamps import EVENT_LIST, MUNICIPALITIES, ORCHESTRA_EVENTS, VENUES, programme_stamp
from tests.factories import EventFactory, MunicipalityFactory, PeriodFactory, ProgrammeFactory
from tests.queries import tables_read

pytestmark = pytest.mark.django_db


def rows(key):
    return ChangeStamp.objects.filter(key=key).count()


def test_the_stamps_of_a_page_are_read_in_one_query():
    bump("a", "b")
    with CaptureQueriesContext(connection) as queries:
        values = read_stamps(["a", "b", "never bumped"])
    assert len(queries.captured_queries) == 1
    assert [key for key, *_value in values] == ["a", "b", "never bumped"]
    assert values[2] == ("never bumped", 0, 0)
    bump("b")
    after = read_stamps(["a", "b", "never bumped"])
    assert after[0] == values[0]
    assert after[1] != values[1]


def test_a_key_is_inserted_once_per_transaction_until_it_is_read():
    with transaction.atomic():
        before = read_stamps(["k"])
        bump("k")
        bump("k")
        assert rows("k") == 1
        # A page read now shows the writes so far: the next write must bump again.
        middle = read_stamps(["k"])
        bump("k")
        assert rows("k") == 2
        assert len({before, middle, read_stamps(["k"])}) == 3


def test_a_bump_rolled_back_with_its_savepoint_is_made_again():
    with transaction.atomic():
        with pytest.raises(RuntimeError), transaction.atomic():
            bump("k")
            raise RuntimeError
        assert rows("k") == 0
        bump("k")
        assert rows("k") == 1


def stamps(*keys):
    return {key: value for key, *value in read_stamps(keys)}


def test_writes_of_registered_models_bump_their_stamps():
    municipality = MunicipalityFactory()
    before = stamps(VENUES, MUNICIPALITIES, EVENT_LIST)
    event = EventFactory(venue=None)
    after_event = stamps(VENUES, MUNICIPALITIES, EVENT_LIST)
    assert after_event[EVENT_LIST] != before[EVENT_LIST]
    assert after_event[VENUES] == before[VENUES]
    assert after_event[MUNICIPALITIES] == before[MUNICIPALITIES]
    municipality.name = "Nytt navn"
    municipality.save()
    assert stamps(MUNICIPALITIES) != {MUNICIPALITIES: after_event[MUNICIPALITIES]}
    before_delete = stamps(EVENT_LIST)
    event.delete()
    assert stamps(EVENT_LIST) != before_delete


def test_pruning_keeps_each_keys_newest_row_and_never_brings_a_value_back():
    day_ago = timezone.now() - timedelta(days=2)
    for _ in range(3):
        bump("old")
        read_stamps(["old"])  # else one transaction (this test's) inserts once
    bump("fresh")
    ChangeStamp.objects.filter(key="old").update(created_at=day_ago)
    seen = {read_stamps(["old"])}
    assert prune_change_stamps() == 2
    assert rows("old") == 1 and rows("fresh") == 1
    after = read_stamps(["old"])
    assert after not in seen
    seen.add(after)
    assert prune_change_stamps() == 0  # safe to run twice
    bump("old")
    assert read_stamps(["old"]) not in seen


def test_the_prune_command_says_how_many_rows_it_deleted():
    bump("old")
    read_stamps(["old"])
    bump("old")
    ChangeStamp.objects.update(created_at=timezone.now() - timedelta(days=2))
    out = StringIO()
    call_command("prune_change_stamps", stdout=out)
    assert out.getvalue().strip() == "Deleted 1 change-stamp row(s)."


def test_a_rule_looks_a_row_up_once_a_transaction_not_once_per_saved_row():
    period = PeriodFactory()
    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        EventFactory.create_batch(10, period=period, venue=None)
    # Ten events of one period: their programme is looked up once.
    programme_lookups = [
        query
        for query in queries.captured_queries
        if tables_read([query])
        == {
            "events_period",
            "events_programme",
        }
    ]
    assert len(programme_lookups) == 1


def test_a_rule_forgets_what_a_write_changes_in_the_same_transaction():
    event = EventFactory(venue=None)
    elsewhere = ProgrammeFactory(slug="annet")
    with transaction.atomic():
        assert programme_stamp(event.period.programme_id) in keys_of(event)
        event.period.programme = elsewhere
        event.period.save()
        assert programme_stamp(elsewhere.pk) in keys_of(event)
        elsewhere.kind = Programme.Kind.ORCHESTRA
        elsewhere.save()
        assert ORCHESTRA_EVENTS in keys_of(event)
