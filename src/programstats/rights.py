"""Who may see which sessions (SPEC §4).

A :class:`Viewer` sees a session when it is a platform admin, one of the
session's instructors, or coaches or administers a group that is assigned
to the session or shares it in its catalog, or an ancestor of such a group:
rights flow down the group tree.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

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


def reacher(viewer: Viewer, directory: Directory) -> Callable[[str], bool]:
    """A test "does the viewer manage this group or one of its ancestors?".

    The viewer's groups are checked once, and every walk up the tree is
    remembered for the next question, so the questions of one call cost
    at most one step per group of the tree in total, however deep it is.
    """
    managed = managed_groups(viewer, directory)
    groups = directory.groups
    known: dict[str, bool] = {}

    def reaches(group_id: str) -> bool:
        path: list[str] = []
        current: str | None = group_id
        found = False
        while current is not None:
            if current in known:
                found = known[current]
                break
            path.append(current)
            if current in managed:
                found = True
                break
            current = groups[current].parent_id
        for passed in path:
            known[passed] = found
        return found

    return reaches


def manages(viewer: Viewer, group_id: str, directory: Directory) -> bool:
    """Whether the viewer coaches or administers ``group_id`` or one of its ancestors."""
    return viewer.platform_admin or reacher(viewer, directory)(group_id)


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
    return viewing(viewer, directory)(session)


def viewing(viewer: Viewer, directory: Directory) -> Callable[[Session], bool]:
    """:func:`can_view` for one viewer and directory, checked once for many sessions."""
    reaches = reacher(viewer, directory)
    known = directory.groups.keys()

    def sees(session: Session) -> bool:
        expect("session", session, Session)
        named = session.group_ids, session.catalog_group_ids
        if not all(known >= group_ids for group_ids in named):
            unknown = min((named[0] | named[1]) - known)  # the same whatever the hash seed
            fail(
                "Session",
                session.id,
                f"names group {unknown!r}, not a group of the directory "
                f"({known_ids(directory.groups)})",
            )
        if viewer.platform_admin or viewer.user_id in session.instructor_ids:
            return True
        return any(reaches(group_id) for group_ids in named for group_id in group_ids)

    return sees


def visible_sessions(
    viewer: Viewer, sessions: Iterable[Session], directory: Directory
) -> tuple[Session, ...]:
    """The sessions ``viewer`` may see, in the order given.

    Every argument is checked, even when there is no session: ``sessions``
    must be a collection of distinct sessions, and the viewer's groups must
    be groups of ``directory``.
    """
    sees = viewing(viewer, directory)
    found = checked_sessions(sessions)
    return tuple(session for session in found if sees(session))
