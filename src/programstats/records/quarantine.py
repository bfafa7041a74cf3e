"""Quarantine: build what is valid, name what is not, and leave out what depends on it.

:func:`build_directory` keeps the valid users and groups of a directory
record; :class:`SessionBuilder` builds one session record child by child.
Each leaves out the smallest record that is wrong -- an attempt, an
attendance, a registration, a slot, a block, a user, a group, a session,
or one entry of an array of ids -- then whatever no longer holds together
without it, and names each left-out record in the :class:`~.problems.Sink`:
the cause first, then one problem per consequence.

Both run only for input that the fast path refused: valid input never
comes here. Their cost is linear in records, groups (in any order, chains
and cycles included) and problems.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, TypeVar

import attrs

from .._checks import short, text_problem
from .._jsonpath import index, member
from ..directory import Directory, Group, User
from ..errors import InvalidInputError
from ..session import (
    Attempt,
    Block,
    BlockKind,
    ClassroomSlot,
    Registration,
    Session,
    SlotAttendance,
)
from .format import CHILDREN, ID_LISTS, absent, as_mapping
from .problems import Out, Sink
from .structuring import Structurer

__all__ = ["Context", "SessionBuilder", "build_directory", "items"]

_T = TypeVar("_T")


@attrs.define
class Context:
    """What the directory says about the ids that sessions name."""

    users: Mapping[str, object] | None = None  # None: no directory to check against
    groups: Mapping[str, object] | None = None
    directory: Directory | None = None
    users_out: dict[str, Out] = attrs.Factory(dict)
    groups_out: dict[str, Out] = attrs.Factory(dict)


def items(value: Any, what_: str, path: str, owner: str, sink: Sink) -> list[Any] | None:
    """The entries of an array field (``[]`` for nothing); None after a problem if not an array."""
    if absent(value):
        return []
    if isinstance(value, (str, bytes, Mapping)) or not isinstance(value, Iterable):
        sink.add(path, f"{owner}: {what_} must be an array, got {type(value).__name__}")
        return None
    return list(value)


def _raw_id(record: Any, key: str) -> str | None:
    """The id of a record that could not be structured, when it has a usable one."""
    found = as_mapping(record)
    value = found.get(key) if found is not None else None
    return value if type(value) is str and value else None


# --------------------------------------------------------------------------- directories


def build_directory(
    structurer: Structurer,
    groups: Any,
    users: Any,
    paths: tuple[str, str],
    sink: Sink,
    built: tuple[list[Any] | None, list[Any] | None] = (None, None),
) -> tuple[Directory, Context]:
    """The directory of what is valid, and the context sessions are checked against.

    ``built`` holds the values of the groups and of the users when every
    record of the array is valid on its own (the fast path built them),
    else None: those records are not structured again.
    """
    context = Context(users={}, groups={})
    kept_groups = _unique(
        structurer, Group, groups, paths[0], context.groups_out, sink, built=built[0]
    )
    _prune_groups(kept_groups, context, sink)

    def known_groups(user: User, where: str, raw: Any) -> User:
        if user.group_ids <= kept_groups.keys():
            return user
        return _user_groups(user, where, raw, kept_groups, context, sink)

    kept_users = _unique(
        structurer, User, users, paths[1], context.users_out, sink, known_groups, built[1]
    )
    directory = Directory(
        users=[u for _, u in kept_users.values()], groups=[g for _, g in kept_groups.values()]
    )
    context.users = directory.users
    context.groups = directory.groups
    context.directory = directory
    return directory, context


def _unique(
    structurer: Structurer,
    cls: type[_T],
    value: Any,
    path: str,
    left_out: dict[str, Out],
    sink: Sink,
    adjust: Callable[[Any, str, Any], Any] | None = None,
    built: list[Any] | None = None,
) -> dict[str, tuple[str, _T]]:
    """The valid records of a directory array by id, each with its path, each id once.

    A record that cannot be built is named in ``left_out`` under its id (when
    it has a usable one), unless a valid record has that id. ``adjust(value,
    path, record)`` gives what is kept of each first-seen valid value.
    """
    noun = cls.__name__.lower()
    kept: dict[str, tuple[str, Any]] = {}
    for number, item in enumerate(items(value, f"{noun}s", path, "directory", sink) or ()):
        where = index(path, number)
        found = built[number] if built is not None else structurer.one(cls, item, where, sink)
        if found is None:
            ident = _raw_id(item, "id")
            if ident is not None:
                left_out.setdefault(ident, Out(f"{noun} {short(ident, 40)}", where))
            continue
        if found.id in kept:
            sink.add(
                member(where, "id"),
                f"Directory: {cls.__name__} id {short(found.id, 40)} appears twice; "
                "ids must be unique",
                found.id,
            )
            continue
        kept[found.id] = (where, found if adjust is None else adjust(found, where, item))
    for ident in kept:
        left_out.pop(ident, None)
    return kept


def _prune_groups(kept: dict[str, tuple[str, Group]], context: Context, sink: Sink) -> None:
    """Leave out groups whose parent is unknown, left out or on a cycle, and those cycles.

    Linear in the number of groups whatever their order: each group is
    looked at a bounded number of times.
    """
    children: dict[str, list[str]] = {}
    for gid, (_, group) in kept.items():
        if group.parent_id is not None:
            children.setdefault(group.parent_id, []).append(gid)
    out: list[str] = []  # left out, in the order found: causes, then their descendants
    # Groups whose parent is missing or was left out while being read.
    for gid, (where, group) in kept.items():
        parent = group.parent_id
        if parent is None or parent in kept:
            continue
        reason = context.groups_out.get(parent)
        if reason is not None:
            sink.left_out(where, reason, gid)
        else:
            sink.add(
                member(where, "parent_id"),
                f"Group {short(gid, 40)}: parent_id {short(parent, 40)} is not a group of "
                "the directory",
                gid,
            )
        out.append(gid)
    # Cycles: follow parents from each group not yet placed; each group is walked once.
    state: dict[str, int] = dict.fromkeys(out, 2)
    for start in kept:
        trail: list[str] = []
        current: str | None = start
        while current is not None and current in kept and current not in state:
            state[current] = 1
            trail.append(current)
            current = kept[current][1].parent_id
        if current is not None and state.get(current) == 1:
            cycle = trail[trail.index(current) :]
            text = " -> ".join(short(gid, 20) for gid in [*cycle[:4], current])
            if len(cycle) > 4:
                text = f"{len(cycle)} groups: {text} ..."
            for gid in cycle:
                where = kept[gid][0]
                sink.add(
                    member(where, "parent_id"),
                    f"Group {short(gid, 40)}: is its own ancestor (cycle {text}); break the cycle",
                    gid,
                )
                out.append(gid)
        for gid in trail:
            state[gid] = 2
    # Everything below a left-out group goes too, each naming its parent.
    queue = list(out)
    for gid in queue:
        context.groups_out[gid] = Out(f"group {short(gid, 40)}", kept[gid][0])
    gone = set(out)
    for gid in queue:
        for child in children.get(gid, ()):
            if child in gone:
                continue
            gone.add(child)
            where = kept[child][0]
            sink.left_out(where, context.groups_out[gid], child)
            context.groups_out[child] = Out(f"group {short(child, 40)}", where)
            queue.append(child)
    for gid in gone:
        del kept[gid]


def _user_groups(
    user: User,
    where: str,
    raw: Any,
    groups: Mapping[str, object],
    context: Context,
    sink: Sink,
) -> User:
    """The user without the group ids the directory does not have (each a problem).

    Each entry left out is named by its index in the record's ``group_ids``.
    """
    record = as_mapping(raw)
    given = record.get("group_ids") if record is not None else None
    entries = list(given) if isinstance(given, (list, tuple)) else sorted(user.group_ids)
    base = member(where, "group_ids")
    keep = []
    for number, gid in enumerate(entries):
        if gid in keep or gid not in user.group_ids:
            continue
        out = context.groups_out.get(gid)
        if gid in groups:
            keep.append(gid)
        elif out is not None:
            sink.left_out(index(base, number), out, user.id)
        else:
            sink.add(
                index(base, number),
                f"User {short(user.id, 40)}: group_ids names {short(gid, 40)}, "
                "not a group of the directory",
                user.id,
            )
    if len(keep) == len(user.group_ids):
        return user
    return attrs.evolve(user, group_ids=keep)


# --------------------------------------------------------------------------- sessions

_Child = tuple[str, Any, Any]  # path, raw record, value (None when it could not be built)


class SessionBuilder:
    """Structures one session record, child by child, and leaves out what is wrong."""

    def __init__(
        self,
        structurer: Structurer,
        record: Mapping[str, Any],
        path: str,
        child_paths: Mapping[str, Sequence[str]] | None,
        context: Context,
        sink: Sink,
    ) -> None:
        self.structurer = structurer
        self.spec = structurer.rules.specs[Session]
        self.record = record
        self.path = path
        self.child_paths = child_paths
        self.context = context
        self.sink = sink
        rid = record.get("id")
        self.rid = rid if type(rid) is str and rid else None
        self.owner = "Session" if self.rid is None else f"Session {short(self.rid, 40)}"
        self.dead = False  # the session itself is left out

    def problem(self, path: str, message: str, record_id: str | None = None) -> None:
        self.sink.add(path, f"{self.owner}: {message}", record_id)

    def left_out(self, path: str, out: Out, record_id: str | None) -> None:
        self.sink.left_out(path, out, record_id)

    def child_path(self, field: str, number: int) -> str:
        if self.child_paths is not None:
            return self.child_paths[field][number]
        return index(member(self.path, field), number)

    def children(self, field: str, cls: type) -> list[_Child]:
        """(path, raw record, value or None) of each child record of an array field."""
        raw = self.record.get(field)
        if field == "blocks" and absent(raw):  # the one array without a default
            shown = "is missing" if field not in self.record else f"is {short(raw)}"
            self.problem(member(self.path, "blocks"), f"blocks {shown}; it is required")
            self.dead = True
            return []
        found = items(raw, field, member(self.path, field), self.owner, self.sink)
        if found is None:
            self.dead = True
            return []
        values = self.structurer.quick_many(cls, found)
        if values is not None:
            return [
                (self.child_path(field, number), item, value)
                for number, (item, value) in enumerate(zip(found, values, strict=True))
            ]
        result = []
        for number, item in enumerate(found):
            where = self.child_path(field, number)
            result.append((where, item, self.structurer.one(cls, item, where, self.sink)))
        return result

    def build(self, blocks_out: Mapping[str, Out] | None = None) -> Session | None:
        """The session of what is valid; None when the session itself is left out.

        ``blocks_out`` names blocks already left out (by their ids): what
        names them is left out too.
        """
        self.structurer.unknown_keys(self.spec, self.record, self.path, self.sink)
        scalars = self.scalars()
        lists = {name: self.id_list(name) for name in sorted(ID_LISTS & self.spec.names)}
        kinds, blocks_out, blocks = self.blocks(blocks_out or {})
        slot_ids, slots_out, slots = self.slots(kinds, blocks_out)
        registered, regs_out, registrations = self.registrations()
        waiting = self.waiting(lists["waiting_list"], registrations)
        instructors = self.users_named(lists["instructor_ids"], "instructor_ids", "instructor")
        group_lists = {
            name: self.groups_named(lists[name], name)
            for name in ("group_ids", "catalog_group_ids")
        }
        attempts = self.attempts(kinds, blocks_out, registered, regs_out)
        attendances = self.attendances(slot_ids, slots_out, registered, regs_out)
        certificates = self.certificates(lists["certificate_user_ids"], registered, regs_out)
        self.author(scalars)
        if self.dead or scalars is None:
            return None
        try:
            return Session(
                **scalars,
                blocks=blocks,
                slots=slots,
                registrations=registrations,
                attempts=attempts,
                attendances=attendances,
                waiting_list=[v for _, v in waiting],
                instructor_ids=[v for _, v in instructors],
                group_ids=[v for _, v in group_lists["group_ids"]],
                catalog_group_ids=[v for _, v in group_lists["catalog_group_ids"]],
                certificate_user_ids=[v for _, v in certificates],
                tags=[v for _, v in lists["tags"]],
            )
        except InvalidInputError as error:  # a rule this layer does not know of
            self.sink.add(self.path, str(error), self.rid)
            return None

    # -- the session's own fields

    def scalars(self) -> dict[str, Any] | None:
        fields = tuple(
            f for f in self.spec.fields if f.name not in CHILDREN and f.name not in ID_LISTS
        )
        values = self.structurer.values(self.spec, self.record, self.path, self.sink, fields)
        if values is None:
            self.dead = True
            return None
        try:
            Session(**{**self.spec.probe, **values})
        except InvalidInputError as error:
            self.structurer.diagnose(self.spec, self.record, self.path, self.sink, error)
            self.dead = True
            return None
        return values

    def id_list(self, field: str) -> list[tuple[str, Any]]:
        """(path, entry) of the valid entries of an array of ids (or of tags)."""
        base = member(self.path, field)
        found = items(self.record.get(field), field, base, self.owner, self.sink)
        if found is None:
            self.dead = True
            return []
        kept = []
        for number, entry in enumerate(found):
            where = index(base, number)
            problem = text_problem(entry)
            if problem is None and not entry and field != "tags":
                problem = "must be a non-empty identifier"
            if problem is not None:
                self.problem(where, f"{field} entry {problem}", self.rid)
                continue
            kept.append((where, entry))
        return kept

    def author(self, scalars: dict[str, Any] | None) -> None:
        author = self.record.get("author_id")
        if scalars is None or self.context.users is None or type(author) is not str:
            return
        out = self.context.users_out.get(author)
        if out is not None:
            self.left_out(self.path, out, self.rid)
            self.dead = True
        elif author not in self.context.users:
            self.problem(
                member(self.path, "author_id"),
                f"author {short(author, 40)} is not a user of the directory",
                self.rid,
            )
            self.dead = True

    def users_named(
        self, entries: list[tuple[str, Any]], field: str, role: str
    ) -> list[tuple[str, Any]]:
        kept, seen = [], set()
        for where, user_id in entries:
            if not self.user_known(where, user_id, role):
                continue
            if user_id in seen:
                message = (
                    "instructor_ids lists a user twice"
                    if field == "instructor_ids"
                    else f"user {short(user_id, 40)} is on the waiting list twice"
                )
                self.problem(where, message, self.rid)
                continue
            seen.add(user_id)
            kept.append((where, user_id))
        return kept

    def user_known(self, where: str, user_id: str, role: str, field: str = "") -> bool:
        """False (after a problem) when the directory left the user out or lacks it."""
        users = self.context.users
        if users is None:
            return True
        out = self.context.users_out.get(user_id)
        if out is not None:
            self.left_out(where, out, user_id)
            return False
        if user_id not in users:
            self.problem(
                member(where, field) if field else where,
                f"{role} {short(user_id, 40)} is not a user of the directory",
                user_id,
            )
            return False
        return True

    def groups_named(self, entries: list[tuple[str, Any]], field: str) -> list[tuple[str, Any]]:
        groups = self.context.groups
        if groups is None:
            return entries
        kept = []
        for where, group_id in entries:
            out = self.context.groups_out.get(group_id)
            if out is not None:
                self.left_out(where, out, group_id)
            elif group_id not in groups:
                self.problem(
                    where,
                    f"{field} names {short(group_id, 40)}, not a group of the directory",
                    group_id,
                )
            else:
                kept.append((where, group_id))
        return kept

    # -- children

    def blocks(
        self, left_out: Mapping[str, Out]
    ) -> tuple[dict[str, BlockKind], dict[str, Out], list[Block]]:
        kinds: dict[str, BlockKind] = {}
        out: dict[str, Out] = dict(left_out)
        kept = []
        for where, raw, block in self.children("blocks", Block):
            if block is None:
                bid = _raw_id(raw, "id")
                if bid is not None:
                    out.setdefault(bid, Out(f"block {short(bid, 40)}", where))
                continue
            if block.id in kinds:
                self.problem(
                    member(where, "id"),
                    f"block id {short(block.id, 40)} appears twice; block ids must be unique",
                    block.id,
                )
                continue
            kinds[block.id] = block.kind
            kept.append(block)
        for bid in kinds:
            out.pop(bid, None)
        return kinds, out, kept

    def slots(
        self, kinds: dict[str, BlockKind], blocks_out: dict[str, Out]
    ) -> tuple[set[str], dict[str, Out], list[ClassroomSlot]]:
        ids: set[str] = set()
        out: dict[str, Out] = {}
        kept = []
        for where, raw, slot in self.children("slots", ClassroomSlot):
            if slot is None:
                sid = _raw_id(raw, "id")
                if sid is not None:
                    out.setdefault(sid, Out(f"slot {short(sid, 40)}", where))
                continue
            why = _slot_problem(slot, ids, kinds)
            block_out = blocks_out.get(slot.block_id)
            if block_out is not None and slot.block_id not in kinds:
                self.left_out(where, block_out, slot.id)
            elif why is not None:
                self.problem(member(where, why[0]), why[1], slot.id)
            else:
                ids.add(slot.id)
                kept.append(slot)
                continue
            out.setdefault(slot.id, Out(f"slot {short(slot.id, 40)}", where))
        for sid in ids:
            out.pop(sid, None)
        return ids, out, kept

    def registrations(self) -> tuple[set[str], dict[str, Out], list[Registration]]:
        registered: set[str] = set()
        out: dict[str, Out] = {}
        kept = []
        for where, raw, registration in self.children("registrations", Registration):
            if registration is None:
                uid = _raw_id(raw, "user_id")
                if uid is not None:
                    out.setdefault(uid, Out(f"the registration of user {short(uid, 40)}", where))
                continue
            uid = registration.user_id
            if not self.user_known(where, uid, "registration", "user_id"):
                out.setdefault(uid, Out(f"the registration of user {short(uid, 40)}", where))
                continue
            if uid in registered:
                self.problem(where, f"user {short(uid, 40)} has two registrations; keep one", uid)
                continue
            registered.add(uid)
            kept.append(registration)
        for uid in registered:
            out.pop(uid, None)
        return registered, out, kept

    def waiting(
        self, entries: list[tuple[str, Any]], registrations: list[Registration]
    ) -> list[tuple[str, Any]]:
        active = {r.user_id for r in registrations if r.unregistered_at is None}
        kept = []
        for where, user_id in self.users_named(entries, "waiting_list", "waiting list entry"):
            if user_id in active:
                self.problem(
                    where,
                    f"user {short(user_id, 40)} is both on the waiting list and registered; "
                    "remove one of the two",
                    user_id,
                )
                continue
            kept.append((where, user_id))
        return kept

    def no_registration(
        self, where: str, user_id: str, regs_out: dict[str, Out], message: str
    ) -> None:
        out = regs_out.get(user_id) or self.context.users_out.get(user_id)
        if out is not None:
            self.left_out(where, out, user_id)
        else:
            self.problem(where, message, user_id)

    def attempts(
        self,
        kinds: dict[str, BlockKind],
        blocks_out: dict[str, Out],
        registered: set[str],
        regs_out: dict[str, Out],
    ) -> list[Attempt]:
        kept = []
        for where, _, attempt in self.children("attempts", Attempt):
            if attempt is None:
                continue
            kind = kinds.get(attempt.block_id)
            label = (
                f"attempt of user {short(attempt.user_id, 40)} "
                f"on block {short(attempt.block_id, 40)}"
            )
            if kind is not None and kind is not BlockKind.CLASSROOM:
                if attempt.user_id in registered:
                    kept.append(attempt)
                else:
                    self.no_registration(
                        where, attempt.user_id, regs_out, f"{label}: the user has no registration"
                    )
            elif kind is None and attempt.block_id in blocks_out:
                self.left_out(where, blocks_out[attempt.block_id], attempt.user_id)
            elif kind is None:
                self.problem(
                    member(where, "block_id"),
                    f"{label}: the block is not a block of the session",
                    attempt.user_id,
                )
            else:
                self.problem(
                    member(where, "block_id"),
                    f"{label}: attempts are for courses and assessments; record classroom "
                    "presence as a SlotAttendance",
                    attempt.user_id,
                )
        return kept

    def attendances(
        self,
        slot_ids: set[str],
        slots_out: dict[str, Out],
        registered: set[str],
        regs_out: dict[str, Out],
    ) -> list[SlotAttendance]:
        kept = []
        seen: set[tuple[str, str]] = set()
        for where, _, attendance in self.children("attendances", SlotAttendance):
            if attendance is None:
                continue
            uid, sid = attendance.user_id, attendance.slot_id
            label = f"attendance of user {short(uid, 40)} on slot {short(sid, 40)}"
            if sid not in slot_ids:
                if sid in slots_out:
                    self.left_out(where, slots_out[sid], uid)
                else:
                    self.problem(
                        member(where, "slot_id"),
                        f"{label}: the slot is not a slot of the session",
                        uid,
                    )
            elif uid not in registered:
                self.no_registration(where, uid, regs_out, f"{label}: the user has no registration")
            elif (uid, sid) in seen:
                self.problem(where, f"{label}: given twice; keep one", uid)
            else:
                seen.add((uid, sid))
                kept.append(attendance)
        return kept

    def certificates(
        self, entries: list[tuple[str, Any]], registered: set[str], regs_out: dict[str, Out]
    ) -> list[tuple[str, Any]]:
        kept = []
        for where, user_id in entries:
            if user_id in registered:
                kept.append((where, user_id))
            else:
                self.no_registration(
                    where,
                    user_id,
                    regs_out,
                    f"certificate of user {short(user_id, 40)}: the user has no registration",
                )
        return kept


def _slot_problem(
    slot: ClassroomSlot, ids: set[str], kinds: dict[str, BlockKind]
) -> tuple[str, str] | None:
    if slot.id in ids:
        return "id", f"slot id {short(slot.id, 40)} appears twice; slot ids must be unique"
    kind = kinds.get(slot.block_id)
    label = f"slot {short(slot.id, 40)} names block {short(slot.block_id, 40)}"
    if kind is None:
        return "block_id", f"{label}, which is not a block of the session"
    if kind is not BlockKind.CLASSROOM:
        return "block_id", f"{label}, of kind {kind.name}; slots belong to CLASSROOM blocks"
    return None
