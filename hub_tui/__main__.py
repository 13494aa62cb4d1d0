from hub_tui.cli import run

run()
