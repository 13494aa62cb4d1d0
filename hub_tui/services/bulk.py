"""Changes to many centres at once: resend, suspend or restore, each centre in its own
transaction and by the same rules as a single change, so one refusal (a centre changed
meanwhile, say) undoes nothing else. The audit log gets each centre's event, and one for
the bulk action with how many centres it was asked of and how many refused."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from hub_tui.errors import HubError, Invalid
from hub_tui.progress import Progress, unseen
from hub_tui.rules import Action
from hub_tui.services import audit
from hub_tui.services import coordinators as c
from hub_tui.services.centres import list_centres
from hub_tui.services.context import Ctx, Hub
from hub_tui.services.coordinators import Outcome
from hub_tui.services.views import View
from hub_tui.validation import clean_centre_number

EVERY = 1_000_000  # "every centre of a status": more than any installation holds
DOING = {Action.RESEND: "Resending", Action.SUSPEND: "Suspending", Action.RESTORE: "Restoring"}
CHANGES: dict[Action, Callable[..., Outcome]] = {
    Action.RESEND: c.resend_invitation,
    Action.SUSPEND: c.suspend,
    Action.RESTORE: c.restore,
}


class CentreResult(View):
    centre_number: str
    ok: bool
    message: str


def centres_of(
    hub: Hub, actor: str, *, numbers: Sequence[str] = (), status: str | None = None
) -> list[str]:
    """The centres a bulk change is asked of: those given (each once, in order), or every
    centre of `status` that `actor` may see."""
    if status is not None:
        with hub.as_user(actor) as ctx:
            return [row.centre_number for row in list_centres(ctx, status=status, limit=EVERY)]
    given: dict[str, None] = {}
    for number in numbers:
        try:
            given[clean_centre_number(number)] = None
        except Invalid:
            given[number.strip()] = None  # refused by the change itself, with its message
    return list(given)


def change_one(ctx: Ctx, action: Action, number: str, *, reason: str | None = None) -> Outcome:
    """`action` on one centre, in the caller's transaction (only a suspension has a reason)."""
    how = {"reason": reason} if action is Action.SUSPEND else {}
    return CHANGES[action](ctx, centre_number=number, **how)


def change_each(
    hub: Hub,
    actor: str,
    action: Action,
    numbers: Sequence[str],
    *,
    reason: str | None = None,
    progress: Progress = unseen,
) -> list[CentreResult]:
    """`action` on each centre in turn, each in its own transaction; what each came to."""
    results = []
    for done, number in enumerate(numbers):
        progress(DOING[action], done, len(numbers))
        try:
            with hub.as_user(actor, write=True) as ctx:
                outcome = change_one(ctx, action, number, reason=reason)
            results.append(CentreResult(centre_number=number, ok=True, message=outcome.message))
        except HubError as exc:
            results.append(CentreResult(centre_number=number, ok=False, message=exc.message))
    progress(DOING[action], len(numbers), len(numbers))
    refused = sum(not r.ok for r in results)
    with hub.as_user(actor, write=True) as ctx:
        _record(ctx, action, len(numbers), refused)
    return results


def _record(ctx: Ctx, action: Action, asked: int, refused: int) -> None:
    audit.record(ctx, f"bulk.{action.value}", detail=f"{asked} centres, {refused} refused")
