"""No setup code that still works can be read back from the database: not from the SQLite
file or its write-ahead log, nor from a `pg_dump`."""

from __future__ import annotations

import asyncio
import re
import subprocess
from pathlib import Path
from urllib.parse import unquote

import pytest
from sqlalchemy.engine import make_url

from hub_tui.config import Settings
from hub_tui.errors import HubError
from hub_tui.mail.worker import Deliverer
from hub_tui.services import coordinators as c
from hub_tui.services.context import Hub
from hub_tui.services.invitations import accept
from hub_tui.setup_codes import installation_key
from tests.smtp_servers import smtp_server
from tests.world import SUPPORT, World

CODE = re.compile(r"^Setup code: (\S+)\r?$", re.MULTILINE)


def delivered_codes(hub: Hub, settings: Settings) -> list[str]:
    """Invite three people, resend one, deliver it all to aiosmtpd: the codes it received."""
    with hub.as_user(SUPPORT, write=True) as ctx:
        for i, number in enumerate(("GB001", "GB010")):
            c.add_coordinator(ctx, centre_number=number, name=f"Ann {i}", email=f"a{i}@x.org")
        c.resend_invitation(ctx, centre_number="GB003")
    with smtp_server() as (server, port):
        smtp = settings.model_copy(update={"smtp_host": "127.0.0.1", "smtp_port": port})
        asyncio.run(Deliverer(hub.engine, smtp).deliver_due())
        bodies = [m.get_body(("plain",)).get_content() for m in server.messages]  # type: ignore[union-attr]
    return [code for body in bodies for code in CODE.findall(body)]


def database_bytes(database_url: str, tmp_path: Path) -> bytes:
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        main = Path(str(url.database))
        files = [main, *(main.with_name(main.name + end) for end in ("-wal", "-journal"))]
        return b"".join(f.read_bytes() for f in files if f.exists())
    schema = unquote(str(url.query["options"])).removeprefix("-csearch_path=")
    dump = tmp_path / "dump.sql"
    who = ["-h", str(url.host), "-U", str(url.username)]
    subprocess.run(["pg_dump", *who, "-n", schema, "-f", dump, str(url.database)], check=True)
    return dump.read_bytes()


def test_no_code_that_works_is_in_the_database_files(
    hub: Hub, world: World, settings: Settings, database_url: str, tmp_path: Path
) -> None:
    codes = delivered_codes(hub, settings)
    assert len(codes) == 3
    with hub.as_system(write=True) as ctx:  # each still works
        ctx.session.begin_nested()
        accept(ctx, codes[0])
        ctx.session.rollback()
    stored = database_bytes(database_url, tmp_path).upper()
    assert len(stored) > 10_000
    for code in codes:
        for form in (code, code.replace("-", "")):
            assert form.encode() not in stored, f"{form} is readable in the database"


def test_a_code_cannot_be_made_without_the_key_file(
    hub: Hub, world: World, settings: Settings, tmp_path: Path
) -> None:
    """The key is what turns a stored seed into a code: another key makes other codes, and
    a worker holding one says so rather than sending a code that would not work."""
    other = settings.model_copy(update={"secret_key_file": tmp_path / "other.key"})
    with hub.as_user(SUPPORT, write=True) as ctx:
        c.add_coordinator(ctx, centre_number="GB001", name="Ann", email="ann@x.org")
    with smtp_server() as (server, port):
        smtp = other.model_copy(update={"smtp_host": "127.0.0.1", "smtp_port": port})
        report = asyncio.run(Deliverer(hub.engine, smtp).deliver_due())
    # Ivy's invitation and Ann's: neither goes with a code that would not work
    assert (report.sent, report.retrying, server.messages) == (0, 2, [])
    assert all("did not make this invitation's setup code" in e for e in report.errors)
    assert installation_key(tmp_path / "other.key") != installation_key(settings.secret_key_path)


@pytest.mark.parametrize("content", ["not hex", "abcd"])
def test_an_unusable_key_file_is_one_line(tmp_path: Path, content: str) -> None:
    path = tmp_path / f"bad-{len(content)}.key"
    path.write_text(content)
    with pytest.raises(HubError, match="secret key file"):
        installation_key(path)
