"""Changes to many centres at once: resend, suspend or restore, each centre in its own
transaction and by the same rules as a single change, so one refusal (a centre changed
meanwhile, say) undoes nothing else. The audit log gets each centre's event, and one for
the bulk action with how many centres it was asked of and how many refused."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence

from sqlalchemy import select
from sqlmodel import col

from hub_tui import kinds
from hub_tui.errors import HubError, Invalid
from hub_tui.formatting import count, people, status_label
from hub_tui.models import AccountStatus, Centre, User
from hub_tui.progress import Progress, unseen
from hub_tui.rules import Action, allows, count_with_access
from hub_tui.services import audit
from hub_tui.services import coordinators as c
from hub_tui.services.centres import Coordinator, list_numbers, status_expr
from hub_tui.services.context import Ctx, Hub
from hub_tui.services.coordinators import Outcome
from hub_tui.services.views import View
from hub_tui.validation import clean_centre_number

DOING = {Action.RESEND: "Resending", Action.SUSPEND: "Suspending", Action.RESTORE: "Restoring"}
CHANGES: dict[Action, Callable[..., Outcome]] = {
    Action.RESEND: c.resend_invitation,
    Action.SUSPEND: c.suspend,
    Action.RESTORE: c.restore,
}


CHUNK = 500  # centre numbers per query: well under any database's limit on parameters
# what each change sends, one e-mail per centre changed
SENDS = {
    Action.RESEND: kinds.INVITATION,
    Action.SUSPEND: kinds.ACCOUNT_SUSPENDED,
    Action.RESTORE: kinds.ACCOUNT_RESTORED,
}
VERB = {Action.RESEND: "Resend", Action.SUSPEND: "Suspend", Action.RESTORE: "Restore"}


class BulkPlan(View):
    """What a bulk change would do, as the centres are now: shown for one confirmation,
    then carried out against the versions seen, so a centre changed meanwhile is refused."""

    action: Action
    versions: dict[str, int]  # the centres it applies to -> each one's version now
    skipped: dict[str, int]  # why the others are left out -> how many
    people: int  # who lose access (suspend) or regain it (restore)
    emails: int

    @property
    def skipped_line(self) -> str | None:
        """Which centres are left out, and why: "Skipped: 3 not activated, 1 suspended."."""
        if not self.skipped:
            return None
        return "Skipped: " + ", ".join(f"{n} {why}" for why, n in self.skipped.items()) + "."

    @property
    def lines(self) -> list[str]:
        """The totals, in words, for the confirmation."""
        centres = count(len(self.versions), "centre", "centres")
        if self.action is Action.RESEND:
            first = f"A new invitation goes to the coordinator of each of {centres}; "
            first += "the codes sent before stop working."
        else:
            first = f"{VERB[self.action]} the coordinator's account at each of {centres}."
        lines = [first]
        if self.skipped_line:
            lines.append(self.skipped_line)
        if self.action is Action.SUSPEND:
            lines.append(f"{people(self.people)} lose hub access.")
        elif self.action is Action.RESTORE:
            lines.append(f"{people(self.people)} regain hub access.")
        lines.append(f"{count(self.emails, 'e-mail', 'e-mails')} will be sent.")
        return lines


def _chunks(items: Sequence[str]) -> Iterator[Sequence[str]]:
    for start in range(0, len(items), CHUNK):
        yield items[start : start + CHUNK]


def plan(ctx: Ctx, action: Action, numbers: Sequence[str]) -> BulkPlan:
    """What `action` on these centres would change now: which it applies to (by the same
    rules as a single change), which are skipped and why, and the people and e-mails."""
    versions: dict[str, int] = {}
    skipped: Counter[str] = Counter()
    applies: list[int] = []  # the ids of the centres it applies to
    found = 0
    for chunk in _chunks(numbers):
        stmt = ctx.scoped(
            select(
                col(Centre.id), col(Centre.centre_number), col(Centre.version), status_expr(ctx.now)
            )
            .select_from(Centre)
            .outerjoin(Coordinator, col(Coordinator.id) == col(Centre.coordinator_id))
            .where(col(Centre.centre_number).in_(chunk))
        )
        for centre_id, number, version, status in ctx.session.execute(stmt):
            found += 1
            if allows(action, status):
                versions[number] = version
                applies.append(centre_id)
            else:
                skipped[status_label(status).lower()] += 1
    if found < len(numbers):
        skipped["not found"] = len(numbers) - found
    moved = 0
    if action is not Action.RESEND:
        moved = _access_moved(ctx, action, applies)
    emails = len(versions) if ctx.settings.sends(SENDS[action]) else 0
    return BulkPlan(
        action=action, versions=versions, skipped=dict(skipped), people=moved, emails=emails
    )


def _access_moved(ctx: Ctx, action: Action, centre_ids: list[int]) -> int:
    """How many people lose access (suspend) or regain it (restore), by the access rule:
    those with access under an active coordinator, before the suspension or after the
    restoration."""
    after: dict[int, list[str]] = {}
    for start in range(0, len(centre_ids), CHUNK):
        rows = ctx.session.execute(
            select(col(User.centre_id), col(User.id), col(User.status), col(Centre.coordinator_id))
            .join(Centre, col(Centre.id) == col(User.centre_id))
            .where(col(User.centre_id).in_(centre_ids[start : start + CHUNK]))
        )
        for centre_id, user_id, status, coordinator_id in rows:
            restored = action is Action.RESTORE and user_id == coordinator_id
            after.setdefault(centre_id, []).append(AccountStatus.ACTIVE if restored else status)
    return sum(count_with_access(each, AccountStatus.ACTIVE) for each in after.values())


STOPPED = "Not changed: the change was stopped before this centre."


class CentreResult(View):
    centre_number: str
    ok: bool
    message: str

    @property
    def stopped(self) -> bool:
        """Not reached: the change was stopped before this centre."""
        return self.message == STOPPED


def centres_of(
    hub: Hub, actor: str, *, numbers: Sequence[str] = (), status: str | None = None
) -> list[str]:
    """The centres a bulk change is asked of: those given (each once, in order), or every
    centre of `status` that `actor` may see."""
    if status is not None:
        with hub.as_user(actor) as ctx:
            return list_numbers(ctx, status=status)
    given: dict[str, None] = {}
    for number in numbers:
        try:
            given[clean_centre_number(number)] = None
        except Invalid:
            given[number.strip()] = None  # refused by the change itself, with its message
    return list(given)


def change_one(
    ctx: Ctx,
    action: Action,
    number: str,
    *,
    reason: str | None = None,
    expected_version: int | None = None,
) -> Outcome:
    """`action` on one centre, in the caller's transaction (only a suspension has a reason);
    refused if the centre is no longer at `expected_version`."""
    how = {"reason": reason} if action is Action.SUSPEND else {}
    return CHANGES[action](ctx, centre_number=number, expected_version=expected_version, **how)


def change_each(
    hub: Hub,
    actor: str,
    action: Action,
    numbers: Sequence[str],
    *,
    reason: str | None = None,
    versions: Mapping[str, int] | None = None,
    progress: Progress = unseen,
    stop: Callable[[], bool] = lambda: False,
) -> list[CentreResult]:
    """`action` on each centre in turn, each in its own transaction; what each came to.
    With `versions` (a plan's), a centre changed since is refused, and only it. Once
    `stop()` says so, the centres left are not changed, and say so."""
    results = []
    for done, number in enumerate(numbers):
        progress(DOING[action], done, len(numbers))
        if stop():
            results.append(CentreResult(centre_number=number, ok=False, message=STOPPED))
            continue
        seen = versions.get(number) if versions is not None else None
        try:
            with hub.as_user(actor, write=True) as ctx:
                outcome = change_one(ctx, action, number, reason=reason, expected_version=seen)
            results.append(CentreResult(centre_number=number, ok=True, message=outcome.message))
        except HubError as exc:
            results.append(CentreResult(centre_number=number, ok=False, message=exc.message))
    progress(DOING[action], len(numbers), len(numbers))
    stopped = sum(r.stopped for r in results)
    refused = sum(not r.ok for r in results) - stopped
    with hub.as_user(actor, write=True) as ctx:
        _record(ctx, action, len(numbers), refused, stopped)
    return results


def _record(ctx: Ctx, action: Action, asked: int, refused: int, stopped: int) -> None:
    detail = f"{count(asked, 'centre', 'centres')}, {refused:,} refused"
    if stopped:
        detail += f", {stopped:,} not reached (stopped)"
    audit.record(ctx, f"bulk.{action.value}", detail=detail)
