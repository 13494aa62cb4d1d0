"""The SSH front end's figures, against references measured in the same run.

1. Connect (asyncssh client, key sign-in) to the first paint of Associate Centres with its
   rows, against the bare Textual app (bench/bare_app.py) relayed by the same server code
   (median of 7 each, alternating).
2. Private memory (Private_Clean + Private_Dirty of /proc/PID/smaps_rollup) of one session's
   child, and of the server.
3. 20 concurrent sessions on this machine: time until all have painted, and the total
   private memory of the server and its 20 children.

    python bench/ssh.py

`--setup-flood` instead: 60 `setup@` connections at once, each typing three wrong codes, with
the set-up rate limits off, then on (5 a minute from one address, 30 from all; from one
address, then from 60): how many codes reach the database, and the time until every
connection has ended.

    python bench/ssh.py --setup-flood
"""

from __future__ import annotations

import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import asyncssh

from bench._util import fresh_hub
from hub_tui.demo import SUPPORT, load_demo
from hub_tui.services import keys

HERE = Path(__file__).resolve().parent
SIZE = (120, 40)
HUB_PAINTED = "Ashford"  # a row of the table: the list has loaded, not just the frame
BARE_PAINTED = "READY-TO-GO"


def serve(database_url: str, port: int, bare: bool) -> None:
    """The server process: `hub-tui ssh serve`, or the same code relaying the bare app."""
    from hub_tui.db import make_engine
    from hub_tui.services.context import Hub
    from hub_tui.ssh.server import Front

    os.environ["HUB_DATABASE_URL"] = database_url
    from hub_tui.config import load_settings

    settings = load_settings(deliver_mail=False)
    argv = (lambda _who: [sys.executable, str(HERE / "bare_app.py")]) if bare else None
    front = Front(Hub(settings, make_engine(database_url)), host="127.0.0.1", port=port,
                  child_argv=argv)  # fmt: skip

    async def run() -> None:
        await front.start()
        print("ready", flush=True)
        await asyncio.Event().wait()

    asyncio.run(run())


def start_server(
    database_url: str, port: int, bare: bool, env: dict[str, str] | None = None
) -> subprocess.Popen[str]:
    """Given `env`, with those variables too, and its log (a line per refusal) dropped."""
    args = [sys.executable, __file__, "--serve", database_url, str(port)]
    args += ["--bare"] if bare else []
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, text=True,
                            env={**os.environ, **(env or {})},
                            stderr=subprocess.DEVNULL if env else None)  # fmt: skip
    assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
    return proc


Painted = tuple[float, asyncssh.SSHClientConnection]


async def paint(port: int, key: asyncssh.SSHKey, text: str) -> Painted:
    """Seconds from connecting until `text` has been drawn (found in the output stream: a
    terminal emulator per client would cost this 2-core machine more than the server)."""
    start = time.perf_counter()
    conn = await asyncssh.connect("127.0.0.1", port, username="bench", client_keys=[key],
                                  known_hosts=None, agent_path=None)  # fmt: skip
    process = await conn.create_process(term_type="xterm-256color", term_size=SIZE, encoding=None)
    wanted = text.encode()
    seen = b""
    while wanted not in seen:
        data = await asyncio.wait_for(process.stdout.read(65536), 60)
        if not data:
            raise RuntimeError(f"the session ended before {text!r}")
        seen = seen[-len(wanted) :] + data
    return time.perf_counter() - start, conn


def private_kib(pid: int, fields: tuple[str, ...] = ("Private_Clean:", "Private_Dirty:")) -> int:
    total = 0
    with open(f"/proc/{pid}/smaps_rollup") as f:
        for line in f:
            if line.startswith(fields):
                total += int(line.split()[1])
    return total


def pss_kib(pid: int) -> int:
    """Proportional set size: shared pages divided among their sharers (sums to the truth)."""
    return private_kib(pid, ("Pss:",))


def children(pid: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry))
    return found


async def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        hub = fresh_hub(Path(tmp) / "hub.db")
        key = asyncssh.generate_private_key("ssh-ed25519")
        with hub.as_system(write=True) as ctx:
            load_demo(ctx, centres=1000)
            keys.add_key_for(ctx, SUPPORT, key.export_public_key().decode())
        url = hub.settings.resolved_database_url
        os.environ["HUB_SSH_HOST_KEY"] = str(Path(tmp) / "host_key")
        os.environ["HUB_SSH_MAX_SESSIONS"] = "50"
        servers = {"hub": start_server(url, 22301, bare=False),
                   "bare": start_server(url, 22302, bare=True)}  # fmt: skip
        try:
            for port, text in ((22301, HUB_PAINTED), (22302, BARE_PAINTED)):  # not timed
                _, conn = await paint(port, key, text)  # the hub's template warms up first
                conn.close()
            times: dict[str, list[float]] = {"hub": [], "bare": []}
            for _ in range(7):
                for name, port, text in (
                    ("bare", 22302, BARE_PAINTED),
                    ("hub", 22301, HUB_PAINTED),
                ):
                    seconds, conn = await paint(port, key, text)
                    times[name].append(seconds)
                    conn.close()
                    await conn.wait_closed()
                    await asyncio.sleep(0.3)  # the child is ended before the next run
            hub_s, bare_s = statistics.median(times["hub"]), statistics.median(times["bare"])
            print("1. connect → first paint over SSH (median of 7)")
            print(f"   hub-tui Associate Centres with rows {hub_s * 1000:7.0f} ms")
            print(f"   bare Textual app, same server code  {bare_s * 1000:7.0f} ms")
            print(f"   ratio                               {hub_s / bare_s:7.2f}x  (aim ≤ 1.3x)")

            server = servers["hub"].pid
            (template,) = children(server)  # sessions are forked from it
            _, conn = await paint(22301, key, HUB_PAINTED)
            await asyncio.sleep(1)
            (child,) = children(template)
            print("2. private memory")
            print(f"   one session's TUI process           {private_kib(child) / 1024:7.1f} MiB")
            print(f"   the template it is forked from      {private_kib(template) / 1024:7.1f} MiB")
            print(f"   the server (one session)            {private_kib(server) / 1024:7.1f} MiB")
            conn.close()
            await asyncio.sleep(1)

            start = time.perf_counter()
            done = await asyncio.gather(*(paint(22301, key, HUB_PAINTED) for _ in range(20)))
            all_painted = time.perf_counter() - start
            await asyncio.sleep(1)
            pids = children(template)
            total = sum(private_kib(p) for p in [server, template, *pids])
            pss = sum(pss_kib(p) for p in [server, template, *pids])
            slowest = max(s for s, _ in done)
            print(f"3. 20 concurrent sessions ({len(pids)} children, {os.cpu_count()} cores)")
            print(f"   until all have painted              {all_painted * 1000:7.0f} ms")
            print(f"   against one session alone           {all_painted / hub_s:7.1f}x")
            print(f"   the slowest session                 {slowest * 1000:7.0f} ms")
            print(f"   total private memory (server, template, children) {total / 1024:.1f} MiB")
            print(f"   total proportional set size (PSS), the same       {pss / 1024:.1f} MiB")
            for _, c in done:
                c.close()
        finally:
            for proc in servers.values():
                proc.terminate()
                proc.wait()


# -- --setup-flood -----------------------------------------------------------------------

FLOOD = 60  # connections
FLOOD_TRIES = 3  # wrong codes each
PROMPT = b"Setup code: "
WRONG, TOO_MANY, TOO_FAST = (text.encode() for text in ("does not set up an account",
                             "Too many wrong codes", "Too many set-up tries"))  # fmt: skip


async def flood_one(port: int, key: asyncssh.SSHKey, source: str) -> list[bytes]:
    """One `setup@` connection from `source` typing wrong codes: the answers it got."""
    conn = await asyncssh.connect("127.0.0.1", port, username="setup", client_keys=[key],
                                  known_hosts=None, agent_path=None,
                                  local_addr=(source, 0))  # fmt: skip
    process = await conn.create_process(term_type="xterm-256color", term_size=SIZE, encoding=None)
    seen, answers = b"", []
    try:
        while PROMPT not in seen:
            seen += await asyncio.wait_for(process.stdout.read(65536), 60)
        for _ in range(FLOOD_TRIES):
            process.stdin.write(b"AAAA-BBBB-CCCC-DDDD\r")
            answer = None
            while answer is None:
                data = await asyncio.wait_for(process.stdout.read(65536), 60)
                if not data:
                    raise RuntimeError(f"the session ended without an answer: {seen!r}")
                seen += data
                answer = next((a for a in (WRONG, TOO_MANY, TOO_FAST) if a in seen), None)
            answers.append(answer)
            seen = seen[seen.index(answer) + len(answer) :]
            if answer != WRONG:  # the connection is being ended
                break
    finally:
        conn.close()
        await conn.wait_closed()
    return answers


async def setup_flood() -> None:
    runs = [("limits off (10000 a minute)", "10000", "10000", 1),
            ("limits on, all from one address", "5", "30", 1),
            (f"limits on, from {FLOOD} addresses", "5", "30", FLOOD)]  # fmt: skip
    cores = os.cpu_count()
    print(f"{FLOOD} set-up connections at once, {FLOOD_TRIES} wrong codes each ({cores} cores)")
    with tempfile.TemporaryDirectory() as tmp:
        url = fresh_hub(Path(tmp) / "hub.db").settings.resolved_database_url
        key = asyncssh.generate_private_key("ssh-ed25519")
        for port, (name, per_address, total, addresses) in enumerate(runs, 22311):
            env = {"HUB_SSH_HOST_KEY": str(Path(tmp) / "host_key"),
                   "HUB_SSH_SETUP_TRIES_PER_MINUTE": per_address,
                   "HUB_SSH_SETUP_TRIES_PER_MINUTE_TOTAL": total}  # fmt: skip
            proc = start_server(url, port, bare=False, env=env)
            try:
                start = time.perf_counter()
                done = await asyncio.gather(
                    *(flood_one(port, key, f"127.0.0.{2 + i % addresses}") for i in range(FLOOD))
                )
                seconds = time.perf_counter() - start
            finally:
                proc.terminate()
                proc.wait()
            answers = [a for each in done for a in each]
            checked = sum(a in (WRONG, TOO_MANY) for a in answers)
            print(f"   {name:34} {checked:3} codes checked, {answers.count(TOO_FAST):3} refused, "
                  f"{seconds:5.2f} s until all {FLOOD} had ended")  # fmt: skip


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--serve":
        serve(sys.argv[2], int(sys.argv[3]), bare="--bare" in sys.argv)
    elif "--setup-flood" in sys.argv:
        asyncio.run(setup_flood())
    else:
        asyncio.run(main())
