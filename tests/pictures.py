"""The pictures in README.md and docs/: snapshots of tests/test_snapshots.py, copied.

`make pictures` makes the snapshots again and copies those named here into docs/;
tests/test_pictures.py fails when a picture in docs/ is not its snapshot, byte for byte.
"""

from __future__ import annotations

import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
SNAPSHOTS = ROOT / "tests" / "__snapshots__" / "test_snapshots"

# docs/NAME -> (scene, size) of the snapshot it is
PICTURES: dict[str, tuple[str, str]] = {
    "associate-centres.svg": ("associate-centres", "120x40"),
    "associate-centres-80x24.svg": ("associate-centres", "80x24"),
    "bulk-result.svg": ("bulk-result", "120x40"),
    "my-associate-centre.svg": ("my-associate-centre", "120x40"),
    "add-coordinator.svg": ("add-coordinator-problem", "120x40"),
    "change-coordinator.svg": ("change-coordinator-dropdown", "120x40"),
    "suspend-confirmation.svg": ("suspend-confirmation", "120x40"),
    "audit-log.svg": ("audit-log", "120x40"),
    "help.svg": ("help", "120x40"),
}


def snapshot_file(scene: str, size: str) -> Path:
    """The snapshot that test_snapshots.py's test_screen makes of `scene` at `size`."""
    return SNAPSHOTS / f"test_screen[{scene}-{size}-sqlite].svg"


def copy_pictures() -> None:
    for name, (scene, size) in PICTURES.items():
        shutil.copyfile(snapshot_file(scene, size), DOCS / name)
        print(f"docs/{name} <- {snapshot_file(scene, size).relative_to(ROOT)}")


if __name__ == "__main__":
    copy_pictures()
