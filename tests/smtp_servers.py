"""Real SMTP servers on 127.0.0.1 for the mail tests: aiosmtpd, and a scripted misbehaver."""

from __future__ import annotations

import asyncio
import socket
import socketserver
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from email import message_from_string
from email.message import EmailMessage
from email.policy import default
from typing import Any

from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Recorder:
    """An aiosmtpd handler that keeps what it accepts and answers as told."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.rcpt_reply: str | None = None
        self.mail_reply: str | None = None
        self.data_reply: str | None = None
        self.data_seconds = 0.0  # how long each DATA takes: a slow server
        self.data_started = 0  # DATA commands begun
        self.lock = threading.Lock()

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: Any
    ) -> str:
        if self.rcpt_reply:
            return self.rcpt_reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_MAIL(
        self, server: Any, session: Any, envelope: Any, address: str, mail_options: Any
    ) -> str:
        if self.mail_reply:
            return self.mail_reply
        envelope.mail_from = address
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.data_started += 1
        await asyncio.sleep(self.data_seconds)
        if self.data_reply:
            return self.data_reply
        # decoded first: SMTPUTF8 messages carry UTF-8 headers
        message = message_from_string(envelope.content.decode("utf-8"), policy=default)
        assert isinstance(message, EmailMessage)
        with self.lock:
            self.messages.append(message)
        return "250 Message accepted"

    def message_ids(self) -> list[str]:
        with self.lock:
            return [str(m["Message-ID"]) for m in self.messages]


@contextmanager
def smtp_server(port: int | None = None, *, utf8: bool = True) -> Iterator[tuple[Recorder, int]]:
    recorder = Recorder()
    port = port or free_port()
    controller = Controller(recorder, hostname="127.0.0.1", port=port, enable_SMTPUTF8=utf8)
    controller.start()
    try:
        yield recorder, port
    finally:
        controller.stop()


class _Scripted(socketserver.BaseRequestHandler):
    mode = "greet421"

    def handle(self) -> None:
        sock = self.request
        sock.settimeout(10)
        if self.mode == "greet421":
            sock.sendall(b"421 Too busy, try later\r\n")
            return
        if self.mode == "silent":
            self.server.stop.wait(10)  # type: ignore[attr-defined]
            return
        # drop_after_data: a normal session until the message is sent, then hang up
        sock.sendall(b"220 scripted ESMTP\r\n")
        buffer = b""
        in_data = False
        while True:
            chunk = sock.recv(65536)
            if not chunk:
                return
            buffer += chunk
            if in_data:
                if b"\r\n.\r\n" in buffer:
                    return  # close without answering
                continue
            while b"\r\n" in buffer:
                line, buffer = buffer.split(b"\r\n", 1)
                verb = line[:4].upper()
                if verb in (b"EHLO", b"HELO"):
                    sock.sendall(b"250 scripted\r\n")
                elif verb == b"DATA":
                    sock.sendall(b"354 go ahead\r\n")
                    in_data = True
                    break
                elif verb == b"QUIT":
                    sock.sendall(b"221 bye\r\n")
                    return
                else:
                    sock.sendall(b"250 OK\r\n")


@contextmanager
def scripted_server(mode: str) -> Iterator[int]:
    handler = type("Handler", (_Scripted,), {"mode": mode})
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    server.stop = threading.Event()  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1]
    finally:
        server.stop.set()  # type: ignore[attr-defined]
        server.shutdown()
        server.server_close()
