"""Who must hear, inside the same transaction, that people's party membership changed.

The registry sits below the apps that keep figures derived from people (the responsibility lists keep
each household's count of party-member helpers, D23); it cannot import them, so they register here,
as indicators do in `core.indicators`. Every write that changes a person's political status between
party member and not calls `party_membership_changed` before its transaction ends. Not a signal:
the call is in the write path, where a reader finds it.
"""

from __future__ import annotations

from collections.abc import Callable, Collection

Listener = Callable[[Collection[int]], None]  # the ids of the people whose membership changed

_LISTENERS: dict[str, Listener] = {}


def on_party_membership_change(name: str, listener: Listener) -> None:
    _LISTENERS[name] = listener


def party_membership_changed(person_ids: Collection[int]) -> None:
    """Tell every listener; call inside the transaction that made the change."""
    if not person_ids:
        return
    for listener in _LISTENERS.values():
        listener(person_ids)
