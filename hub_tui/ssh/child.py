"""What an SSH session runs on its pseudo-terminal: `hub-tui` with the arguments given."""

from __future__ import annotations

import fcntl
import sys
import termios


def main() -> None:
    # the pty becomes this process's controlling terminal (the server started it in a new
    # session), so a window change sends it SIGWINCH and Textual redraws at the new size
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)
    from hub_tui.cli import main as hub_tui

    sys.exit(hub_tui(sys.argv[1:]))


if __name__ == "__main__":
    main()
