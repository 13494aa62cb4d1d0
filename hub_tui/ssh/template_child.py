"""The template process, and the child it forks for each SSH session.

Starting Python and importing Textual, SQLAlchemy and the screens costs about a second of
CPU and 60 MiB per process; a fork of a process that already holds them costs neither (the
pages are shared until written). So the template imports and warms them up once, then
forks a child per request of the server (hub_tui/ssh/template_parent.py): the child makes
the session's pty its terminal and runs the TUI for the person the request names.

    python -m hub_tui.ssh.template_child FD    (FD: the socket to the server)
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import fcntl
import gc
import importlib
import json
import logging
import os
import select
import signal
import socket
import sys
import tempfile
import termios
import traceback
from typing import TYPE_CHECKING, Any, NoReturn

from hub_tui.ssh.template_parent import MESSAGE

if TYPE_CHECKING:
    from sqlalchemy import Engine

log = logging.getLogger("hub_tui.ssh.session")


PRELOAD = ("hub_tui.tui", "hub_tui.logs", "hub_tui.app", "hub_tui.screens.centres",
           "hub_tui.screens.centre", "hub_tui.terminal", "textual.drivers.linux_driver",
           "textual.scrollbar", "email_validator", "psycopg")  # fmt: skip
PR_SET_MEMORY_MERGE = 67  # prctl: Linux 6.4 and later
WARM_UP_CENTRES = 60  # more rows than a window holds: the table scrolls, as in a session
ENGINES: dict[str, Engine | None] = {}  # by database URL: see engine_for


# -- the template ------------------------------------------------------------------------


def preload() -> None:
    """What every session needs before its first frame, made ready once for all of them."""
    for name in PRELOAD:
        with contextlib.suppress(ImportError):  # psycopg: only for PostgreSQL
            importlib.import_module(name)
    warm_up()
    gc.freeze()  # what is here now is never collected: the children's copies stay shared


def warm_up() -> None:
    """One session's first screen, headless, on a throwaway database: the imports Textual
    and the screens make as they start, and the CSS they parse, are then done once here
    (a forked child paints in 0.15 s, not 0.5 s). Nothing of it is left open to inherit."""
    from hub_tui.app import make_app
    from hub_tui.config import Settings
    from hub_tui.db import make_engine, upgrade
    from hub_tui.demo import SUPPORT, load_demo
    from hub_tui.screens.centres import CentresScreen
    from hub_tui.services.context import Hub

    async def first_screen(hub: Hub) -> None:
        app = make_app(hub, SUPPORT)
        async with app.run_test(size=(120, 40)) as pilot:
            while not (isinstance(app.screen, CentresScreen) and app.screen.rows):
                await pilot.pause(0.01)

    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{folder}/warm-up.db"
        settings = Settings(_env_file=None, database_url=url, deliver_mail=False)
        engine = make_engine(url)
        try:
            upgrade(engine)
            hub = Hub(settings, engine)
            with hub.as_system(write=True) as ctx:
                load_demo(ctx, centres=WARM_UP_CENTRES)
            asyncio.run(asyncio.wait_for(first_screen(hub), 60))
        finally:
            engine.dispose()


def engine_for(url: str) -> Engine | None:
    """The sessions' database engine, made here once, for the first session (its checks
    done and its dialect set up on a first connection), and inherited by every child:
    about 2 MiB and 10 ms less for each to make. None if the database could not be
    opened then: each child makes its own, as it would anyway, and says what is wrong
    (tried once: a database that is down must not hold up every session's fork)."""
    from hub_tui.db import ensure_schema, make_engine

    if url not in ENGINES:
        engine: Engine | None = None
        try:
            engine = make_engine(url)
            ensure_schema(engine)
        except Exception as exc:  # whatever it is, each child meets it too, and says so
            log.warning("sessions will each open the database: %s", str(exc).splitlines()[0])
            if engine is not None:
                engine.dispose()
            engine = None
        else:
            engine.dispose()  # its connections are not inherited: each child opens its own
        ENGINES[url] = engine
    return ENGINES[url]


def merge_same_pages() -> None:
    """Offer this process's pages, and so its children's (they inherit it), to the kernel's
    same-page merging (KSM), where the operator runs it: the pages each child copies from
    the template as its program touches them are mostly alike, and merged they are kept
    once. Without KSM running, or on an older kernel, nothing changes."""
    with contextlib.suppress(OSError, AttributeError):  # not Linux: no prctl
        ctypes.CDLL(None).prctl(PR_SET_MEMORY_MERGE, 1, 0, 0, 0)


def run(sock: socket.socket) -> None:
    """Fork a child for each request until the server has gone."""
    merge_same_pages()
    preload()
    wake_read, wake_write = os.pipe()
    os.set_blocking(wake_write, False)
    signal.set_wakeup_fd(wake_write)
    signal.signal(signal.SIGCHLD, lambda *_: None)  # a handler, so the wake-up fd is written
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    while True:
        ready, _, _ = select.select([sock.fileno(), wake_read], [], [])
        if wake_read in ready:
            os.read(wake_read, 4096)
            reap(sock)
        if sock.fileno() in ready:
            try:
                data, fds, _, _ = socket.recv_fds(sock, MESSAGE, 1)
            except ConnectionError:
                data = b""
            if not data:
                return  # the server has gone
            request = json.loads(data)
            # the URL the session's settings read too: the server sets it for every child
            url = request["env"].get("HUB_DATABASE_URL")
            engine = engine_for(url) if url else None
            pid = os.fork()
            if pid == 0:
                os.close(wake_read)
                os.close(wake_write)
                child(request, fds[0], sock, engine)
            os.close(fds[0])
            sock.send(json.dumps({"pid": pid}).encode())


def reap(sock: socket.socket) -> None:
    while True:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
        sock.send(json.dumps({"exited": pid, "status": os.waitstatus_to_exitcode(status)}).encode())


# -- a session's child -------------------------------------------------------------------


def child(
    request: dict[str, Any], tty: int, sock: socket.socket, engine: Engine | None
) -> NoReturn:
    """In the forked child: make `tty` its terminal, run the TUI (on `engine`, if given),
    exit with its status."""
    code: object = 1
    try:
        sock.close()
        signal.set_wakeup_fd(-1)
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        os.setsid()  # its own session and process group: ended as one with killpg
        fcntl.ioctl(tty, termios.TIOCSCTTY, 0)  # the pty is its terminal: SIGWINCH reaches it
        for fd in (0, 1, 2):
            os.dup2(tty, fd)
        os.close(tty)
        os.environ.clear()
        os.environ.update(request["env"])
        if engine is not None:
            engine.dispose(close=False)  # a pool of its own, whatever the template's held
        code = run_session(request["user"], engine)
    except SystemExit as exc:
        code = exc.code
    except BaseException:  # before the pty was its stderr: this goes to the server's
        traceback.print_exc()
    finally:
        with contextlib.suppress(Exception):
            sys.stdout.flush()
        os._exit(code if isinstance(code, int) else 1)


def run_session(user: str, engine: Engine | None = None) -> int:
    """The TUI for `user`, with this process's terminal as its screen. What stops it is said
    in one line: a refusal or a known fault as it is, a crash as CRASHED, its traceback in
    the log file (the screen is the person's, who can do nothing with it)."""
    from hub_tui import logs
    from hub_tui.config import load_settings
    from hub_tui.errors import HubError
    from hub_tui.logs import CRASHED
    from hub_tui.tui import open_tui

    try:
        settings = load_settings()
        logs.to_file(settings.log_file, settings.log_level)
    except Exception as exc:  # no log to write it to: the line is all there is
        tell(f"hub-tui could not start: {exc}".splitlines()[0])
        return 1
    try:
        return open_tui(settings, user, engine=engine, watches_account=False)  # the server watches
    except HubError as exc:
        tell(f"hub-tui: {exc.message}")
        return 1
    except KeyboardInterrupt:  # ctrl+c before the TUI took the keys
        return 130
    except Exception:
        log.exception("the TUI of %s stopped unexpectedly", user)
        tell(CRASHED)
        return 1


def tell(text: str) -> None:
    from hub_tui.validation import printable

    print(printable(text), file=sys.stderr, flush=True)


if __name__ == "__main__":
    run(socket.socket(fileno=int(sys.argv[1])))
