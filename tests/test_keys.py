"""SSH keys: `users add-key` and `invite accept --ssh-key` (what of SSH sign-in needs no
server)."""

from __future__ import annotations

from pathlib import Path

import asyncssh
import pytest
from sqlmodel import select

from hub_tui.models import SshKey
from hub_tui.services.context import Hub
from tests.conftest import Cli
from tests.test_invitations import latest_code
from tests.world import NORTH_AC, SUPPORT, World, user


def key_file(tmp_path: Path, name: str = "id") -> tuple[Path, str]:
    key = asyncssh.generate_private_key("ssh-ed25519", comment="eve@laptop")
    path = tmp_path / f"{name}.pub"
    path.write_bytes(key.export_public_key())
    return path, key.get_fingerprint("sha256")


def keys_of(hub: Hub, email: str) -> list[str]:
    owner = user(hub, email)
    with hub.as_system() as ctx:
        return [
            k.fingerprint
            for k in ctx.session.exec(select(SshKey).where(SshKey.user_id == owner.id))
        ]


def test_add_key_and_refuse_it_twice(cli, hub: Hub, world: World, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path, fingerprint = key_file(tmp_path)
    code, out, _ = cli("users", "add-key", NORTH_AC, str(path))
    assert code == 0 and fingerprint in out
    assert keys_of(hub, NORTH_AC) == [fingerprint]
    for who in (NORTH_AC, SUPPORT):  # a key signs in one user only
        code, _, err = cli("users", "add-key", who, str(path))
        assert code == 1 and "already signs in" in err
    assert keys_of(hub, SUPPORT) == []


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ("ssh-ed25519 AAAAnotakey", "not an SSH public key"),
        ("", "not an SSH public key"),
        ("-----BEGIN OPENSSH PRIVATE KEY-----\nxx\n", "not an SSH public key"),
    ],
)
def test_bad_keys_are_refused(
    cli: Cli,
    hub: Hub,
    world: World,
    tmp_path: Path,
    content: str,
    problem: str,
) -> None:
    path = tmp_path / "bad.pub"
    path.write_text(content)
    code, _, err = cli("users", "add-key", NORTH_AC, str(path))
    assert code == 1 and problem in err
    assert keys_of(hub, NORTH_AC) == []


def test_only_support_adds_keys_for_others(cli, hub: Hub, world: World, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path, _ = key_file(tmp_path)
    code, _, err = cli("--user", NORTH_AC, "users", "add-key", SUPPORT, str(path))
    assert code == 1 and "Only support staff" in err
    assert cli("--user", SUPPORT, "users", "add-key", NORTH_AC, str(path))[0] == 0
    code, _, err = cli("users", "add-key", "nobody@x.org", str(path))
    assert code == 1 and "No hub user" in err


def test_accept_with_a_key(cli, hub: Hub, world: World, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    invitee = "ivy@gb003.example.org"
    code = latest_code(hub, invitee)
    bad = tmp_path / "bad.pub"
    bad.write_text("not a key")
    status, _, err = cli("invite", "accept", code, "--ssh-key", str(bad))
    assert status == 1 and "not an SSH public key" in err
    assert user(hub, invitee).status == "invited"  # nothing changed; the code still works
    path, fingerprint = key_file(tmp_path)
    status, out, _ = cli("invite", "accept", code, "--ssh-key", str(path))
    assert status == 0 and "SSH key now signs you in" in out
    assert user(hub, invitee).status == "active"
    assert keys_of(hub, invitee) == [fingerprint]


def test_remove_key_by_fingerprint_or_file(cli, hub: Hub, world: World, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path, fingerprint = key_file(tmp_path)
    other, other_fingerprint = key_file(tmp_path, "other")
    assert cli("users", "add-key", NORTH_AC, str(path))[0] == 0
    assert cli("users", "add-key", NORTH_AC, str(other))[0] == 0
    code, _, err = cli("--user", NORTH_AC, "users", "remove-key", NORTH_AC, fingerprint)
    assert code == 1 and "Only support staff" in err
    code, _, err = cli("users", "remove-key", SUPPORT, fingerprint)
    assert code == 1 and "does not sign in support@example.org" in err
    assert keys_of(hub, NORTH_AC) == [fingerprint, other_fingerprint]
    code, out, _ = cli("--user", SUPPORT, "users", "remove-key", NORTH_AC, fingerprint)
    assert code == 0 and f"{fingerprint} no longer signs in" in out
    assert cli("users", "remove-key", NORTH_AC, str(other))[0] == 0
    assert keys_of(hub, NORTH_AC) == []


def test_a_key_file_is_read_no_further_than_a_key_could_be(cli, hub: Hub, world: World) -> None:  # type: ignore[no-untyped-def]
    code, _, err = cli("users", "add-key", NORTH_AC, "/dev/zero")  # no size, no end
    assert code == 1 and "too large to be a public key" in err
    assert keys_of(hub, NORTH_AC) == []
