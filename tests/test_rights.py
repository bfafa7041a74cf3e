"""Hand-checked examples and invariants for who may see which sessions (SPEC §4).

The group tree used throughout::

    company                 (level 0)
    ├── sales               (level 1)
    │   └── paris           (level 2)
    │       └── paris-east  (level 3)
    └── support             (level 1)

Rights flow *down* the tree: a coach or administrator of a group sees the
sessions of that group and of every group below it, never those of a group
above it or beside it.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from programstats import (
    Block,
    BlockKind,
    Directory,
    Group,
    InvalidInputError,
    ProgramTemplate,
    Session,
    User,
    Viewer,
    can_view,
    visible_sessions,
)
from programstats.strategies import worlds

# ---------------------------------------------------------------------------------------- builders

UTC = timezone.utc
AUTHOR = "author"
TEMPLATE = ProgramTemplate(id="tpl", name="Onboarding")


def tree() -> Directory:
    """The group tree of the module docstring, an author and an instructor."""
    return Directory(
        groups=[
            Group(id="company", name="Company"),
            Group(id="sales", name="Sales", parent_id="company"),
            Group(id="paris", name="Paris", parent_id="sales"),
            Group(id="paris-east", name="Paris East", parent_id="paris"),
            Group(id="support", name="Support", parent_id="company"),
        ],
        users=[
            User(id=AUTHOR, first_name="Ada", last_name="Author", email="ada@x.org"),
            User(id="olga", first_name="Olga", last_name="Ortiz", email="olga@x.org"),
        ],
    )


def make_session(session_id: str = "s1", **overrides: Any) -> Session:
    """A March session with one course, no group and no instructor by default."""
    fields: dict[str, Any] = {
        "id": session_id,
        "name": f"Session {session_id}",
        "template": TEMPLATE,
        "author_id": AUTHOR,
        "start": datetime(2026, 3, 2, 9, tzinfo=UTC),
        "end": datetime(2026, 3, 30, 18, tzinfo=UTC),
        "blocks": (Block(id="c1", title="Course", kind=BlockKind.COURSE),),
    }
    fields.update(overrides)
    return Session(**fields)


def viewer(kind: str, *group_ids: str, user_id: str = "viewer") -> Viewer:
    """A viewer who coaches (kind="coach") or administers (kind="admin") the groups."""
    if kind == "coach":
        return Viewer(user_id=user_id, coached_group_ids=group_ids)
    return Viewer(user_id=user_id, administered_group_ids=group_ids)


def shared_with(field: str, *group_ids: str, session_id: str = "s1") -> Session:
    """A session assigned to (field="group_ids") or shared in the catalog of
    (field="catalog_group_ids") the given groups."""
    return make_session(session_id, **{field: frozenset(group_ids)})


ROLES = ("coach", "admin")
LINKS = ("group_ids", "catalog_group_ids")


# ---------------------------------------------------------------------- platform admin, instructor


def test_platform_admin_sees_a_session_without_groups_or_instructors() -> None:
    session = make_session()  # no group, no catalog, no instructor
    assert can_view(Viewer(user_id="root", platform_admin=True), session, tree()) is True


def test_platform_admin_flag_is_what_grants_the_right() -> None:
    # Same user, same session, flag off: no other path applies -> not visible.
    session = make_session()
    assert can_view(Viewer(user_id="root", platform_admin=False), session, tree()) is False


def test_instructor_of_the_session_sees_it() -> None:
    session = make_session(instructor_ids=("olga",))
    assert can_view(Viewer(user_id="olga"), session, tree()) is True


def test_instructor_of_another_session_does_not_see_this_one() -> None:
    # "olga" teaches s2, not s1; she manages no group.
    session = make_session("s1")
    assert can_view(Viewer(user_id="olga"), session, tree()) is False


def test_viewer_with_no_rights_sees_nothing() -> None:
    sessions = [
        make_session("s1"),
        shared_with("group_ids", "sales", session_id="s2"),
        shared_with("catalog_group_ids", "company", session_id="s3"),
        make_session("s4", instructor_ids=("olga",)),
    ]
    nobody = Viewer(user_id="nobody")
    assert [can_view(nobody, s, tree()) for s in sessions] == [False, False, False, False]
    assert visible_sessions(nobody, sessions, tree()) == ()


# ------------------------------------------------------------------------------------------ groups


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("link", LINKS)
def test_manager_of_the_linked_group_sees_the_session(role: str, link: str) -> None:
    # Covers: coach of the assigned group, admin of the catalog group (and the
    # two other combinations).
    session = shared_with(link, "paris")
    assert can_view(viewer(role, "paris"), session, tree()) is True


def test_coach_of_assigned_group_sees_it() -> None:
    session = shared_with("group_ids", "sales")
    assert can_view(Viewer(user_id="v", coached_group_ids={"sales"}), session, tree()) is True


def test_admin_of_catalog_group_sees_it() -> None:
    session = shared_with("catalog_group_ids", "support")
    assert (
        can_view(Viewer(user_id="v", administered_group_ids={"support"}), session, tree()) is True
    )


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("link", LINKS)
@pytest.mark.parametrize(
    "manager_group",
    [
        pytest.param("sales", id="parent"),  # paris -> sales: one level up
        pytest.param("company", id="grandparent"),  # paris -> sales -> company: two up
    ],
)
def test_manager_of_an_ancestor_sees_the_session(role: str, link: str, manager_group: str) -> None:
    # Rights flow down the tree.
    session = shared_with(link, "paris")
    assert can_view(viewer(role, manager_group), session, tree()) is True


def test_coach_of_an_ancestor_two_levels_up_sees_the_assigned_session() -> None:
    # company is the parent of sales, which is the parent of paris.
    session = shared_with("group_ids", "paris")
    assert can_view(Viewer(user_id="v", coached_group_ids={"company"}), session, tree()) is True


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("link", LINKS)
@pytest.mark.parametrize(
    "manager_group",
    [
        "paris",  # child of sales
        "paris-east",  # grandchild of sales
        "support",  # sibling of sales
    ],
)
def test_manager_of_a_child_or_sibling_group_does_not_see_it(
    role: str, link: str, manager_group: str
) -> None:
    # Rights never flow up (child -> parent) nor sideways.
    session = shared_with(link, "sales")
    assert can_view(viewer(role, manager_group), session, tree()) is False


def test_coach_of_child_group_does_not_see_session_of_parent() -> None:
    session = shared_with("group_ids", "sales")
    assert can_view(Viewer(user_id="v", coached_group_ids={"paris"}), session, tree()) is False


def test_one_matching_group_among_many_is_enough() -> None:
    # Assigned to paris-east, shared in the catalog of support.
    #   admin of paris   -> paris is the parent of paris-east -> True
    #   coach of support -> support shares it                 -> True
    #   coach of hr      -> hr is in neither branch           -> False
    session = make_session(group_ids={"paris-east"}, catalog_group_ids={"support"})
    directory = Directory(
        groups=[*tree().groups.values(), Group(id="hr", name="HR")], users=tree().users
    )
    assert can_view(viewer("admin", "paris"), session, directory) is True
    assert can_view(viewer("coach", "support"), session, directory) is True
    assert can_view(viewer("coach", "hr"), session, directory) is False


def test_coached_and_administered_groups_both_count() -> None:
    session = make_session(group_ids={"paris"}, catalog_group_ids={"support"})
    both = Viewer(user_id="v", coached_group_ids={"support"}, administered_group_ids={"hr"})
    directory = Directory(
        groups=[*tree().groups.values(), Group(id="hr", name="HR")], users=tree().users
    )
    assert can_view(both, session, directory) is True  # through the coached support
    only_admin = Viewer(user_id="v", coached_group_ids={"hr"}, administered_group_ids={"sales"})
    assert can_view(only_admin, session, directory) is True  # sales is paris' parent


# ---------------------------------------------------------------------------------- unknown groups


@pytest.mark.parametrize("role", ROLES)
def test_viewer_naming_an_unknown_group_raises(role: str) -> None:
    session = shared_with("group_ids", "sales")
    with pytest.raises(InvalidInputError, match="nowhere"):
        can_view(viewer(role, "nowhere"), session, tree())


def test_unknown_group_raises_even_when_another_path_grants_the_right() -> None:
    # An admin naming a group the directory lacks is still bad input.
    bad = Viewer(user_id="root", platform_admin=True, coached_group_ids={"nowhere"})
    with pytest.raises(InvalidInputError):
        can_view(bad, make_session(), tree())


def test_visible_sessions_raises_for_a_viewer_naming_an_unknown_group() -> None:
    sessions = [shared_with("group_ids", "sales")]
    with pytest.raises(InvalidInputError, match="nowhere"):
        visible_sessions(viewer("admin", "sales", "nowhere"), sessions, tree())


@pytest.mark.parametrize("link", LINKS)
def test_session_naming_an_unknown_group_raises(link: str) -> None:
    session = shared_with(link, "ghost")
    with pytest.raises(InvalidInputError, match="ghost"):
        can_view(viewer("coach", "company"), session, tree())


# -------------------------------------------------------------------------------- visible_sessions


def test_visible_sessions_keeps_the_input_order() -> None:
    # Given order: s3, s1, s4, s2. Viewer coaches sales:
    #   s3 assigned to paris (child of sales)  -> visible
    #   s1 in the catalog of sales             -> visible
    #   s4 assigned to support (sibling)       -> hidden
    #   s2 assigned to paris-east              -> visible
    sessions = [
        shared_with("group_ids", "paris", session_id="s3"),
        shared_with("catalog_group_ids", "sales", session_id="s1"),
        shared_with("group_ids", "support", session_id="s4"),
        shared_with("group_ids", "paris-east", session_id="s2"),
    ]
    shown = visible_sessions(viewer("coach", "sales"), sessions, tree())
    assert isinstance(shown, tuple)
    assert [s.id for s in shown] == ["s3", "s1", "s2"]
    assert shown[0] is sessions[0]


def test_visible_sessions_accepts_any_iterable() -> None:
    sessions = (shared_with("group_ids", "sales", session_id=f"s{n}") for n in (2, 1))
    shown = visible_sessions(viewer("coach", "company"), sessions, tree())
    assert [s.id for s in shown] == ["s2", "s1"]


# ------------------------------------------------------------------------------- Viewer validation


def test_viewer_rejects_an_empty_user_id() -> None:
    with pytest.raises(InvalidInputError, match="user_id"):
        Viewer(user_id="")


@pytest.mark.parametrize("flag", [1, 0, "yes", None])
def test_viewer_platform_admin_must_be_a_bool(flag: object) -> None:
    with pytest.raises(InvalidInputError, match="platform_admin"):
        Viewer(user_id="v", platform_admin=flag)  # type: ignore[arg-type]


@pytest.mark.parametrize("field", ["coached_group_ids", "administered_group_ids"])
def test_viewer_rejects_a_lone_string_as_group_ids(field: str) -> None:
    # "sales" would otherwise become {"s", "a", "l", "e"}.
    with pytest.raises(InvalidInputError, match="sales"):
        Viewer(user_id="v", **{field: "sales"})


@pytest.mark.parametrize("field", ["coached_group_ids", "administered_group_ids"])
def test_viewer_rejects_an_empty_group_id(field: str) -> None:
    with pytest.raises(InvalidInputError):
        Viewer(user_id="v", **{field: [""]})


def test_viewer_stores_group_ids_as_frozensets() -> None:
    groups = ["sales", "paris", "sales"]
    v = Viewer(user_id="v", coached_group_ids=groups, administered_group_ids=("support",))
    groups.append("company")  # no aliasing of caller data
    assert v.coached_group_ids == frozenset({"sales", "paris"})
    assert v.administered_group_ids == frozenset({"support"})
    assert v.platform_admin is False


# -------------------------------------------------------------------------------------- invariants


def walk_up(directory: Directory, group_id: str) -> set[str]:
    """The group and all its ancestors, by following parent_id by hand."""
    chain: set[str] = set()
    current: str | None = group_id
    while current is not None:
        chain.add(current)
        current = directory.groups[current].parent_id
    return chain


def expected_view(v: Viewer, session: Session, directory: Directory) -> bool:
    """SPEC §4, written independently of the library."""
    if v.platform_admin or v.user_id in session.instructor_ids:
        return True
    managed = set(v.coached_group_ids) | set(v.administered_group_ids)
    return any(
        managed & walk_up(directory, group_id)
        for group_id in session.group_ids | session.catalog_group_ids
    )


def group_sets(directory: Directory) -> st.SearchStrategy[frozenset[str]]:
    ids = sorted(directory.groups)
    return st.frozensets(st.sampled_from(ids)) if ids else st.just(frozenset())


@given(worlds(), st.data())
def test_granting_more_groups_never_hides_a_session(world: Any, data: st.DataObject) -> None:
    directory, sessions = world
    user_id = data.draw(st.sampled_from(sorted(directory.users)), label="user_id")
    admin = data.draw(st.booleans(), label="platform_admin")
    coached = data.draw(group_sets(directory), label="coached")
    administered = data.draw(group_sets(directory), label="administered")
    more_coached = data.draw(group_sets(directory), label="more_coached")
    more_administered = data.draw(group_sets(directory), label="more_administered")

    before = Viewer(
        user_id=user_id,
        platform_admin=admin,
        coached_group_ids=coached,
        administered_group_ids=administered,
    )
    after = Viewer(
        user_id=user_id,
        platform_admin=admin,
        coached_group_ids=coached | more_coached,
        administered_group_ids=administered | more_administered,
    )
    seen_before = [s.id for s in visible_sessions(before, sessions, directory)]
    seen_after = [s.id for s in visible_sessions(after, sessions, directory)]
    assert set(seen_before) <= set(seen_after)
    for session in sessions:
        if can_view(before, session, directory):
            assert can_view(after, session, directory)


@given(worlds(), st.data())
def test_can_view_matches_the_rule_and_visible_sessions_keeps_order(
    world: Any, data: st.DataObject
) -> None:
    directory, sessions = world
    v = Viewer(
        user_id=data.draw(st.sampled_from(sorted(directory.users)), label="user_id"),
        platform_admin=data.draw(st.booleans(), label="platform_admin"),
        coached_group_ids=data.draw(group_sets(directory), label="coached"),
        administered_group_ids=data.draw(group_sets(directory), label="administered"),
    )
    order = data.draw(st.permutations(sessions), label="order")
    expected = [s.id for s in order if expected_view(v, s, directory)]
    assert [can_view(v, s, directory) for s in order] == [
        expected_view(v, s, directory) for s in order
    ]
    assert [s.id for s in visible_sessions(v, order, directory)] == expected
