"""The table every listing uses: Textual's DataTable, with its one-line text cells drawn
straight into segments."""

from __future__ import annotations

from collections.abc import Iterable

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.geometry import Region, Size
from textual.strip import Strip
from textual.widgets import DataTable
from textual.widgets.data_table import RowKey

NO_STYLE = Style.null()
SegmentLines = list[list[Segment]]


class Table(DataTable[Text]):
    """A DataTable that draws a cell of one line of `Text` itself, as Textual would (the
    same segments), without Rich's general layout. Textual lays every cell out through
    Padding and Styled renderables, about 0.2 ms a cell: a screen of rows took 40 to 60 ms of
    CPU, a sixth of a session's first screen. Other cells (the header, labels, wider or
    taller text) are drawn by Textual.

    Nor does it measure the cells of columns whose width is given (as every listing's
    are): Textual measures each new cell all the same, about 50 µs a cell. And the table's
    style and its rows' are worked out once a drawing, not once a line."""

    _drawing: dict[object, Style] | None = None  # styles, while lines are drawn

    def render_lines(self, crop: Region) -> list[Strip]:
        self._drawing = {}  # Textual works them out for each line: each walks the ancestors
        try:
            return super().render_lines(crop)
        finally:
            self._drawing = None

    @property
    def rich_style(self) -> Style:
        if self._drawing is None:
            return super().rich_style
        if (style := self._drawing.get(None)) is None:
            style = self._drawing[None] = super().rich_style
        return style

    def _get_row_style(self, row_index: int, base_style: Style) -> Style:
        if self._drawing is None or row_index < 0 or row_index < self.fixed_rows:
            return super()._get_row_style(row_index, base_style)
        key = (row_index % 2 if self.zebra_stripes else None, base_style)
        if (style := self._drawing.get(key)) is None:
            style = self._drawing[key] = super()._get_row_style(row_index, base_style)
        return style

    def _update_dimensions(self, new_rows: Iterable[RowKey]) -> None:
        keys = list(new_rows)
        rows = [row for key in keys if (row := self.rows.get(key)) is not None]
        if any(c.auto_width for c in self.columns.values()) or any(
            row.label is not None or row.auto_height for row in rows
        ):
            super()._update_dimensions(keys)
            return
        width = sum(c.get_render_width(self) for c in self.columns.values())
        header = self.header_height if self.show_header else 0
        self.virtual_size = Size(
            width + self._row_label_column_width, self._total_row_height + header
        )

    def _render_cell(
        self,
        row_index: int,
        column_index: int,
        base_style: Style,
        width: int,
        cursor: bool = False,
        hover: bool = False,
    ) -> SegmentLines:
        row_key = self._row_locations.get_key(row_index)
        column_key = self._column_locations.get_key(column_index)
        row = self.rows.get(row_key) if row_key is not None else None
        if (
            row_key is None
            or column_key is None
            or row is None
            or row.height != 1
            or row_index < self.fixed_rows
            or column_index < self.fixed_columns
        ):
            return super()._render_cell(row_index, column_index, base_style, width, cursor, hover)
        # the key of Textual's own cache: a cell is drawn once, by either road
        key = (
            row_key,
            column_key,
            base_style,
            cursor,
            hover,
            self._show_hover_cursor,
            self._update_count,
            self._pseudo_class_state,
        )
        if (lines := self._cell_render_cache.get(key)) is not None:
            return lines
        text = self._get_row_renderables(row_index).cells[column_index]
        pad = self.cell_padding
        inner = width - 2 * pad
        if (
            not isinstance(text, Text)
            or text.style  # Rich applies it as it lays the text out: not done here
            or text.justify not in (None, "default", "left")
            or "\n" in text.plain
            or "\t" in text.plain
            or text.cell_len > inner
        ):
            return super()._render_cell(row_index, column_index, base_style, width, cursor, hover)
        component_style, post_style = self._get_styles_to_render_cell(
            False,
            False,
            False,
            hover,
            cursor,
            self.show_cursor,
            self._show_hover_cursor,
            self.cursor_foreground_priority == "css",
            self.cursor_background_priority == "css",
        )
        pre_style = base_style + Style.from_meta({"row": row_index, "column": column_index})
        line = Segment.adjust_line_length(list(text.render(self.app.console)), inner, NO_STYLE)
        if pad:
            line = [Segment(" " * pad, NO_STYLE), *line, Segment(" " * pad, NO_STYLE)]
        lines = [list(Segment.apply_style(line, pre_style + component_style, post_style))]
        self._cell_render_cache[key] = lines
        return lines
