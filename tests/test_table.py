"""The listings' table draws its text cells itself: every line must be what Textual's own
DataTable draws for the same rows, cursor, stripes and hover, to the segment and style."""

from __future__ import annotations

import pytest
from rich.cells import cell_len
from rich.console import Console
from rich.measure import Measurement
from rich.text import Text
from textual.app import App, ComposeResult
from textual.containers import Vertical
from textual.coordinate import Coordinate
from textual.geometry import Region
from textual.widgets import DataTable

from hub_tui.validation import printable
from hub_tui.widgets.cells import cell
from hub_tui.widgets.table import Table

WIDTHS = (1, 13, 20, 8)
ROWS = [
    ("✓", "AB123", "Bangor Grammar School", "Active"),  # cut by cell() to its column
    ("", "CD456", "", "—"),  # empty cells
    ("", "EF789", "北京市第一中学 学校", "Invited"),  # wide characters, cut between them
    ("", "GH012", "Émile & [b]Zoë[/b]", "Invited"),  # markup is text
    ("", "IJ345", "exactly twenty cells", "x"),
    ("", "KL678", "👩‍🏫 Teachers", "Suspended"),
]


def styled_rows() -> list[tuple[Text, ...]]:
    rows: list[tuple[Text, ...]] = [
        tuple(cell(v, w) for v, w in zip(row, WIDTHS, strict=True)) for row in ROWS
    ]
    bold = Text("Ann ")
    bold.append("Bold", style="bold red")  # a span of its own style
    rows.append((Text(""), Text("MN901", style="italic"), bold, Text("Wider than its column")))
    rows.append((Text(""), Text("7", justify="right"), Text("mid", justify="center"), Text("a\tb")))
    return rows


class Pair(App[None]):
    """The same rows in Textual's DataTable and in Table, one above the other."""

    def __init__(self, zebra: bool, cursor_type: str) -> None:
        super().__init__()
        self.options = {"zebra_stripes": zebra, "cursor_type": cursor_type}

    def compose(self) -> ComposeResult:
        with Vertical():
            yield DataTable(id="theirs", **self.options)  # type: ignore[arg-type]
            yield Table(id="ours", **self.options)  # type: ignore[arg-type]

    def on_mount(self) -> None:
        for table in self.query(DataTable):
            for number, width in enumerate(WIDTHS):
                table.add_column(Text(f"Col {number}"), width=width)
            table.add_rows(styled_rows())


def lines(table: DataTable[Text]) -> list[list[tuple[str, object]]]:
    """Every line, drawn afresh as the screen draws it: in one drawing of the whole table."""
    table._row_render_cache.clear()
    table._line_cache.clear()
    table._styles_cache.clear()
    drawn = table.render_lines(Region(0, 0, *table.size))
    return [[(s.text, s.style) for s in strip] for strip in drawn]


@pytest.mark.asyncio
@pytest.mark.parametrize("zebra", [True, False])
@pytest.mark.parametrize("cursor_type", ["row", "cell", "none"])
async def test_each_line_is_what_textual_draws(zebra: bool, cursor_type: str) -> None:
    app = Pair(zebra, cursor_type)
    async with app.run_test(size=(70, 24)) as pilot:
        await pilot.pause()
        theirs = app.query_one("#theirs", DataTable)
        ours = app.query_one("#ours", Table)
        assert ours.size == theirs.size and ours.size.height >= len(ROWS) + 2
        assert ours.virtual_size == theirs.virtual_size  # the cells, not measured, fit as well
        for where in (Coordinate(0, 0), Coordinate(2, 2), Coordinate(6, 3)):
            for table in (theirs, ours):
                table.move_cursor(row=where.row, column=where.column, animate=False)
                table.hover_coordinate = Coordinate(3, 1)
            drawn = []
            for table in (theirs, ours):  # each drawn as it is when it has the focus
                table.focus()
                await pilot.pause()
                drawn.append(lines(table))
            assert drawn[1] == drawn[0]
            assert any("Bangor Gramm" in text for line in drawn[1] for text, _ in line)


@pytest.mark.parametrize(
    "value", ["", "Bangor Grammar School", "北京市第一中学", "👩‍🏫 Teachers", "a  b"]
)
def test_a_cell_is_as_wide_as_rich_measures_its_text(value: str) -> None:
    console = Console(width=200)
    ours = Measurement.get(console, console.options, cell(value))
    shown = printable(value)  # as the cell shows it: the joiner in 👩‍🏫 is escaped
    theirs = Measurement.get(console, console.options, Text(shown, no_wrap=True))
    assert ours.maximum == theirs.maximum == cell_len(shown)
