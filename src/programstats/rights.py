"""Who may see which sessions (SPEC §4).

A :class:`Viewer` sees a session when it is a platform admin, one of the
session's instructors, or coaches or administers a group that is assigned
to the session or shares it in its catalog, or an ancestor of such a group:
rights flow down the group tree.
"""

from __future__ import annotations

from collections.abc import Iterable

import attrs

from ._checks import (
    check_bool,
    check_collections,
    check_id,
    check_ids,
    expect,
    fail,
    known_ids,
    normalise,
    to_frozenset,
)
from .directory import Directory
from .facts import checked_sessions
from .session import Session

__all__ = ["Viewer", "can_view", "visible_sessions"]


@attrs.frozen(kw_only=True)
class Viewer:
    """The person looking at statistics or exporting them."""

    user_id: str
    platform_admin: bool = False
    coached_group_ids: frozenset[str] = attrs.field(default=frozenset(), converter=to_frozenset)
    administered_group_ids: frozenset[str] = attrs.field(
        default=frozenset(), converter=to_frozenset
    )

    def __attrs_post_init__(self) -> None:
        ident = normalise(self, "user_id", check_id, "Viewer", self.user_id)
        check_collections("Viewer", ident, self, ("coached_group_ids", "administered_group_ids"))
        check_bool("Viewer", ident, "platform_admin", self.platform_admin)
        check_ids("Viewer", ident, "coached_group_ids", self.coached_group_ids)
        check_ids("Viewer", ident, "administered_group_ids", self.administered_group_ids)

    @property
    def managed_group_ids(self) -> frozenset[str]:
        """Groups the viewer coaches or administers."""
        return self.coached_group_ids | self.administered_group_ids


def managed_groups(viewer: Viewer, directory: Directory) -> frozenset[str]:
    """The viewer's groups (checked against the directory)."""
    expect("viewer", viewer, Viewer)
    expect("directory", directory, Directory)
    managed = viewer.managed_group_ids
    for group_id in sorted(managed):
        if group_id not in directory.groups:
            fail(
                "Viewer",
                viewer.user_id,
                f"manages group {group_id!r}, not a group of the directory "
                f"({known_ids(directory.groups)})",
            )
    return managed


def _reaches(managed: frozenset[str], group_ids: Iterable[str], directory: Directory) -> bool:
    """True when a managed group is one of ``group_ids`` or an ancestor of one."""
    return any(not managed.isdisjoint(directory.ancestors(group_id)) for group_id in group_ids)


def manages(viewer: Viewer, group_id: str, directory: Directory) -> bool:
    """Whether the viewer coaches or administers ``group_id`` or one of its ancestors."""
    return viewer.platform_admin or _reaches(
        managed_groups(viewer, directory), (group_id,), directory
    )


def can_view(viewer: Viewer, session: Session, directory: Directory) -> bool:
    """Whether ``viewer`` may see ``session``'s statistics.

    >>> from programstats.examples import tiny_directory, tiny_session
    >>> session, directory = tiny_session(), tiny_directory()
    >>> can_view(Viewer(user_id="olga"), session, directory)      # instructor
    True
    >>> can_view(Viewer(user_id="bob", coached_group_ids={"company"}), session, directory)
    True
    >>> can_view(Viewer(user_id="bob"), session, directory)
    False

    Raises :class:`InvalidInputError` when the viewer or the session names a
    group the directory does not know.
    """
    expect("session", session, Session)
    managed = managed_groups(viewer, directory)
    for group_id in sorted(session.group_ids | session.catalog_group_ids):
        if group_id not in directory.groups:
            fail(
                "Session",
                session.id,
                f"names group {group_id!r}, not a group of the directory "
                f"({known_ids(directory.groups)})",
            )
    if viewer.platform_admin or viewer.user_id in session.instructor_ids:
        return True
    return _reaches(managed, session.group_ids | session.catalog_group_ids, directory)


def visible_sessions(
    viewer: Viewer, sessions: Iterable[Session], directory: Directory
) -> tuple[Session, ...]:
    """The sessions ``viewer`` may see, in the order given.

    Every argument is checked, even when there is no session: ``sessions``
    must be a collection of distinct sessions, and the viewer's groups must
    be groups of ``directory``.
    """
    managed_groups(viewer, directory)
    found = checked_sessions(sessions)
    return tuple(session for session in found if can_view(viewer, session, directory))
