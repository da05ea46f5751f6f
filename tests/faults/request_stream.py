"""A stream of HTTP requests sent from several threads, with their outcomes.

Each thread sends the calls of one iterable, one after another, until the
iterable ends or the stream stops. pause() stops them all until resume(). After a 503
or a failed request a thread waits a little, as a person would, so it does
not use up its calls while the server is down. Every request opens its own
connection, so a keep-alive connection that the server closed between two
requests cannot pass for an empty reply.
"""

from __future__ import annotations

import http.client
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode, urlsplit

REQUEST_TIMEOUT_SECONDS = 30
PAUSE_AFTER_FAILURE_SECONDS = 0.2


@dataclass(frozen=True)
class Call:
    """One request: a GET, or a POST when *data* is set."""

    kind: str
    url: str
    target: Any = None
    data: dict[str, str] | None = None
    cookies: dict[str, str] = field(default_factory=dict)


@dataclass
class Outcome:
    """What came back for one call, with monotonic start and end times."""

    call: Call
    started: float
    ended: float
    status: int | None = None
    retry_after: str | None = None
    body: str = ""
    error: str = ""

    @property
    def failed(self) -> bool:
        return self.status is None or self.status >= 500

    def overlaps(self, start: float, end: float) -> bool:
        return self.started <= end and self.ended >= start


class RequestStream:
    def __init__(self, base_url: str, clients: list[Iterable[Call]]) -> None:
        self.base_url = base_url
        self.outcomes: list[Outcome] = []
        self._lock = threading.Lock()
        # Notified whenever a request ends, for pause().
        self._request_ended = threading.Condition(self._lock)
        self._in_flight = 0
        self._paused = False
        self._stop = threading.Event()
        self._threads = [
            threading.Thread(target=self._run, args=(calls,), daemon=True)
            for calls in clients
        ]

    def __enter__(self) -> RequestStream:
        for thread in self._threads:
            thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=REQUEST_TIMEOUT_SECONDS + 10)

    def snapshot(self) -> list[Outcome]:
        with self._lock:
            return list(self.outcomes)

    def pause(self) -> None:
        """Send no new requests, and return once those in flight have ended."""
        with self._lock:
            self._paused = True
            ended = self._request_ended.wait_for(
                lambda: self._in_flight == 0, timeout=REQUEST_TIMEOUT_SECONDS
            )
        if not ended:
            raise TimeoutError("requests still in flight after the request timeout")

    def resume(self) -> None:
        with self._lock:
            self._paused = False

    def _begin_request(self) -> bool:
        """Wait while paused, then count a request in flight.

        Returns False once the stream stops.
        """
        while not self._stop.is_set():
            with self._lock:
                if not self._paused:
                    self._in_flight += 1
                    return True
            self._stop.wait(0.01)
        return False

    def _run(self, calls: Iterable[Call]) -> None:
        for call in calls:
            if not self._begin_request():
                return
            outcome = self._send(call)
            with self._lock:
                self.outcomes.append(outcome)
                self._in_flight -= 1
                self._request_ended.notify_all()
            if outcome.failed:
                self._stop.wait(PAUSE_AFTER_FAILURE_SECONDS)

    def _send(self, call: Call) -> Outcome:
        started = time.monotonic()
        address = urlsplit(self.base_url)
        connection = http.client.HTTPConnection(
            address.hostname or "127.0.0.1",
            address.port,
            timeout=REQUEST_TIMEOUT_SECONDS,
        )
        headers = {"Connection": "close"}
        if call.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in call.cookies.items())
        body = None
        if call.data is not None:
            body = urlencode(call.data)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            connection.request(
                "POST" if call.data is not None else "GET",
                address.path.rstrip("/") + call.url,
                body=body,
                headers=headers,
            )
            response = connection.getresponse()
            text = response.read().decode("utf-8", errors="replace")
        except (OSError, http.client.HTTPException) as error:
            return Outcome(call, started, time.monotonic(), error=repr(error))
        finally:
            connection.close()
        return Outcome(
            call,
            started,
            time.monotonic(),
            status=response.status,
            retry_after=response.getheader("Retry-After"),
            body=text,
        )
