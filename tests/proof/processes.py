"""Real processes for the proof (tests/proof): Redis, an SMTP sink, gunicorn, Celery.

Each process runs in a session (process group) of its own, writes to its own log file, and
is stopped by signalling its group, so a gunicorn's or a Celery worker's children go with
it. Every wait polls with a deadline (wait_until); nothing waits for ever.
"""

import asyncio
import contextlib
import http.client
import json
import os
import signal
import socket
import subprocess
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

from aiosmtpd.controller import Controller

ROOT = Path(__file__).resolve().parents[2]
LOG_TAIL = 80  # lines of each log shown when a check fails


def free_port() -> int:
    """A port nothing listens on now (the OS picks it), for a server to bind next."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until(condition: Callable[[], object], *, timeout: float, what: str, every=0.1):
    """Poll ``condition`` until it returns something true (returned), or fail after
    ``timeout`` seconds saying what was awaited."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {timeout:g} s: {what}")
        time.sleep(every)


class Process:
    """One command in its own process group, its output in ``log``."""

    def __init__(self, name: str, command: list[str], *, env: dict, log: Path):
        self.name = name
        self.command = command
        self.env = env
        self.log = log
        self.popen: subprocess.Popen | None = None

    def start(self) -> "Process":
        with self.log.open("ab") as out:
            out.write(f"--- start: {' '.join(self.command)}\n".encode())
            out.flush()
            self.popen = subprocess.Popen(  # noqa: S603 -- our own command lines
                self.command,
                cwd=ROOT,
                env=self.env,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        return self

    @property
    def running(self) -> bool:
        return self.popen is not None and self.popen.poll() is None

    def output(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""

    def tail(self, lines: int = LOG_TAIL) -> str:
        return "\n".join(self.output().splitlines()[-lines:])

    def wait_for_output(self, text: str, *, timeout: float, after: int = 0) -> None:
        """Wait until ``text`` is in the log (past character ``after``); fail if the process
        ends first."""

        def seen():
            if not self.running:
                raise AssertionError(f"{self.name} ended ({self.popen.returncode}):\n{self.tail()}")
            return text in self.output()[after:]

        try:
            wait_until(seen, timeout=timeout, what=f"{self.name} says {text!r}")
        except AssertionError as error:
            raise AssertionError(f"{error}\n--- {self.name}:\n{self.tail()}") from None

    def kill(self) -> None:
        """SIGKILL the whole group at once: as if the machine lost the process."""
        self._signal_group(signal.SIGKILL)
        self.popen.wait(timeout=10)

    def terminate(self) -> None:
        """SIGTERM the group: ask it to stop (stop() waits for it)."""
        if self.running:
            self._signal_group(signal.SIGTERM)

    def stop(self, timeout: float = 15) -> None:
        """SIGTERM the group and wait; SIGKILL what is left after ``timeout`` seconds."""
        if self.popen is None:
            return
        if self.popen.poll() is None:
            self._signal_group(signal.SIGTERM)
            try:
                self.popen.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self._signal_group(signal.SIGKILL)
                self.popen.wait(timeout=10)
        # A child that outlived its parent (a gunicorn or Celery worker) goes too.
        self._signal_group(signal.SIGKILL)

    def _signal_group(self, signum) -> None:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.popen.pid, signum)


# --- an HTTP client that keeps nothing between requests -------------------------------


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    cookies: dict[str, str]
    body: bytes
    seconds: float

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")


@dataclass
class Server:
    """An app server (gunicorn) at 127.0.0.1:port, asked as a reverse proxy would: each
    request names its client's address in X-Forwarded-For (TRUSTED_PROXY_COUNT=1)."""

    name: str
    port: int
    process: Process | None = None
    client: str = "192.0.2.1"

    def request(self, method, path, *, body=None, headers=None, client=None, timeout=20):
        headers = {"Host": "127.0.0.1", "X-Forwarded-For": client or self.client, **(headers or {})}
        started = time.monotonic()
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            connection.request(method, path, body=body, headers=headers)
            answer = connection.getresponse()
            content = answer.read()
        finally:
            connection.close()
        cookies = {}
        for header in answer.headers.get_all("Set-Cookie") or []:
            parsed = SimpleCookie()
            parsed.load(header)
            cookies.update({name: morsel.value for name, morsel in parsed.items()})
        return Response(
            status=answer.status,
            headers={name.lower(): value for name, value in answer.getheaders()},
            cookies=cookies,
            body=content,
            seconds=time.monotonic() - started,
        )

    def get(self, path, **kwargs):
        return self.request("GET", path, **kwargs)

    def post_form(self, path, data: dict, *, csrf: "Csrf", **kwargs):
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"csrftoken={csrf.cookie}",
            **kwargs.pop("headers", {}),
        }
        body = urlencode({**data, "csrfmiddlewaretoken": csrf.token})
        return self.request("POST", path, body=body, headers=headers, **kwargs)

    def send_json(self, method, path, data: dict, *, token: str, **kwargs):
        headers = {"Content-Type": "application/json", "Authorization": f"Token {token}"}
        return self.request(method, path, body=json.dumps(data), headers=headers, **kwargs)


@dataclass
class Csrf:
    """A CSRF cookie and a form's token from one server: any server of the site takes them
    (they share SECRET_KEY)."""

    cookie: str
    token: str


# --- the SMTP sink ------------------------------------------------------------------------


class Sink:
    """An SMTP server's handler (aiosmtpd) that keeps what it accepts.

    ``stall(address)`` makes the next message to that address hang in DATA until
    ``release()``; it is then refused (421), as a server would that lost its client, and
    never counted as received.
    """

    def __init__(self):
        self.received = []
        self.stall_for: set[str] = set()
        self.stalled = threading.Event()
        self.released = threading.Event()
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        if self.stall_for & set(envelope.rcpt_tos):
            self.stall_for -= set(envelope.rcpt_tos)
            self.stalled.set()
            while not self.released.is_set():
                await asyncio.sleep(0.05)
            return "421 Lost the client while it was sending"
        with self.lock:
            self.received.append(envelope)
        return "250 OK"

    def stall(self, address: str) -> None:
        self.stalled.clear()
        self.released.clear()
        self.stall_for.add(address)

    def release(self) -> None:
        self.released.set()

    def received_by(self, address: str) -> int:
        with self.lock:
            return sum(address in envelope.rcpt_tos for envelope in self.received)


class SmtpServer:
    """The sink on a fixed port, which can be stopped (the mail server is down: connections
    are refused) and started again on the same port."""

    def __init__(self):
        self.sink = Sink()
        self.port = free_port()
        self.controller: Controller | None = None

    def start(self) -> None:
        self.controller = Controller(self.sink, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None
