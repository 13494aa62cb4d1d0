import sys

from hub_tui.cli import main

sys.exit(main())
