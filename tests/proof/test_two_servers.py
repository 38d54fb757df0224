"""Proof with real parts (issue 15, section 4): two app servers, one Redis, a Celery worker.

Started once for the module (the ``cluster`` fixture), as production runs them:

- a redis-server of its own on a free port, with its own folder and an append-only file
  (the broker keeps its queue over a restart), so it can be stopped and started without
  touching the machine's Redis that other test runs use; database 0 is the cache
  (REDIS_URL), database 1 Celery's broker (CELERY_BROKER_URL);
- an SMTP sink (aiosmtpd) on a free port, in this process;
- two gunicorn app servers (config.wsgi, two workers each) with DEBUG off, on this run's
  PostgreSQL test database and that Redis, behind an imagined proxy (TRUSTED_PROXY_COUNT=1:
  each request names its client in X-Forwarded-For);
- one Celery worker, and Celery beat when the schedule is in code (CELERY_BEAT_SCHEDULE).

The tests write their data here, committed at once (committed_database), and ask the servers
over HTTP only. Each check waits with a deadline, leaves the processes as it found them, and
prints their logs when it fails (tests/proof/conftest.py).

Run by `make test`'s PostgreSQL run; needs the redis-server binary (skipped without it,
except with CI=true, where that is a failure). Marked ``proof``: `pytest -m proof` runs these
alone, `-m "not proof"` leaves them out.
"""

import itertools
import json
import os
import re
import secrets
import shutil
import signal
import string
import sys
import time
from datetime import timedelta
from pathlib import Path
from urllib.parse import quote

import pytest
import redis
from django.core.management import call_command
from django.db import connection
from django.utils import timezone
from rest_framework.authtoken.models import Token

from config.celery import app as celery_app
from core import tasks
from core.models import OutboundMessage, WebhookDelivery
from core.roles import Role
from tests.factories import EventFactory, PeriodFactory, ProgrammeFactory, UserFactory
from tests.proof.processes import (
    Csrf,
    Process,
    Server,
    SmtpServer,
    free_port,
    wait_until,
)
from tests.ticketing.factories import CapacityPoolFactory, OfferFactory
from tests.webhooks import Receiver
from ticketing.models import Registration

pytestmark = [pytest.mark.proof, pytest.mark.postgres]

# The database the settings name, before a test database takes its place.
CONFIGURED_DATABASE = connection.settings_dict["NAME"]
REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"
FORM_POSTS_PER_HOUR = 5  # the servers' PUBLIC_FORM_POSTS_PER_HOUR
# First retry of an email after 1 s, then 2, 4 ...: a mail server that is down for a few
# seconds is retried within the test's time (production: 30 s, then 1, 2, 4 minutes ...).
RETRY_BACKOFF_SECONDS = 1
# A task taken by a worker that died goes back to the queue after this many seconds
# (production: an hour, longer than any retry's wait).
VISIBILITY_TIMEOUT = 5
START_TIMEOUT = 60  # seconds for a process to come up on a busy machine
MAIL_TIMEOUT = 30  # seconds for a queued email to go out
GRACE = 1.5  # seconds in which a second delivery would show

# The worker, with the sweep that gives a dead worker's tasks back every second (kombu's
# default: every 100 s, and its lock held up to 5 minutes by a worker that died holding it).
# The visibility timeout itself comes from CELERY_VISIBILITY_TIMEOUT, as in production.
WORKER_MAIN = """
import sys
from config.celery import app
app.conf.broker_transport_options = {
    **(app.conf.broker_transport_options or {}),
    "unacked_restore_interval": 1,
    "unacked_restore_throttle": 1,
    # A worker killed while it held the sweep's lock leaves it held this long (default 300 s).
    "unacked_mutex_expire": 3,
}
app.worker_main(["worker", *sys.argv[1:]])
"""


def require(condition: bool, reason: str) -> None:
    """Skip without ``condition``; in CI (CI=true) the proof is required, so fail."""
    if condition:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI=true and the proof cannot run: {reason}")
    pytest.skip(reason)


def gunicorn_has_control_socket() -> bool:
    from gunicorn.config import KNOWN_SETTINGS

    return any(setting.name == "control_socket_disable" for setting in KNOWN_SETTINGS)


def database_url(database: dict) -> str:
    """The URL of this run's test database, for the servers and the worker."""
    auth = quote(database["USER"] or "", safe="")
    if database["PASSWORD"]:
        auth += ":" + quote(database["PASSWORD"], safe="")
    port = f":{database['PORT']}" if database["PORT"] else ""
    return f"postgres://{auth}@{database['HOST'] or ''}{port}/{database['NAME']}"


class Cluster:
    """The processes of the proof, and what the checks do to them."""

    def __init__(self, folder: Path, database: str):
        self.folder = folder
        self.redis_port = free_port()
        self.smtp = SmtpServer()
        self.a = Server("server A", free_port())
        self.b = Server("server B", free_port())
        self.workers = 0
        self.processes: list[Process] = []
        alphabet = string.ascii_letters + string.digits
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DEBUG": "false",
            "SECRET_KEY": "".join(secrets.choice(alphabet) for _i in range(50)),
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_SSL_REDIRECT": "false",
            "SITE_URL": f"http://127.0.0.1:{self.a.port}",
            "STATIC_ROOT": str(folder / "static"),
            "DATABASE_URL": database,
            "REDIS_URL": f"redis://127.0.0.1:{self.redis_port}/0",
            "CELERY_BROKER_URL": f"redis://127.0.0.1:{self.redis_port}/1",
            "EMAIL_URL": f"smtp://127.0.0.1:{self.smtp.port}",
            "OUTBOUND_RETRY_BACKOFF_SECONDS": str(RETRY_BACKOFF_SECONDS),
            "CELERY_VISIBILITY_TIMEOUT": str(VISIBILITY_TIMEOUT),
            "WEBHOOK_RETRY_BACKOFF_SECONDS": str(RETRY_BACKOFF_SECONDS),
            "WEBHOOK_ALLOWED_NETWORKS": "127.0.0.1/32",
            "TRUSTED_PROXY_COUNT": "1",
            "PUBLIC_FORM_POSTS_PER_HOUR": str(FORM_POSTS_PER_HOUR),
            "LOG_LEVEL": "INFO",
            "PYTHONUNBUFFERED": "1",
        }
        self.redis = self.process("redis", self.redis_command())
        self.worker: Process | None = None
        self.beat: Process | None = None

    # --- starting and stopping ----------------------------------------------------------

    def process(self, name: str, command: list[str]) -> Process:
        log = self.folder / f"{name.replace(' ', '-')}.log"
        process = Process(name, command, env=self.env, log=log)
        self.processes.append(process)
        return process

    def redis_command(self) -> list[str]:
        data = self.folder / "redis"
        data.mkdir(exist_ok=True)
        return [
            REDIS_SERVER,
            "--port",
            str(self.redis_port),
            "--bind",
            "127.0.0.1",
            "--dir",
            str(data),
            "--save",
            "",
            "--appendonly",
            "yes",
            "--appendfsync",
            "always",
        ]

    def start(self) -> None:
        collect = self.process(
            "collectstatic",
            [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity=0"],
        ).start()
        self.start_redis()
        self.smtp.start()
        self.start_worker(wait=False)  # needs no static files
        wait_until(lambda: collect.popen.poll() is not None, timeout=START_TIMEOUT, what="static")
        assert collect.popen.returncode == 0, collect.tail()
        for server in (self.a, self.b):
            server.process = self.process(server.name, self.gunicorn_command(server.port))
            server.process.start()
        self.worker.wait_for_output(" ready.", timeout=START_TIMEOUT)
        self.beat = self.process("beat", self.beat_command()).start()
        self.beat.wait_for_output("beat: Starting", timeout=START_TIMEOUT)
        for server in (self.a, self.b):
            wait_until(
                lambda server=server: self.answers(server),
                timeout=START_TIMEOUT,
                what=f"{server.name} answers /healthz\n{server.process.tail()}",
                every=0.25,
            )

    def gunicorn_command(self, port: int) -> list[str]:
        return [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi",
            f"--bind=127.0.0.1:{port}",
            "--workers=2",
            "--timeout=60",
            "--graceful-timeout=5",
            "--access-logfile=-",
            # gunicorn 24+ opens a control socket, by default one path for every server on
            # the machine: none here.
            *(["--no-control-socket"] if gunicorn_has_control_socket() else []),
        ]

    def beat_command(self) -> list[str]:
        return [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "beat",
            "--loglevel=INFO",
            f"--schedule={self.folder / 'beat-schedule'}",
            f"--pidfile={self.folder / 'beat.pid'}",
        ]

    @staticmethod
    def answers(server: Server) -> bool:
        if not server.process.running:
            raise AssertionError(f"{server.name} ended:\n{server.process.tail()}")
        try:
            return server.get("/healthz", timeout=5).status == 200
        except OSError:
            return False

    def start_redis(self) -> None:
        self.redis.start()
        client = self.redis_client(1)

        def pong():
            try:
                return client.ping()
            except redis.RedisError:
                return False

        wait_until(pong, timeout=START_TIMEOUT, what=f"redis answers\n{self.redis.tail()}")

    def stop_redis(self) -> None:
        self.redis.stop()

    def redis_client(self, db: int) -> redis.Redis:
        return redis.Redis(port=self.redis_port, db=db, socket_connect_timeout=1, socket_timeout=2)

    def start_worker(self, *, wait: bool = True) -> Process:
        """Start a new worker; with ``wait``, until it is ready to take tasks."""
        self.workers += 1
        self.worker = self.process(
            f"worker {self.workers}",
            [
                sys.executable,
                "-c",
                WORKER_MAIN,
                "--pool=prefork",
                "--concurrency=1",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "--loglevel=INFO",
                f"--hostname=proof{self.workers}@%h",
            ],
        ).start()
        if wait:
            self.worker.wait_for_output(" ready.", timeout=START_TIMEOUT)
        return self.worker

    def send_task(self, name: str) -> None:
        """Queue the task ``name`` in this broker, as beat does."""
        with celery_app.connection_for_write(self.env["CELERY_BROKER_URL"]) as broker:
            celery_app.send_task(name, connection=broker)

    def stop(self) -> None:
        for process in self.processes:  # all at once, then wait for each
            process.terminate()
        for process in reversed(self.processes):
            process.stop()
        self.smtp.stop()

    def assert_running(self) -> None:
        expected = [self.redis, self.a.process, self.b.process, self.worker, self.beat]
        for process in filter(None, expected):
            assert process.running, f"{process.name} ended:\n{process.tail()}"

    def logs(self) -> list[tuple[str, str]]:
        return [(process.name, process.tail()) for process in self.processes]


@pytest.fixture(scope="module")
def committed_database(django_db_setup, django_db_blocker):
    """The test database, written in autocommit for the whole module, so the servers see
    what the checks write; emptied at the end as a transactional test's is (flush).

    Not django_db(transaction=True): its flush after each test makes the content types
    anew, with new ids, while the servers keep the old ones in memory (and fail to write
    an audit entry), which no deployment does.
    """
    with django_db_blocker.unblock():
        made_here = connection.settings_dict["NAME"] == CONFIGURED_DATABASE
        if made_here:
            # No other test of this run uses the database, so pytest-django made none.
            connection.creation.create_test_db(verbosity=0, autoclobber=True)
        assert connection.settings_dict["NAME"] != CONFIGURED_DATABASE
        try:
            yield
        finally:
            call_command("flush", verbosity=0, interactive=False)
            if made_here:
                connection.creation.destroy_test_db(CONFIGURED_DATABASE, verbosity=0)


@pytest.fixture(scope="module")
def cluster(committed_database, tmp_path_factory):
    require(Path(REDIS_SERVER).exists(), f"no redis-server ({REDIS_SERVER})")
    cluster = Cluster(tmp_path_factory.mktemp("proof"), database_url(connection.settings_dict))
    # A run stopped with SIGTERM (a CI timeout, `timeout`) stops the processes too: they are
    # in sessions of their own, and Python's default SIGTERM runs no teardown.
    previous = signal.signal(signal.SIGTERM, _interrupt)
    try:
        cluster.start()
        yield cluster
    finally:
        cluster.stop()
        signal.signal(signal.SIGTERM, previous)


def _interrupt(signum, frame):
    raise KeyboardInterrupt(f"signal {signum}")


@pytest.fixture(autouse=True)
def _processes_running(cluster):
    """Every check starts and ends with every process up (a check that stops one starts
    it again)."""
    cluster.assert_running()
    yield
    cluster.assert_running()


# --- the data, written here and committed -----------------------------------------------

_numbers = itertools.count(1)


def new_client() -> str:
    """A client address of its own for each use: the rate limits count per address."""
    return f"198.51.100.{next(_numbers)}"


def new_email() -> str:
    return f"proof-{next(_numbers)}-{secrets.token_hex(3)}@example.org"


def event_on_sale(title: str = "Prøvekonsert"):
    """A public event, this week, with a free offer on sale; return it and the offer."""
    today = timezone.localdate()
    period = PeriodFactory(
        programme=ProgrammeFactory(slug=f"proof-{secrets.token_hex(4)}", name="Prøven"),
        start=today - timedelta(days=30),
        end=today + timedelta(days=300),
    )
    event = EventFactory(period=period, title_nb=title, title_en=title)
    pool = CapacityPoolFactory(event=event, size=50)
    return event, OfferFactory(event=event, pool=pool, name_nb="Inngang")


def csrf_from(page) -> Csrf:
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    assert match and "csrftoken" in page.cookies, "the form has no CSRF token"
    return Csrf(cookie=page.cookies["csrftoken"], token=match.group(1))


def event_reads() -> int:
    """How often the servers have read the events table (sequential and index scans).

    A server's connection reports its reads to PostgreSQL's statistics as it closes, after
    the answer: so wait until no other connection to the test database is left and the
    count has stopped moving.
    """

    def query(sql: str) -> int:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_stat_clear_snapshot()")
            cursor.execute(sql)
            return cursor.fetchone()[0]

    others = (
        "SELECT count(*) FROM pg_stat_activity"
        " WHERE datname = current_database() AND pid <> pg_backend_pid()"
    )
    reads = (
        "SELECT coalesce(seq_scan, 0) + coalesce(idx_scan, 0) FROM pg_stat_user_tables"
        " WHERE relname = 'events_event'"
    )
    wait_until(lambda: query(others) == 0, timeout=10, what="the servers' connections close")
    counts = [query(reads)]

    def settled():
        time.sleep(0.3)
        counts.append(query(reads))
        return counts[-1] == counts[-2]

    wait_until(settled, timeout=10, what="the read count settles", every=0)
    return counts[-1]


def register(server: Server, event, offer, *, email: str, client: str):
    """Register for one ticket through the public form on ``server``, as a visitor does."""
    path = f"/events/{event.pk}/register/"
    form = server.get(path, client=client)
    assert form.status == 200, form.text[:500]
    data = {"name": "Kari Prøve", "email": email, f"quantity_{offer.pk}": "1"}
    return server.post_form(path, data, csrf=csrf_from(form), client=client)


def message_to(email: str) -> OutboundMessage | None:
    return OutboundMessage.objects.filter(recipient=email).first()


def sent(email: str) -> OutboundMessage | None:
    return OutboundMessage.objects.filter(
        recipient=email, status=OutboundMessage.Status.SENT
    ).first()


# --- the checks ---------------------------------------------------------------------------


def test_a_registration_on_server_a_is_mailed_once_by_the_worker(cluster):
    event, offer = event_on_sale()
    email = new_email()
    worker_log = len(cluster.worker.output())

    response = register(cluster.a, event, offer, email=email, client=new_client())

    assert response.status == 302, response.text[:500]
    registration = Registration.objects.get(email=email)
    # The registration's signed link, made by A, opens on B: the servers share their keys.
    page = cluster.b.get(response.headers["location"])
    assert page.status == 200
    assert registration.code in page.text
    message = wait_until(lambda: sent(email), timeout=MAIL_TIMEOUT, what="the email is sent")
    time.sleep(GRACE)
    assert cluster.smtp.sink.received_by(email) == 1
    message.refresh_from_db()
    assert (message.kind, message.about_id, message.attempts) == (
        "ticketing.tickets",
        registration.pk,
        1,
    )
    # The worker sent it, not the app server: its log shows the task's result.
    assert re.search(
        r"core\.tasks\.deliver_message\[[\w-]+\] succeeded in [\d.]+s: 'sent'",
        cluster.worker.output()[worker_log:],
    ), cluster.worker.tail()


def test_a_change_on_server_a_shows_at_once_on_server_b(cluster):
    event, _offer = event_on_sale(title="Vårkonsert")
    leader = UserFactory(username="proof-leader", roles=[Role.PROJECT_LEADER])
    token, _created = Token.objects.get_or_create(user=leader)
    feed = f"/calendar/{event.period.programme.slug}.ics"

    reads = event_reads()
    first = cluster.b.get(feed)
    assert first.status == 200
    # Built, it read its events, and the count sees that (so it would see a 304's reads).
    wait_until(lambda: event_reads() > reads, timeout=10, what="the feed's reads are counted")
    assert "Vårkonsert" in first.text
    etag = first.headers["etag"]
    # Both servers answer an unchanged feed with 304 and the same ETag, whichever a
    # calendar app reaches through the proxy.
    for server in (cluster.a, cluster.b):
        again = server.get(feed, headers={"If-None-Match": etag})
        assert (again.status, again.headers.get("etag"), again.body) == (304, etag, b"")
    assert "Vårkonsert" in cluster.b.get("/events/").text  # cached by B, shared
    # B's 304 reads no event: only the programme (by its slug) and the change stamps.
    reads = event_reads()
    assert cluster.b.get(feed, headers={"If-None-Match": etag}).status == 304
    assert event_reads() == reads

    changed = cluster.a.send_json(
        "PATCH", f"/api/v1/events/{event.pk}/", {"title_nb": "Sommerkonsert"}, token=token.key
    )
    assert changed.status == 200, changed.text[:500]

    # At once: no wait, no stale copy from the shared cache.
    after = cluster.b.get(feed, headers={"If-None-Match": etag})
    assert after.status == 200
    assert after.headers["etag"] != etag
    assert "Sommerkonsert" in after.text
    assert "Vårkonsert" not in after.text
    for server in (cluster.a, cluster.b):
        unchanged = server.get(feed, headers={"If-None-Match": after.headers["etag"]})
        assert unchanged.status == 304
    listing = cluster.b.get("/events/").text
    assert "Sommerkonsert" in listing
    assert "Vårkonsert" not in listing


def test_a_rate_limit_counts_the_requests_to_both_servers_together(cluster):
    event, _offer = event_on_sale()
    path = f"/events/{event.pk}/register/"
    csrf = csrf_from(cluster.a.get(path))
    # Rows other tests of the run committed stay (flush empties model tables only).
    counted_in_table = table_counters()
    for _attempt in range(2):  # again if an hour's window ended in the middle
        window = int(time.time() // 3600)
        client = new_client()
        statuses = [
            server.post_form(path, {}, csrf=csrf, client=client).status
            for server, _n in zip(
                itertools.cycle((cluster.a, cluster.b)), range(FORM_POSTS_PER_HOUR), strict=False
            )
        ]
        refused = [
            server.post_form(path, {}, csrf=csrf, client=client)
            for server in (cluster.a, cluster.b)
        ]
        if int(time.time() // 3600) == window:
            break
    # An empty form is an error (400), counted: three posts to A and two to B are the five
    # allowed, so the sixth is refused on either server.
    assert statuses == [400] * FORM_POSTS_PER_HOUR
    assert [response.status for response in refused] == [429, 429]
    assert all(int(response.headers["retry-after"]) > 0 for response in refused)
    # Per client: another address may still post, to either server.
    assert cluster.b.post_form(path, {}, csrf=csrf, client=new_client()).status == 400
    # Counted in the shared Redis, not in the table (which counts only when Redis is down).
    assert cluster.redis_client(0).keys("*ratelimit:event-registration:*")
    assert table_counters() == counted_in_table


def table_counters() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM events_rate_counter")
        return cursor.fetchone()[0]


def test_mail_waits_while_the_mail_server_is_down_and_goes_once_when_it_is_back(cluster):
    event, offer = event_on_sale()
    emails = [new_email(), new_email()]
    cluster.smtp.stop()
    try:
        for server, email in zip((cluster.a, cluster.b), emails, strict=True):
            assert register(server, event, offer, email=email, client=new_client()).status == 302

        def retried():
            messages = OutboundMessage.objects.filter(recipient__in=emails)
            return len(messages) == 2 and all(
                m.status == OutboundMessage.Status.QUEUED and m.attempts >= 2 for m in messages
            )

        # Tried, refused, and tried again: they wait, queued, with the error recorded.
        wait_until(retried, timeout=MAIL_TIMEOUT, what="both emails are retried")
        for message in OutboundMessage.objects.filter(recipient__in=emails):
            assert "ConnectionRefusedError" in message.last_error
        assert [cluster.smtp.sink.received_by(email) for email in emails] == [0, 0]
    finally:
        cluster.smtp.start()

    wait_until(lambda: all(sent(email) for email in emails), timeout=MAIL_TIMEOUT, what="both sent")
    time.sleep(GRACE)
    assert [cluster.smtp.sink.received_by(email) for email in emails] == [1, 1]


def test_a_task_whose_worker_is_killed_runs_again_on_a_new_worker_once(cluster):
    event, offer = event_on_sale()
    email = new_email()
    cluster.smtp.sink.stall(email)
    killed = cluster.worker
    try:
        assert register(cluster.a, event, offer, email=email, client=new_client()).status == 302
        wait_until(
            cluster.smtp.sink.stalled.is_set, timeout=MAIL_TIMEOUT, what="the worker sends DATA"
        )
        killed.kill()  # mid-task: in the SMTP DATA, the message row locked
    finally:
        cluster.smtp.sink.release()
        if not cluster.worker.running:
            cluster.start_worker()
    assert not killed.running
    message = message_to(email)
    assert (message.status, message.attempts) == (OutboundMessage.Status.QUEUED, 0)

    wait_until(
        lambda: sent(email),
        timeout=VISIBILITY_TIMEOUT + MAIL_TIMEOUT,
        what="the new worker sends the email",
    )
    time.sleep(GRACE)
    assert cluster.smtp.sink.received_by(email) == 1
    assert sent(email).attempts == 1
    assert "'sent'" in cluster.worker.output()


def test_while_redis_is_down_pages_answer_and_tasks_wait_until_it_is_back(cluster):
    event, offer = event_on_sale()
    email = new_email()
    # A task in the broker's queue, with no worker to take it yet.
    cluster.worker.stop()
    assert register(cluster.a, event, offer, email=email, client=new_client()).status == 302
    assert cluster.redis_client(1).llen("celery") == 1
    cluster.stop_redis()
    try:
        # Pages answer, from the database (cache misses), on both servers and soon.
        feed = f"/calendar/{event.period.programme.slug}.ics"
        for server in (cluster.a, cluster.b):
            for path in ("/events/", f"/events/{event.pk}/", feed, "/healthz"):
                page = server.get(path)
                assert page.status == 200, (server.name, path, page.text[:300])
                assert page.seconds < 5, (server.name, path, page.seconds)
        # A registration is saved and answered; its email is kept, queued.
        late = new_email()
        answer = register(cluster.b, event, offer, email=late, client=new_client())
        assert answer.status == 302, answer.text[:300]
        assert answer.seconds < 5, answer.seconds
        assert message_to(late).status == OutboundMessage.Status.QUEUED
        # A worker started now waits for the broker; the email waits with it.
        cluster.start_worker(wait=False)
        time.sleep(2)
        assert cluster.worker.running
        assert message_to(email).status == OutboundMessage.Status.QUEUED
        assert cluster.smtp.sink.received_by(email) == 0
    finally:
        cluster.start_redis()

    cluster.worker.wait_for_output(" ready.", timeout=START_TIMEOUT)
    wait_until(lambda: sent(email), timeout=MAIL_TIMEOUT, what="the email goes once Redis is back")
    time.sleep(GRACE)
    assert cluster.smtp.sink.received_by(email) == 1

    # The email of the registration made while Redis was down never reached the broker
    # (core.jobs logged that): it is kept, queued. The sweeper sends it once it has waited
    # STALLED_AFTER: that wait is made here (the row aged), and the sweeper run as beat would.
    assert message_to(late).status == OutboundMessage.Status.QUEUED
    OutboundMessage.objects.filter(recipient=late).update(
        queued_at=timezone.now() - tasks.STALLED_AFTER - timedelta(minutes=1)
    )
    cluster.send_task(tasks.requeue_stalled_messages.name)
    wait_until(lambda: sent(late), timeout=MAIL_TIMEOUT, what="the sweeper sends it")
    time.sleep(GRACE)
    assert cluster.smtp.sink.received_by(late) == 1


def test_a_webhook_receiver_that_fails_three_times_gets_it_once_signed_after_four_attempts(
    cluster,
):
    event, offer = event_on_sale()
    email = new_email()
    receiver = Receiver(statuses=[500, 503, 500])
    leader = UserFactory(username="proof-webhooks", roles=[Role.PROJECT_LEADER])
    token, _created = Token.objects.get_or_create(user=leader)
    try:
        # Added on A, which tells the shared cache; B, which sends, hears of it at once.
        added = cluster.a.send_json(
            "POST",
            "/api/v1/webhook-endpoints/",
            {"url": receiver.url, "event_types": ["registration.created"]},
            token=token.key,
        )
        assert added.status == 201, added.text[:500]
        receiver.secret = json.loads(added.text)["secret"]
        assert register(cluster.b, event, offer, email=email, client=new_client()).status == 302
        registration = Registration.objects.get(email=email)

        def delivered():
            return WebhookDelivery.objects.filter(
                event_type="registration.created", status=WebhookDelivery.Status.DELIVERED
            ).first()

        # Retried by the worker after 1, 2 and 4 s (WEBHOOK_RETRY_BACKOFF_SECONDS).
        delivery = wait_until(delivered, timeout=MAIL_TIMEOUT, what="the webhook is delivered")
        time.sleep(GRACE)
    finally:
        receiver.stop()
    assert delivery.attempts == 4
    assert [attempt["status"] for attempt in delivery.attempt_log] == [500, 503, 500, 200]
    assert len(receiver.received) == 4
    assert all(receipt["signed"] for receipt in receiver.received)
    # One delivery, one id, whichever attempt: the receiver does its work once.
    assert {r["headers"]["Kulturvest-Delivery"] for r in receiver.received} == {delivery.key}
    assert receiver.received[-1]["json"]["data"]["id"] == registration.pk
    assert email not in receiver.received[-1]["body"].decode()  # ids, not contacts
