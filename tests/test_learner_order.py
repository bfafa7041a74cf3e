"""The learner order a session's facts keep: sorted once, never stale.

The individual results and the per-learner export both list learners by
last name, first name (case-folded), then user id. The facts keep that
order for the last directory they were asked about; another directory
(other names) must get its own order.
"""

from __future__ import annotations

import gc
from datetime import datetime, timezone

import attrs

from programstats import Directory, ExportOptions, learner_export, learner_results
from programstats.examples import tiny_directory, tiny_session
from programstats.facts import facts_of


def renamed(directory: Directory, names: dict[str, str]) -> Directory:
    """The directory with these users' last names changed."""
    users = [
        attrs.evolve(user, last_name=names.get(user.id, user.last_name))
        for user in directory.users.values()
    ]
    return Directory(users=users, groups=list(directory.groups.values()))


def export_last_names(session, directory) -> list[str]:
    return [row[0] for row in learner_export([session], directory).rows]


def test_results_and_export_share_one_sort_of_the_learners() -> None:
    session, directory = tiny_session(), tiny_directory()
    results = learner_results(session, directory)
    order = facts_of(session).learner_order(directory)
    assert [r.last_name for r in results] == ["Alves", "Brown", "Chen", "Diaz"]
    assert export_last_names(session, directory) == ["Alves", "Brown", "Chen", "Diaz"]
    assert facts_of(session).learner_order(directory) is order


def test_another_directory_gets_its_own_order() -> None:
    session, first = tiny_session(), tiny_directory()
    assert learner_results(session, first)[0].last_name == "Alves"
    ids = [r.user_id for r in learner_results(session, first)]
    # Reverse the names: the cached order of the first directory is now wrong.
    second = renamed(first, {ids[0]: "Zed", ids[1]: "Young", ids[2]: "Xu", ids[3]: "Ware"})
    assert [r.last_name for r in learner_results(session, second)] == [
        "Ware",
        "Xu",
        "Young",
        "Zed",
    ]
    assert export_last_names(session, second) == ["Ware", "Xu", "Young", "Zed"]
    # And back: the first directory is sorted by its own names again.
    assert export_last_names(session, first) == ["Alves", "Brown", "Chen", "Diaz"]
    assert learner_results(session, first)[0].last_name == "Alves"


def test_an_order_does_not_outlive_its_directory() -> None:
    """The facts hold their directory weakly: a new directory at the same
    address is not mistaken for the old one."""
    session = tiny_session()
    learner_results(session, tiny_directory())  # that directory is garbage now
    gc.collect()
    kept = facts_of(session).order_kept
    assert kept is not None and kept[0]() is None
    fresh = renamed(tiny_directory(), {"ana": "Zed"})
    assert [r.last_name for r in learner_results(session, fresh)][-1] == "Zed"


def test_activity_filter_keeps_the_order_of_the_results() -> None:
    session, directory = tiny_session(), tiny_directory()
    everyone = export_last_names(session, directory)
    window = (datetime(2000, 1, 1, tzinfo=timezone.utc), datetime(2100, 1, 1, tzinfo=timezone.utc))
    options = ExportOptions(activity_between=window)
    active = [row[0] for row in learner_export([session], directory, options).rows]
    assert 0 < len(active) < len(everyone)
    assert active == [name for name in everyone if name in active]
    assert active == sorted(active)
