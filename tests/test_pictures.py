"""The pictures in README.md and docs/ are the snapshots of tests/test_snapshots.py, as they
are now: a change to a screen that leaves a picture behind fails here. `make pictures`
makes them all again."""

from __future__ import annotations

import re

import pytest

from tests.pictures import DOCS, PICTURES, ROOT, SNAPSHOTS, snapshot_file
from tests.test_snapshots import SCENES, SIZES

FIX = "run `make pictures`, look at the pictures, and commit them"


@pytest.mark.parametrize("name", PICTURES)
def test_picture_is_its_snapshot(name: str) -> None:
    snapshot = snapshot_file(*PICTURES[name])
    assert snapshot.is_file(), f"{snapshot.relative_to(ROOT)} is not there: {FIX}"
    picture = DOCS / name
    assert picture.is_file(), f"docs/{name} is not there: {FIX}"
    assert picture.read_bytes() == snapshot.read_bytes(), f"docs/{name} is stale: {FIX}"


def test_every_picture_is_made_and_shown() -> None:
    """No picture in docs/ that no snapshot makes (it would go stale unseen), and none that
    no page shows."""
    pages = [ROOT / "README.md", *DOCS.glob("*.md")]
    linked = {
        m for page in pages for m in re.findall(r"\]\((?:docs/)?([\w-]+\.svg)\)", page.read_text())
    }
    pictures = {path.name for path in DOCS.glob("*.svg")}
    assert pictures - set(PICTURES) == set(), f"not made by tests/pictures.py: {FIX}"
    assert set(PICTURES) - linked == set(), "pictures that no page of README.md or docs/ shows"
    assert linked - pictures == set(), "pages show pictures that are not in docs/"


def test_every_snapshot_has_its_test() -> None:
    """A scene renamed or removed leaves no snapshot behind (`--snapshot-update` with
    several workers does not remove them)."""
    made = {snapshot_file(scene, size).name for scene in SCENES for size in SIZES}
    found = {path.name for path in SNAPSHOTS.glob("*.svg")}
    assert found - made == set(), f"snapshots of no test: {FIX}"
    assert made - found == set(), f"tests with no snapshot: {FIX}"
