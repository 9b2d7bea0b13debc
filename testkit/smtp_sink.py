"""A small SMTP server that keeps what it receives, for tests and `deploy/cluster_test.py`.

Standard library only, so the cluster script can run it without Django. It can be stopped
(connections refused, like a mail server that is down), made to refuse each message after
reading it (451, a temporary failure), or made slow after accepting a message (so a worker can
be killed between the mail server's acceptance and its own record of the send).
"""

from __future__ import annotations

import socketserver
import threading
import time
from dataclasses import dataclass
from email import message_from_bytes, policy

ACCEPT = "accept"
REFUSE = "refuse"  # 451 after DATA: the message was read and refused for now
SLOW = "slow"  # record the message, then wait before answering 250


@dataclass(frozen=True)
class Received:
    message_id: str
    recipients: tuple[str, ...]
    subject: str
    accepted: bool


class _Handler(socketserver.StreamRequestHandler):
    timeout = 30

    def reply(self, line: str) -> None:
        self.wfile.write(f"{line}\r\n".encode())
        self.wfile.flush()

    def handle(self) -> None:
        sink: SmtpSink = self.server.sink  # type: ignore[attr-defined]
        recipients: list[str] = []
        self.reply("220 sink.invalid ESMTP test sink")
        while True:
            line = self.rfile.readline()
            if not line:
                return
            command = line.decode("latin-1").strip()
            verb = command[:4].upper()
            if verb in {"EHLO", "HELO"}:
                self.reply("250 sink.invalid")
            elif verb == "MAIL":
                recipients = []
                self.reply("250 OK")
            elif verb == "RCPT":
                recipients.append(command.partition(":")[2].strip().strip("<>"))
                self.reply("250 OK")
            elif verb == "DATA":
                self.reply("354 End data with <CR><LF>.<CR><LF>")
                self._data(sink, recipients)
            elif verb == "RSET":
                recipients = []
                self.reply("250 OK")
            elif verb == "NOOP":
                self.reply("250 OK")
            elif verb == "QUIT":
                self.reply("221 Bye")
                return
            else:
                self.reply("502 Command not implemented")

    def _data(self, sink: SmtpSink, recipients: list[str]) -> None:
        lines = []
        while True:
            line = self.rfile.readline()
            if not line or line in (b".\r\n", b".\n"):
                break
            lines.append(line[1:] if line.startswith(b"..") else line)
        parsed = message_from_bytes(b"".join(lines), policy=policy.default)
        mode = sink.mode
        sink.record(
            Received(
                message_id=str(parsed.get("Message-ID", "")),
                recipients=tuple(recipients),
                subject=str(parsed.get("Subject", "")),
                accepted=mode != REFUSE,
            )
        )
        if mode == REFUSE:
            self.reply("451 4.3.0 Try again later")
            return
        if mode == SLOW:
            sink.slow_message_received.set()
            time.sleep(sink.slow_seconds)
        self.reply("250 OK queued")


class _Server(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True


class SmtpSink:
    """`start()` listens on host:port (0 picks a free port, see `.port`); `stop()` closes it."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0, slow_seconds: float = 4.0):
        self.host, self.port = host, port
        self.mode = ACCEPT
        self.slow_seconds = slow_seconds
        self.slow_message_received = threading.Event()
        self._received: list[Received] = []
        self._lock = threading.Lock()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    def record(self, item: Received) -> None:
        with self._lock:
            self._received.append(item)

    @property
    def received(self) -> list[Received]:
        with self._lock:
            return list(self._received)

    def accepted(self) -> list[Received]:
        return [item for item in self.received if item.accepted]

    def start(self) -> SmtpSink:
        self._server = _Server((self.host, self.port), _Handler)
        self._server.sink = self  # type: ignore[attr-defined]
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, name="smtp-sink", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    @property
    def running(self) -> bool:
        return self._server is not None
