"""Taps racing on PostgreSQL: real threads, each on its own database connection, post to the
tallies API at the same moment. Nothing is lost and nothing is counted twice."""

from datetime import date

import pytest
from django.db.models import Sum
from rest_framework.test import APIClient

from artists.models import VisitTally
from tests.concurrency import run_together

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("asker_after_flush"),
]

DAY = date(2016, 9, 17)
URL = "/api/v1/tallies/"


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def tap(studio, nonce, visitors=1, **values):
    return {
        "studio": studio.pk,
        "date": DAY.isoformat(),
        "visitors": visitors,
        "nonce": nonce,
        **values,
    }


def counted(studio) -> int:
    found = VisitTally.objects.filter(studio=studio, voided_at__isnull=True)
    return found.aggregate(total=Sum("visitors"))["total"] or 0


def test_many_phones_tapping_at_once_lose_nothing(
    shared_studio, artist_profile, other_artist, project_leader
):
    users = [artist_profile.user, other_artist.user, project_leader]
    threads, taps_each = 9, 12

    def phone(i):
        client = client_for(users[i % len(users)])
        statuses = []
        for n in range(taps_each):
            visitors = 1 if n % 4 else 3  # a group now and then
            answer = client.post(URL, tap(shared_studio, f"p{i}-{n}", visitors), format="json")
            statuses.append(answer.status_code)
        return statuses

    results = run_together(threads, phone)
    assert not [r for r in results if isinstance(r, Exception)], results
    assert all(status == 201 for statuses in results for status in statuses), results
    expected = threads * sum(1 if n % 4 else 3 for n in range(taps_each))
    assert VisitTally.objects.count() == threads * taps_each
    assert counted(shared_studio) == expected


@pytest.mark.parametrize("round_", range(5))
def test_the_same_tap_retried_from_two_threads_counts_once(open_studio, artist_profile, round_):
    def send(i):
        answer = client_for(artist_profile.user).post(
            URL, tap(open_studio, f"retry-{round_}", 4), format="json"
        )
        return answer.status_code, answer.json()

    results = run_together(2, send)
    assert not [r for r in results if isinstance(r, Exception)], results
    statuses = sorted(status for status, _body in results)
    assert statuses == [200, 201]
    assert {body["id"] for _status, body in results} == {VisitTally.objects.get().pk}
    assert [body["replayed"] for _status, body in sorted(results, key=lambda r: r[0])] == [
        True,
        False,
    ]
    assert counted(open_studio) == 4


def test_retries_of_a_whole_queue_from_several_threads_count_each_tap_once(
    open_studio, artist_profile
):
    # Six copies of the same page flush the same waiting queue at once, in different orders.
    nonces = [f"queued-{n}" for n in range(15)]

    def flush(i):
        client = client_for(artist_profile.user)
        order = nonces[i % len(nonces) :] + nonces[: i % len(nonces)]
        if i % 2:
            order.reverse()
        return [
            client.post(URL, tap(open_studio, nonce, 2), format="json").status_code
            for nonce in order
        ]

    results = run_together(6, flush)
    assert not [r for r in results if isinstance(r, Exception)], results
    statuses = [status for statuses in results for status in statuses]
    assert statuses.count(201) == len(nonces)
    assert statuses.count(200) == 5 * len(nonces)
    assert VisitTally.objects.count() == len(nonces)
    assert counted(open_studio) == 2 * len(nonces)
