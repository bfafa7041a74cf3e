"""What the benchmarks share: timing, their command line, and values built directly."""

from __future__ import annotations

import argparse
import gc
import time
from collections.abc import Callable

from programstats import (
    Attempt,
    Block,
    ClassroomSlot,
    Collaboration,
    Directory,
    Group,
    ProgramTemplate,
    Reactions,
    Registration,
    Session,
    SlotAttendance,
    User,
    block_results,
    group_results,
    learner_results,
    session_overview,
)


def best_of(runs: int, work: Callable[[], object]) -> float:
    """The fastest of ``runs`` timings of ``work``, each after a full collection."""
    times = []
    for _ in range(runs):
        gc.collect()
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return min(times)


def interleaved(runs: int, works: dict[str, Callable[[], object]]) -> dict[str, float]:
    """The fastest of ``runs`` timings of each work, taken in turns (see :func:`rounds`)."""
    return {name: min(found) for name, found in rounds(runs, works).items()}


def rounds(runs: int, works: dict[str, Callable[[], object]]) -> dict[str, list[float]]:
    """Every one of ``runs`` timings of each work, taken in turns.

    Each round times every work once (in a rotated order), so a burst of
    load on the machine hits all of them alike and the ratios stay fair.
    """
    times: dict[str, list[float]] = {name: [] for name in works}
    names = list(works)
    for round_ in range(runs):
        shift = round_ % len(names)
        for name in names[shift:] + names[:shift]:
            gc.collect()
            started = time.perf_counter()
            works[name]()
            times[name].append(time.perf_counter() - started)
    return times


def four_statistics(session: Session, directory: Directory) -> None:
    """The four session statistics the benchmarks time (facts computed inside when fresh)."""
    session_overview(session)
    learner_results(session, directory)
    group_results(session, directory)
    block_results(session)


def rebuild(session: Session) -> Session:
    """The same session built anew from the types, from values already in memory."""
    t = session.template
    c = session.collaboration
    r = c.reactions
    return Session(
        id=session.id,
        name=session.name,
        template=ProgramTemplate(id=t.id, name=t.name, description=t.description),
        author_id=session.author_id,
        start=session.start,
        end=session.end,
        blocks=[
            Block(
                id=b.id,
                title=b.title,
                kind=b.kind,
                scored=b.scored,
                examination_mode=b.examination_mode,
                passing_score=b.passing_score,
            )
            for b in session.blocks
        ],
        slots=[
            ClassroomSlot(
                id=s.id,
                block_id=s.block_id,
                title=s.title,
                start=s.start,
                end=s.end,
                duration_hours=s.duration_hours,
            )
            for s in session.slots
        ],
        instructor_ids=list(session.instructor_ids),
        group_ids=list(session.group_ids),
        catalog_group_ids=list(session.catalog_group_ids),
        registrations=[
            Registration(
                user_id=g.user_id,
                registered_at=g.registered_at,
                unregistered_at=g.unregistered_at,
                via_catalog=g.via_catalog,
            )
            for g in session.registrations
        ],
        waiting_list=list(session.waiting_list),
        attempts=[
            Attempt(
                user_id=a.user_id,
                block_id=a.block_id,
                started_at=a.started_at,
                last_activity_at=a.last_activity_at,
                time_spent=a.time_spent,
                score=a.score,
                completed=a.completed,
            )
            for a in session.attempts
        ],
        attendances=[
            SlotAttendance(user_id=d.user_id, slot_id=d.slot_id, percent=d.percent)
            for d in session.attendances
        ],
        certificate_user_ids=list(session.certificate_user_ids),
        expected_duration=session.expected_duration,
        tags=list(session.tags),
        description=session.description,
        collaboration=Collaboration(
            posts=c.posts,
            comments=c.comments,
            reactions=Reactions(
                likes=r.likes,
                learned_something=r.learned_something,
                outdated=r.outdated,
                didnt_get_it=r.didnt_get_it,
            ),
        ),
    )


def rebuild_directory(directory: Directory) -> Directory:
    """The same directory built anew from the types, from values already in memory."""
    return Directory(
        users=[
            User(
                id=u.id,
                first_name=u.first_name,
                last_name=u.last_name,
                email=u.email,
                group_ids=list(u.group_ids),
                custom_fields=dict(u.custom_fields),
                additional_information=u.additional_information,
                manager_emails=list(u.manager_emails),
                deleted_at=u.deleted_at,
                anonymized=u.anonymized,
            )
            for u in directory.users.values()
        ],
        groups=[
            Group(id=g.id, name=g.name, parent_id=g.parent_id) for g in directory.groups.values()
        ],
    )


def parser(doc: str) -> argparse.ArgumentParser:
    """A parser with the options every benchmark takes (its first line as help)."""
    found = argparse.ArgumentParser(description=doc.split("\n\n")[0])
    found.add_argument("--runs", type=int, default=3, help="timings per figure (best kept)")
    found.add_argument(
        "--absolute",
        action="store_true",
        help="also print absolute times (machine-dependent) next to the ratios",
    )
    return found


def median(values: list[float]) -> float:
    """The median of ``values`` (``statistics`` is shadowed by ``benchmarks/statistics.py``)."""
    found = sorted(values)
    middle = len(found) // 2
    return found[middle] if len(found) % 2 else (found[middle - 1] + found[middle]) / 2
