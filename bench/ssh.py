"""The SSH front end's figures, against references measured in the same run.

1. One session: connect (asyncssh client, key sign-in) to the first paint of Associate
   Centres with its rows, against the bare Textual app (bench/bare_app.py) relayed by the
   same server code (median of 7 each, alternating); the CPU its child and the server spent.
2. Memory of one session's child: private (Private_Clean + Private_Dirty of
   /proc/PID/smaps_rollup), of it dirty, and PSS; the bare app's child; the template; the
   server; and where the child's private pages are (its largest mappings, and how much of it
   is in mappings the template already had: pages copied on write).
3. A cost curve at 1, 10, 25 and 50 concurrent sessions: the time until all have painted,
   each child's private memory and PSS, the total of server, template and children, and the
   CPU spent per session by the children, the server and the template; then, with nobody
   typing, the CPU they cost a second and the memory of server and template; and where the
   kernel's same-page merging runs (/sys/kernel/mm/ksm/run), the 50 sessions' memory as it
   merges over three minutes, and the merging's CPU.

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
from sqlalchemy import func, select

from bench._util import fresh_hub
from hub_tui.demo import SUPPORT, load_demo
from hub_tui.models import Centre
from hub_tui.services import keys

HERE = Path(__file__).resolve().parent
SIZE = (120, 40)
BARE_PAINTED = "READY-TO-GO"
CURVE = (1, 10, 25, 50)  # concurrent sessions
IDLE_SECONDS = 3
MiB = 1024
TICK = os.sysconf("SC_CLK_TCK")


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
        data = await asyncio.wait_for(process.stdout.read(65536), 120)
        if not data:
            raise RuntimeError(f"the session ended before {text!r}")
        seen = seen[-len(wanted) :] + data
    return time.perf_counter() - start, conn


def rollup(pid: int) -> dict[str, int]:
    """/proc/PID/smaps_rollup in KiB."""
    fields = {}
    with open(f"/proc/{pid}/smaps_rollup") as f:
        for line in f:
            name, _, rest = line.partition(":")
            if rest.strip().endswith("kB"):
                fields[name] = int(rest.split()[0])
    return fields


def private_kib(pid: int) -> int:
    r = rollup(pid)
    return r["Private_Clean"] + r["Private_Dirty"]


def pss_kib(pid: int) -> int:
    """Proportional set size: shared pages divided among their sharers (sums to the truth)."""
    return rollup(pid)["Pss"]


def mappings(pid: int) -> list[tuple[int, int, str, int]]:
    """Each mapping of /proc/PID/smaps: start, end, name, private KiB."""
    found: list[tuple[int, int, str, int]] = []
    with open(f"/proc/{pid}/smaps") as f:
        for line in f:
            parts = line.split()
            if "-" in parts[0] and not parts[0].endswith(":"):
                low, high = (int(x, 16) for x in parts[0].split("-"))
                found.append((low, high, parts[5] if len(parts) > 5 else "[anon]", 0))
            elif parts[0] in ("Private_Clean:", "Private_Dirty:"):
                low, high, name, kib = found[-1]
                found[-1] = (low, high, name, kib + int(parts[1]))
    return found


def cpu_seconds(pid: int) -> float:
    """User and system CPU of a process so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK


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


async def until_no_children(pid: int) -> None:
    async with asyncio.timeout(30):
        while children(pid):
            await asyncio.sleep(0.1)


def first_row(hub_url: str) -> str:
    """What marks the list as loaded: the first centre number (the list's order)."""
    from hub_tui.db import make_engine

    engine = make_engine(hub_url)
    with engine.connect() as db:
        number = db.execute(select(func.min(Centre.centre_number))).scalar_one()
    engine.dispose()
    return str(number)


def medians(runs: list[tuple[float, float, float]]) -> tuple[float, float, float]:
    seconds, child, server = (statistics.median(run[i] for run in runs) for i in range(3))
    return seconds, child, server


async def one_session(port: int, key: asyncssh.SSHKey, text: str, parent: int,
                      server: int) -> tuple[float, float, float]:  # fmt: skip
    """Seconds to paint, the child's CPU by then, the server's CPU for it."""
    before = cpu_seconds(server)
    seconds, conn = await paint(port, key, text)
    (child,) = children(parent)
    child_cpu = cpu_seconds(child)
    server_cpu = cpu_seconds(server) - before
    conn.close()
    await conn.wait_closed()
    await until_no_children(parent)  # the child is ended before the next run
    return seconds, child_cpu, server_cpu


async def curve_point(n: int, port: int, key: asyncssh.SSHKey, text: str, server: int,
                      template: int) -> tuple[dict[str, float], list[str]]:  # fmt: skip
    before = {p: cpu_seconds(p) for p in (server, template)}
    start = time.perf_counter()
    done = await asyncio.gather(*(paint(port, key, text) for _ in range(n)))
    seconds = time.perf_counter() - start
    pids = children(template)
    child_cpu = sum(cpu_seconds(p) for p in pids)
    server_cpu, template_cpu = (cpu_seconds(p) - before[p] for p in (server, template))
    await asyncio.sleep(1)  # settled: the first frame's work is over
    idle = {p: cpu_seconds(p) for p in (*pids, server)}
    await asyncio.sleep(IDLE_SECONDS)  # nobody types: what the sessions cost meanwhile
    idle_cpu = {p: cpu_seconds(p) - cpu for p, cpu in idle.items()}
    private = [private_kib(p) for p in pids]
    dirty = [rollup(p)["Private_Dirty"] for p in pids]
    pss = [pss_kib(p) for p in pids]
    front = private_kib(server) + private_kib(template)
    total = sum(private) + front
    total_pss = sum(pss) + pss_kib(server) + pss_kib(template)
    merging = await merged(pids) if n == max(CURVE) else []
    for _, conn in done:
        conn.close()
    await until_no_children(template)
    point = {"n": n, "children": len(pids), "seconds": seconds,
            "slowest": max(s for s, _ in done), "private": statistics.mean(private),
            "dirty": statistics.mean(dirty), "pss": statistics.mean(pss), "total": total,
            "total_pss": total_pss, "child_cpu": child_cpu / n, "server_cpu": server_cpu / n,
            "template_cpu": template_cpu / n, "front": front,
            "idle_child": sum(idle_cpu[p] for p in pids) / n / IDLE_SECONDS,
            "idle_server": idle_cpu[server] / n / IDLE_SECONDS}  # fmt: skip
    return point, merging


def ksm(name: str) -> str:
    path = Path("/sys/kernel/mm/ksm") / name
    return path.read_text().strip() if path.exists() else ""


def ksmd() -> int | None:
    for entry in os.listdir("/proc"):
        if entry.isdigit() and Path(f"/proc/{entry}/comm").read_text().strip() == "ksmd":
            return int(entry)
    return None


async def merged(pids: list[int]) -> list[str]:
    """With the kernel's same-page merging running (the operator's choice: it is not
    switched on here), the sessions' memory as it merges, and what the merging costs."""
    daemon = ksmd()
    if ksm("run") != "1" or daemon is None:
        return [
            f"   (same-page merging is off: /sys/kernel/mm/ksm/run is {ksm('run') or 'absent'})"
        ]
    lines = [f"   same-page merging on ({ksm('pages_to_scan')} pages each"
             f" {ksm('sleep_millisecs')} ms), {len(pids)} sessions idle:"]  # fmt: skip
    start = cpu_seconds(daemon)
    waited = 0
    for step in (30, 30, 60, 60):
        await asyncio.sleep(step)
        waited += step
        private = statistics.mean(private_kib(p) for p in pids)
        pss = statistics.mean(pss_kib(p) for p in pids)
        busy = (cpu_seconds(daemon) - start) / waited
        lines.append(f"   after {waited:3} s: private/session {private / MiB:5.1f} MiB, PSS/session"
                     f" {pss / MiB:5.1f} MiB; the merging took {busy:.0%} of a core")  # fmt: skip
    return lines


async def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        hub = fresh_hub(Path(tmp) / "hub.db")
        key = asyncssh.generate_private_key("ssh-ed25519")
        with hub.as_system(write=True) as ctx:
            load_demo(ctx, centres=1000)
            keys.add_key_for(ctx, SUPPORT, key.export_public_key().decode())
        url = hub.settings.resolved_database_url
        hub_painted = first_row(url)
        os.environ["HUB_SSH_HOST_KEY"] = str(Path(tmp) / "host_key")
        os.environ["HUB_SSH_MAX_SESSIONS"] = str(max(CURVE) + 10)  # one person, many sessions
        servers = {"hub": start_server(url, 22301, bare=False),
                   "bare": start_server(url, 22302, bare=True)}  # fmt: skip
        hub_server, bare_server = servers["hub"].pid, servers["bare"].pid
        try:
            for port, text in ((22301, hub_painted), (22302, BARE_PAINTED)):  # not timed
                _, conn = await paint(port, key, text)  # the hub's template warms up first
                conn.close()
            (template,) = children(hub_server)  # sessions are forked from it
            await until_no_children(template)
            await until_no_children(bare_server)
            runs: dict[str, list[tuple[float, float, float]]] = {"hub": [], "bare": []}
            for _ in range(7):
                runs["bare"].append(await one_session(22302, key, BARE_PAINTED, bare_server,
                                                      bare_server))  # fmt: skip
                runs["hub"].append(await one_session(22301, key, hub_painted, template,
                                                     hub_server))  # fmt: skip
            hub_s, hub_cpu, hub_server_cpu = medians(runs["hub"])
            bare_s, bare_cpu, bare_server_cpu = medians(runs["bare"])
            print(f"1. one session: connect → first paint over SSH (median of 7, "
                  f"{os.cpu_count()} cores)")  # fmt: skip
            print(
                f"   hub-tui Associate Centres with rows {hub_s * 1000:7.0f} ms   "
                f"child CPU {hub_cpu * 1000:4.0f} ms, server CPU {hub_server_cpu * 1000:4.0f} ms"
            )
            print(
                f"   bare Textual app, same server code  {bare_s * 1000:7.0f} ms   "
                f"child CPU {bare_cpu * 1000:4.0f} ms, server CPU {bare_server_cpu * 1000:4.0f} ms"
            )
            print(f"   ratio                               {hub_s / bare_s:7.2f}x  (aim ≤ 1.3x)")

            await memory(key, hub_painted, hub_server, template, bare_server)

            print(f"3. concurrent sessions ({os.cpu_count()} cores): the cost curve")
            print(
                "   sessions  all painted  ×one   slowest  private/session (dirty)  PSS/session"
                "  total private  total PSS  CPU/session: child server template"
            )
            points = []
            for n in CURVE:
                point, merging = await curve_point(n, 22301, key, hub_painted, hub_server,
                                                   template)  # fmt: skip
                points.append(point)
                assert point["children"] == n, point
                ratio = point["seconds"] / hub_s
                print(f"   {n:8}  {point['seconds'] * 1000:8.0f} ms {ratio:5.1f}x"
                      f"  {point['slowest'] * 1000:6.0f} ms  {point['private'] / MiB:8.1f} MiB"
                      f" ({point['dirty'] / MiB:4.1f})  {point['pss'] / MiB:8.1f} MiB"
                      f"  {point['total'] / MiB:9.1f} MiB {point['total_pss'] / MiB:7.1f} MiB"
                      f"  {point['child_cpu'] * 1000:10.0f} ms {point['server_cpu'] * 1000:4.0f} ms"
                      f" {point['template_cpu'] * 1000:4.0f} ms")  # fmt: skip
            print("   sessions idle, CPU per session per second: child, server (its watch);"
                  " server + template private memory meanwhile")  # fmt: skip
            for point in points:
                print(
                    f"   {point['n']:8}  {point['idle_child'] * 1000:5.1f} ms"
                    f" {point['idle_server'] * 1000:5.1f} ms  {point['front'] / MiB:6.1f} MiB"
                )
            print("\n".join(merging))
            print(f"   aims: {max(CURVE)} sessions all painted within 5 s; at most 15 MiB private"
                  f" per session; server + template no more than 84 MiB")  # fmt: skip
            both = pss_kib(hub_server) + pss_kib(template)
            print(f"   server + template, no session open: {both / MiB:.1f} MiB (PSS)")
        finally:
            for proc in servers.values():
                proc.terminate()
                proc.wait()


async def memory(key: asyncssh.SSHKey, hub_painted: str, server: int, template: int,
                 bare_server: int) -> None:  # fmt: skip
    _, conn = await paint(22301, key, hub_painted)
    _, bare_conn = await paint(22302, key, BARE_PAINTED)
    await asyncio.sleep(1)
    (child,) = children(template)
    (bare,) = children(bare_server)
    r, b = rollup(child), rollup(bare)
    print("2. memory of one session")
    print(f"   its TUI process: private {private_kib(child) / MiB:5.1f} MiB (dirty "
          f"{r['Private_Dirty'] / MiB:.1f}), PSS {r['Pss'] / MiB:5.1f} MiB")  # fmt: skip
    ratio = private_kib(child) / private_kib(bare)
    print(f"   the bare app's child: private {private_kib(bare) / MiB:5.1f} MiB, PSS "
          f"{b['Pss'] / MiB:5.1f} MiB; ratio {ratio:.2f}x")  # fmt: skip
    print(f"   the template it is forked from   {private_kib(template) / MiB:7.1f} MiB")
    print(f"   the server (one session)         {private_kib(server) / MiB:7.1f} MiB")
    theirs = [(low, high) for low, high, _, _ in mappings(template)]
    copied = sum(kib for low, high, _, kib in mappings(child)
                 if any(low < h and high > lo for lo, h in theirs))  # fmt: skip
    print(f"   of the child's private memory, in mappings the template has too (copied on"
          f" write, or its free space filled): {copied / MiB:.1f} MiB")  # fmt: skip
    largest: dict[str, int] = {}
    for _, _, name, kib in mappings(child):
        largest[name] = largest.get(name, 0) + kib
    for name, kib in sorted(largest.items(), key=lambda item: -item[1])[:4]:
        print(f"   {kib / MiB:6.1f} MiB  {name}")
    conn.close()
    bare_conn.close()
    await until_no_children(template)
    await until_no_children(bare_server)


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
