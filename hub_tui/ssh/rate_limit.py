"""How many set-up codes one front end checks: at most so many tries a minute from each
client address, and so many from all of them together. Kept in memory, per process; a try
over either limit is refused before it reaches the database."""

from __future__ import annotations

import ipaddress
import time
from collections import deque
from collections.abc import Callable

WINDOW_SECONDS = 60.0


def client_key(host: str) -> str:
    """Whose tries an address counts as: the address itself for IPv4, its /64 for IPv6
    (one client holds a whole /64), an IPv4 address written as IPv6 as that IPv4 address."""
    try:
        address = ipaddress.ip_address(host.partition("%")[0])  # without an interface scope
    except ValueError:
        return host
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        return str(ipaddress.IPv6Network((address, 64), strict=False))
    return str(address)


class RateLimit:
    """Sliding windows: a try is allowed if, in the last `window` seconds, fewer than
    `per_key` tries of its key and fewer than `total` tries altogether were allowed. Only
    allowed tries count, so what is held is at most `total` of them, however many keys
    try."""

    def __init__(
        self,
        per_key: int,
        total: int,
        *,
        window: float = WINDOW_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.per_key = per_key
        self.total = total
        self.window = window
        self.clock = clock
        self.allowed: deque[tuple[float, str]] = deque()  # every allowed try, oldest first
        self.by_key: dict[str, deque[float]] = {}  # the same tries, by key

    def allow(self, key: str) -> bool:
        """Whether a try of `key` may go ahead now; if it may, it is counted."""
        now = self.clock()
        self.forget(before=now - self.window)
        mine = self.by_key.get(key)
        if len(self.allowed) >= self.total or (mine is not None and len(mine) >= self.per_key):
            return False
        self.allowed.append((now, key))
        self.by_key.setdefault(key, deque()).append(now)
        return True

    def forget(self, *, before: float) -> None:
        """Drop the tries made at or before `before`: each is its key's oldest too."""
        while self.allowed and self.allowed[0][0] <= before:
            _, key = self.allowed.popleft()
            mine = self.by_key[key]
            mine.popleft()
            if not mine:
                del self.by_key[key]
