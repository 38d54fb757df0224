"""Two retention jobs (or a job and a staff member completing an erasure) at once, on
PostgreSQL with real threads: each member is anonymised once, and nothing fails."""

import threading

import pytest
from django.db import close_old_connections, connection

from core.retention import apply_retention
from orchestra.models import Guardian, Instrument, Member
from orchestra.services.retention import anonymise_member
from tests.orchestra.test_retention import leave

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def violin(db):
    # A transactional test flushes the instruments a migration loaded.
    return Instrument.objects.get_or_create(
        name_en="Violin", defaults={"name_nb": "Fiolin", "section": "strings"}
    )[0]


def test_two_jobs_at_once_anonymise_each_member_once(violin, child, other_child, project_leader):
    for member in (child, other_child):
        leave(member, days_ago=400, by=project_leader)
    barrier = threading.Barrier(3)
    cleared: list[int] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def job():
        try:
            barrier.wait()
            runs = apply_retention()
            with lock:
                cleared.extend(run.cleared for run in runs if run.rule.key.endswith("members"))
        except BaseException as exc:  # noqa: BLE001 -- reported by the assertion below
            errors.append(exc)
        finally:
            connection.close()

    def erase():
        try:
            barrier.wait()
            anonymise_member(child, by=None)
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=job), threading.Thread(target=job)]
    threads.append(threading.Thread(target=erase))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    close_old_connections()

    assert errors == []
    assert not Member.objects.filter(anonymised_at__isnull=True).exists()
    assert sum(cleared) <= 2
    assert not Guardian.objects.exists()
