"""Audit log: who changed what, where and when (UTC), newest first, within the user's scope.

The table's Detail column is cut at the screen's edge; the pane below shows the highlighted
event whole, wrapped."""

from __future__ import annotations

from textual.content import Content

from hub_tui.formatting import utc_text
from hub_tui.screens.listing import ListingScreen, labelled
from hub_tui.services.audit import AuditRow, list_events
from hub_tui.services.context import Ctx
from hub_tui.validation import printable


class AuditScreen(ListingScreen):
    TITLE = "Administration › Audit log"
    COLUMNS = ("When (UTC)", "Who", "What", "Centre", "Person", "Detail")

    def fetch(self, ctx: Ctx, limit: int) -> list[AuditRow]:
        return list_events(ctx, limit=limit)

    def cells(self, row: AuditRow) -> tuple[str, ...]:
        return (
            utc_text(row.at),
            row.actor,
            what(row),
            row.centre or "",
            row.target or "",
            row.detail or "",
        )

    def full(self, row: AuditRow) -> Content:
        # to the second: events a moment apart are told apart
        when = row.at.strftime("%Y-%m-%d %H:%M:%S UTC")
        fields = {"When": when, "Who": row.actor, "Centre": row.centre, "Person": row.target}
        lines = [Content.styled(what(row), "bold"), labelled(fields)]
        if row.detail:
            lines.append(Content(printable(row.detail)))
        return Content("\n").join(lines)


def what(row: AuditRow) -> str:
    return row.action.replace(".", " ")
