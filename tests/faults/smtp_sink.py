"""A small SMTP server on 127.0.0.1 that records the mail it accepts.

It speaks just enough SMTP for Django's SMTP backend. With *hold_after*
set, it accepts that many messages and then keeps back the next one without
replying to its DATA, so a test can stop a worker in the middle of a task.
A held message is not recorded: the sender never got its 250.
"""

from __future__ import annotations

import socketserver
import threading
from dataclasses import dataclass, field


@dataclass
class Delivery:
    recipients: list[str]
    data: bytes


@dataclass
class SinkState:
    hold_after: int | None = None
    deliveries: list[Delivery] = field(default_factory=list)
    holding: threading.Event = field(default_factory=threading.Event)
    release: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)


class _Handler(socketserver.StreamRequestHandler):
    server: _Server

    def reply(self, line: str) -> None:
        self.wfile.write(line.encode("ascii") + b"\r\n")

    def handle(self) -> None:
        state = self.server.state
        recipients: list[str] = []
        self.reply("220 sink ESMTP")
        while line := self.rfile.readline():
            command = line.decode("ascii", "replace").strip()
            verb = command.split(" ", 1)[0].upper()
            if verb in ("EHLO", "HELO"):
                self.reply("250 sink")
            elif verb == "MAIL":
                recipients = []
                self.reply("250 OK")
            elif verb == "RCPT":
                recipients.append(command.split(":", 1)[1].strip(" <>"))
                self.reply("250 OK")
            elif verb == "DATA":
                self.reply("354 End data with <CR><LF>.<CR><LF>")
                data = self._read_data()
                with state.lock:
                    hold = (
                        state.hold_after is not None
                        and len(state.deliveries) >= state.hold_after
                        and not state.release.is_set()
                    )
                if hold:
                    state.holding.set()
                    state.release.wait(timeout=60)
                    return
                with state.lock:
                    state.deliveries.append(Delivery(recipients, data))
                self.reply("250 OK queued")
            elif verb == "QUIT":
                self.reply("221 Bye")
                return
            else:
                self.reply("250 OK")

    def _read_data(self) -> bytes:
        lines = []
        while (line := self.rfile.readline()) not in (b".\r\n", b""):
            lines.append(line)
        return b"".join(lines)


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True
    state: SinkState


class SmtpSink:
    def __init__(self, hold_after: int | None = None) -> None:
        self.state = SinkState(hold_after=hold_after)
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.state = self.state
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self) -> SmtpSink:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.state.release.set()
        self._server.shutdown()
        self._server.server_close()

    @property
    def deliveries(self) -> list[Delivery]:
        with self.state.lock:
            return list(self.state.deliveries)
