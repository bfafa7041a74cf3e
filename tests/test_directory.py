"""Construction rules of Group, User and Directory (SPEC §1).

Every negative test first builds the otherwise-valid value, then changes the
one thing that breaks the rule. Rejections are ``InvalidInputError`` whose
message names the type, the offending id and the rule.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from typing import Any

import attrs
import pytest

from programstats import Directory, Group, InvalidInputError, User
from programstats._checks import FrozenMap
from programstats.examples import tiny_directory, tiny_session
from programstats.session_stats import group_results, learner_results

UTC = timezone.utc
DELETED = datetime(2026, 3, 5, 12, 0, tzinfo=UTC)
NUL = "bad\x00text"
SURROGATE = "bad\ud800text"
BAD_TEXTS = [pytest.param(NUL, id="nul"), pytest.param(SURROGATE, id="surrogate")]
BAD_TEXT_WORDS = r"(NUL|surrogate)"


def rx(*parts: str) -> str:
    """A regex matching every literal part, in order, anything in between."""
    return ".*".join(re.escape(part) for part in parts)


# ---------------------------------------------------------------- builders


def valid_group(**overrides: Any) -> Group:
    fields: dict[str, Any] = {"id": "g1", "name": "Sales"}
    fields.update(overrides)
    return Group(**fields)


def valid_user(**overrides: Any) -> User:
    fields: dict[str, Any] = {
        "id": "u1",
        "first_name": "Ana",
        "last_name": "Alves",
        "email": "ana@example.com",
        "group_ids": ["paris"],
        "custom_fields": {"Team": "North", "Badge": "42"},
        "additional_information": "Prefers mornings",
        "manager_emails": ["boss@example.com"],
        "deleted_at": None,
        "anonymized": False,
    }
    fields.update(overrides)
    return User(**fields)


def tree_groups() -> list[Group]:
    """company <- sales <- paris, and a second root, hr."""
    return [
        Group(id="company", name="Company"),
        Group(id="sales", name="Sales", parent_id="company"),
        Group(id="paris", name="Paris", parent_id="sales"),
        Group(id="hr", name="HR"),
    ]


def directory_users() -> list[User]:
    return [
        valid_user(),
        valid_user(id="u2", first_name="Bob", email="bob@example.com", group_ids=["hr"]),
        valid_user(id="u3", first_name="Cleo", group_ids=[], custom_fields={}),
    ]


def valid_directory(**overrides: Any) -> Directory:
    fields: dict[str, Any] = {"users": directory_users(), "groups": tree_groups()}
    fields.update(overrides)
    return Directory(**fields)


def assert_rejected(build: Any, match: str, **overrides: Any) -> None:
    """``build()`` is valid; ``build(**overrides)`` raises InvalidInputError."""
    build()
    with pytest.raises(InvalidInputError, match=match):
        build(**overrides)


# ------------------------------------------------------------ valid values


def test_valid_values_construct() -> None:
    group = valid_group(parent_id="company")
    assert group.parent_id == "company"
    user = valid_user(deleted_at=DELETED, anonymized=True)
    assert user.deleted_at == DELETED
    assert user.anonymized is True
    directory = valid_directory()
    assert set(directory.users) == {"u1", "u2", "u3"}
    assert set(directory.groups) == {"company", "sales", "paris", "hr"}
    assert directory.users["u2"].first_name == "Bob"


def test_user_defaults() -> None:
    user = User(id="u9", first_name="Dan", last_name="Diaz", email="dan@example.com")
    assert user.group_ids == frozenset()
    assert dict(user.custom_fields) == {}
    assert user.additional_information == ""
    assert user.manager_emails == ()
    assert user.deleted_at is None
    assert user.anonymized is False
    assert Group(id="g9", name="Nine").parent_id is None
    assert dict(Directory().users) == {}
    assert dict(Directory().groups) == {}


def test_values_are_frozen_and_keyword_only() -> None:
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        valid_user().email = "other@example.com"  # type: ignore[misc]
    with pytest.raises(TypeError):
        Group("g1", "Sales")  # type: ignore[misc]


def test_user_collections_are_stored_immutably_without_aliasing() -> None:
    groups = ["paris"]
    managers = ["boss@example.com"]
    custom = {"Team": "North"}
    user = valid_user(group_ids=groups, manager_emails=managers, custom_fields=custom)
    groups.append("hr")
    managers.append("other@example.com")
    custom["Team"] = "South"
    custom["New"] = "Field"
    assert user.group_ids == frozenset({"paris"})
    assert isinstance(user.group_ids, frozenset)
    assert user.manager_emails == ("boss@example.com",)
    assert isinstance(user.manager_emails, tuple)
    assert dict(user.custom_fields) == {"Team": "North"}


def test_user_custom_fields_are_read_only() -> None:
    user = valid_user()
    with pytest.raises(TypeError):
        user.custom_fields["Team"] = "South"  # type: ignore[index]
    with pytest.raises((TypeError, AttributeError)):
        del user.custom_fields["Team"]  # type: ignore[attr-defined]
    assert user.custom_fields["Team"] == "North"


def test_users_and_groups_are_hashable_and_equal_by_value() -> None:
    first, second = valid_user(), valid_user(custom_fields={"Badge": "42", "Team": "North"})
    assert first == second
    assert hash(first) == hash(second)
    assert hash(first.custom_fields) == hash(second.custom_fields)
    assert len({first, second}) == 1
    assert first != valid_user(custom_fields={"Team": "South", "Badge": "42"})
    assert valid_group() == valid_group()
    assert hash(valid_group()) == hash(valid_group())
    assert valid_directory() == valid_directory()
    assert hash(valid_directory()) == hash(valid_directory())


def test_directory_is_stored_read_only() -> None:
    users = directory_users()
    directory = valid_directory(users=users)
    users.append(valid_user(id="u4"))
    assert set(directory.users) == {"u1", "u2", "u3"}
    with pytest.raises(TypeError):
        directory.users["u4"] = valid_user(id="u4")  # type: ignore[index]
    with pytest.raises(TypeError):
        directory.groups["x"] = valid_group(id="x")  # type: ignore[index]


def test_directory_accepts_mappings_keyed_by_id() -> None:
    directory = Directory(
        users={user.id: user for user in directory_users()},
        groups={group.id: group for group in tree_groups()},
    )
    assert directory == valid_directory()
    assert directory.level("paris") == 2


# ----------------------------------------------------- level / ancestors


def test_directory_level_and_ancestors() -> None:
    directory = valid_directory()
    assert directory.level("company") == 0
    assert directory.level("hr") == 0
    assert directory.level("sales") == 1
    assert directory.level("paris") == 2
    assert directory.ancestors("paris") == ("paris", "sales", "company")
    assert directory.ancestors("company") == ("company",)
    assert directory.user("u2").first_name == "Bob"
    assert directory.group("sales").name == "Sales"


def test_levels_do_not_depend_on_the_order_of_groups() -> None:
    directory = valid_directory(groups=list(reversed(tree_groups())))
    assert directory.level("paris") == 2
    assert directory.ancestors("paris") == ("paris", "sales", "company")


@pytest.mark.parametrize("method", ["level", "ancestors", "group"])
@pytest.mark.parametrize("group_id", ["nowhere", "", None, ["paris"]])
def test_directory_unknown_group_raises(method: str, group_id: Any) -> None:
    directory = valid_directory()
    getattr(directory, method)("paris")
    with pytest.raises(
        InvalidInputError, match=rx("Group", repr(group_id), "not in the directory")
    ):
        getattr(directory, method)(group_id)


@pytest.mark.parametrize("user_id", ["nowhere", "", None, ["u1"]])
def test_directory_unknown_user_raises(user_id: Any) -> None:
    directory = valid_directory()
    directory.user("u1")
    with pytest.raises(InvalidInputError, match=rx("User", repr(user_id), "not in the directory")):
        directory.user(user_id)


# ------------------------------------------------------- Directory rules


def test_directory_duplicate_user_ids_are_rejected() -> None:
    users = [*directory_users(), valid_user(id="u2", first_name="Other")]
    assert_rejected(valid_directory, rx("User", "'u2'", "twice"), users=users)


def test_directory_duplicate_equal_users_are_rejected_too() -> None:
    users = [*directory_users(), valid_user()]
    assert_rejected(valid_directory, rx("User", "'u1'", "twice"), users=users)


def test_directory_duplicate_group_ids_are_rejected() -> None:
    groups = [*tree_groups(), Group(id="sales", name="Sales again")]
    assert_rejected(valid_directory, rx("Group", "'sales'", "twice"), groups=groups)


def test_directory_parent_naming_unknown_group_is_rejected() -> None:
    groups = [*tree_groups(), Group(id="lyon", name="Lyon", parent_id="nowhere")]
    valid_directory(groups=[*tree_groups(), Group(id="lyon", name="Lyon", parent_id="sales")])
    with pytest.raises(
        InvalidInputError, match=rx("Group 'lyon'", "parent_id 'nowhere'", "not a group")
    ):
        valid_directory(groups=groups)


def test_directory_user_group_naming_unknown_group_is_rejected() -> None:
    users = [*directory_users(), valid_user(id="u4", group_ids=["paris", "nowhere"])]
    valid_directory(users=[*directory_users(), valid_user(id="u4", group_ids=["paris", "hr"])])
    with pytest.raises(
        InvalidInputError, match=rx("User 'u4'", "group_ids", "'nowhere'", "not a group")
    ):
        valid_directory(users=users)


def test_directory_self_parent_is_a_cycle() -> None:
    groups = [*tree_groups(), Group(id="loop", name="Loop", parent_id="loop")]
    valid_directory(groups=[*tree_groups(), Group(id="loop", name="Loop", parent_id="hr")])
    with pytest.raises(InvalidInputError, match=rx("Group 'loop'", "cycle")):
        valid_directory(groups=groups)


def cycle_groups() -> list[Group]:
    """``tail`` hangs below a 3-cycle a -> b -> c -> a; listed first on purpose."""
    return [
        Group(id="tail", name="Tail", parent_id="a"),
        Group(id="a", name="A", parent_id="b"),
        Group(id="b", name="B", parent_id="c"),
        Group(id="c", name="C", parent_id="a"),
    ]


def test_directory_three_group_cycle_is_rejected() -> None:
    broken = [Group(id="c", name="C", parent_id="hr") if g.id == "c" else g for g in cycle_groups()]
    valid_directory(groups=[*tree_groups(), *broken])
    with pytest.raises(InvalidInputError, match=r"Group '(a|b|c)'.*cycle") as caught:
        valid_directory(groups=[*tree_groups(), *cycle_groups()])
    assert "tail" not in str(caught.value).split(":")[0]


@pytest.mark.parametrize("order", [[0, 1, 2, 3], [3, 2, 1, 0], [2, 0, 3, 1]])
def test_directory_cycle_is_found_whatever_the_order(order: list[int]) -> None:
    groups = [cycle_groups()[i] for i in order]
    with pytest.raises(InvalidInputError, match=r"Group '(a|b|c)'.*cycle"):
        Directory(groups=groups)


@pytest.mark.parametrize(
    ("field", "entry", "kind"),
    [
        ("users", "u1", "User"),
        ("users", Group(id="u9", name="Not a user"), "User"),
        ("users", None, "User"),
        ("groups", "g1", "Group"),
        ("groups", {"id": "g9", "name": "Dict"}, "Group"),
    ],
)
def test_directory_entry_of_the_wrong_type_is_rejected(
    field: str, entry: object, kind: str
) -> None:
    good = directory_users() if field == "users" else tree_groups()
    assert_rejected(valid_directory, rx("Directory", field, kind), **{field: [*good, entry]})


@pytest.mark.parametrize(("field", "value"), [("users", "u1"), ("groups", "g1"), ("users", 5)])
def test_directory_lone_string_or_non_iterable_is_rejected(field: str, value: object) -> None:
    assert_rejected(valid_directory, rx("Directory", field), **{field: value})


def test_directory_mapping_key_must_equal_the_id() -> None:
    users = {user.id: user for user in directory_users()}
    groups = {group.id: group for group in tree_groups()}
    valid_directory(users=users, groups=groups)
    with pytest.raises(InvalidInputError, match=rx("Directory", "users", "'alias'", "'u1'")):
        valid_directory(users={**users, "alias": users["u1"]})
    with pytest.raises(InvalidInputError, match=rx("Directory", "groups", "'other'", "'hr'")):
        valid_directory(groups={**groups, "other": groups["hr"]})


def test_directory_mapping_value_must_have_the_right_type() -> None:
    users = {user.id: user for user in directory_users()}
    with pytest.raises(InvalidInputError, match=rx("Directory", "users", "User")):
        valid_directory(users={**users, "u9": "not a user"})


# ------------------------------------------------------------ Group rules


def test_group_empty_id_is_rejected() -> None:
    assert_rejected(valid_group, rx("Group ''", "id", "non-empty"), id="")


def test_group_empty_parent_id_is_rejected() -> None:
    valid_group(parent_id="company")
    with pytest.raises(InvalidInputError, match=rx("Group 'g1'", "parent_id", "non-empty")):
        valid_group(parent_id="")


@pytest.mark.parametrize("bad", BAD_TEXTS)
@pytest.mark.parametrize("field", ["id", "name", "parent_id"])
def test_group_text_rejects_nul_and_surrogates(field: str, bad: str) -> None:
    valid_group(**{field: "Plain é \U0001f600"})
    with pytest.raises(InvalidInputError, match=rx("Group", field) + ".*" + BAD_TEXT_WORDS):
        valid_group(**{field: bad})


@pytest.mark.parametrize("field", ["id", "name", "parent_id"])
def test_group_text_must_be_a_str(field: str) -> None:
    assert_rejected(valid_group, rx("Group", field, "str"), **{field: 7})


# ------------------------------------------------------------- User rules


def test_user_empty_id_is_rejected() -> None:
    assert_rejected(valid_user, rx("User ''", "id", "non-empty"), id="")


def test_user_empty_group_id_is_rejected() -> None:
    assert_rejected(valid_user, rx("User 'u1'", "group_ids", "non-empty"), group_ids=["paris", ""])


USER_TEXT_FIELDS = ["first_name", "last_name", "email", "additional_information"]


@pytest.mark.parametrize("bad", BAD_TEXTS)
@pytest.mark.parametrize("field", USER_TEXT_FIELDS)
def test_user_text_rejects_nul_and_surrogates(field: str, bad: str) -> None:
    valid_user(**{field: "Plain é \U0001f600"})
    with pytest.raises(InvalidInputError, match=rx("User 'u1'", field) + ".*" + BAD_TEXT_WORDS):
        valid_user(**{field: bad})


@pytest.mark.parametrize("field", USER_TEXT_FIELDS)
def test_user_text_must_be_a_str(field: str) -> None:
    assert_rejected(valid_user, rx("User 'u1'", field, "str"), **{field: None})


@pytest.mark.parametrize("bad", BAD_TEXTS)
def test_user_id_rejects_nul_and_surrogates(bad: str) -> None:
    assert_rejected(valid_user, r"User .*id.*" + BAD_TEXT_WORDS, id=bad)


@pytest.mark.parametrize("bad", BAD_TEXTS)
def test_user_group_id_rejects_nul_and_surrogates(bad: str) -> None:
    assert_rejected(
        valid_user, rx("User 'u1'", "group_ids") + ".*" + BAD_TEXT_WORDS, group_ids=["paris", bad]
    )


@pytest.mark.parametrize("bad", BAD_TEXTS)
def test_user_manager_emails_reject_nul_and_surrogates(bad: str) -> None:
    assert_rejected(
        valid_user,
        rx("User 'u1'", "manager_emails") + ".*" + BAD_TEXT_WORDS,
        manager_emails=["boss@example.com", bad],
    )


def test_user_manager_emails_must_be_str() -> None:
    assert_rejected(
        valid_user, rx("User 'u1'", "manager_emails", "str"), manager_emails=["a@example.com", 3]
    )


@pytest.mark.parametrize("bad", BAD_TEXTS)
def test_user_custom_field_title_rejects_nul_and_surrogates(bad: str) -> None:
    assert_rejected(
        valid_user,
        rx("User 'u1'", "custom field title") + ".*" + BAD_TEXT_WORDS,
        custom_fields={"Team": "North", bad: "x"},
    )


@pytest.mark.parametrize("bad", BAD_TEXTS)
def test_user_custom_field_value_rejects_nul_and_surrogates(bad: str) -> None:
    assert_rejected(
        valid_user,
        rx("User 'u1'", "custom field 'Badge'") + ".*" + BAD_TEXT_WORDS,
        custom_fields={"Team": "North", "Badge": bad},
    )


def test_user_custom_field_title_must_not_be_empty() -> None:
    assert_rejected(
        valid_user,
        rx("User 'u1'", "custom field title", "empty"),
        custom_fields={"Team": "North", "": "x"},
    )


@pytest.mark.parametrize(
    "custom",
    [{"Team": 3}, {"Team": None}, {3: "North"}, {("a", "b"): "North"}],
)
def test_user_custom_field_titles_and_values_must_be_str(custom: dict[Any, Any]) -> None:
    assert_rejected(valid_user, rx("User 'u1'", "custom field", "str"), custom_fields=custom)


@pytest.mark.parametrize(
    "custom",
    [
        pytest.param([("Team", "North")], id="list-of-pairs"),
        pytest.param("Team", id="str"),
        pytest.param(None, id="none"),
    ],
)
def test_user_custom_fields_must_be_a_mapping(custom: object) -> None:
    assert_rejected(valid_user, rx("User 'u1'", "custom_fields", "mapping"), custom_fields=custom)


def test_user_naive_deleted_at_is_rejected() -> None:
    valid_user(deleted_at=DELETED)
    with pytest.raises(InvalidInputError, match=rx("User 'u1'", "deleted_at", "naive")):
        valid_user(deleted_at=DELETED.replace(tzinfo=None))


@pytest.mark.parametrize("value", ["2026-03-05", 1_772_712_000, DELETED.date()])
def test_user_deleted_at_must_be_a_datetime(value: object) -> None:
    assert_rejected(valid_user, rx("User 'u1'", "deleted_at", "datetime"), deleted_at=value)


def test_user_deleted_at_in_another_zone_is_accepted() -> None:
    tokyo = timezone(timedelta(hours=9))
    assert valid_user(deleted_at=DELETED.astimezone(tokyo)).deleted_at == DELETED


@pytest.mark.parametrize("value", [1, 0, "yes", "", None])
def test_user_anonymized_must_be_bool(value: object) -> None:
    assert valid_user(anonymized=True).anonymized is True
    with pytest.raises(InvalidInputError, match=rx("User 'u1'", "anonymized")):
        valid_user(anonymized=value)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        pytest.param("group_ids", "paris", id="group_ids"),
        pytest.param("manager_emails", "boss@example.com", id="manager_emails"),
        pytest.param("group_ids", b"paris", id="group_ids-bytes"),
    ],
)
def test_user_lone_string_for_a_collection_is_rejected(field: str, value: object) -> None:
    # Not split into characters; the message names the user.
    valid_user(**{field: ["paris" if field == "group_ids" else value]})
    with pytest.raises(InvalidInputError, match=rx("User 'u1'", "single string")):
        valid_user(**{field: value})


# -------------------------------------- sessions checked against a directory


def test_statistics_reject_a_session_naming_an_unknown_user() -> None:
    session = tiny_session()
    full = tiny_directory()
    learner_results(session, full)
    without_bob = Directory(
        users=[user for user in full.users.values() if user.id != "bob"],
        groups=full.groups.values(),
    )
    with pytest.raises(InvalidInputError, match=rx("Session 's1'", "'bob'", "not a user")):
        learner_results(session, without_bob)


def test_statistics_reject_a_session_naming_an_unknown_group() -> None:
    session = tiny_session()
    full = tiny_directory()
    group_results(session, full)
    without_groups = Directory(
        users=[attrs.evolve(user, group_ids=()) for user in full.users.values()],
        groups=[full.group("company")],
    )
    with pytest.raises(InvalidInputError, match=rx("Session 's1'", "'sales'", "not a group")):
        group_results(session, without_groups)


class Text(str):
    """A str subclass: equal to a plain str, but not plain."""


def test_empty_collections_share_one_read_only_value() -> None:
    first = valid_user(group_ids=[], custom_fields={}, manager_emails=[])
    second = valid_user(id="u2", group_ids=(), custom_fields={}, manager_emails=())
    assert first.custom_fields is second.custom_fields
    assert first.group_ids is second.group_ids
    assert hash(first.custom_fields) == hash(FrozenMap())
    with pytest.raises(TypeError, match="read-only"):
        first.custom_fields["Team"] = "North"  # type: ignore[index]
    assert dict(second.custom_fields) == {}


def test_str_subclasses_in_collections_become_plain_str() -> None:
    user = valid_user(
        group_ids=[Text("paris")],
        custom_fields={Text("Team"): Text("North")},
        manager_emails=[Text("boss@example.com")],
    )
    assert user == valid_user(custom_fields={"Team": "North"})
    assert {type(v) for v in user.group_ids} == {str}
    assert {type(v) for v in (*user.custom_fields, *user.custom_fields.values())} == {str}
    assert {type(v) for v in user.manager_emails} == {str}


def test_non_ascii_text_is_kept_as_given() -> None:
    fields = {
        "first_name": "Søren",
        "last_name": "Ünal \U0001f600",
        "additional_information": "café",
        "custom_fields": {"Équipe": "Nord"},
        "manager_emails": ["chef@exemple.fr", "ß@example.com"],
    }
    user = valid_user(id="ü1", **fields)
    assert (user.id, user.first_name, user.last_name) == ("ü1", "Søren", "Ünal \U0001f600")
    assert dict(user.custom_fields) == {"Équipe": "Nord"}
    assert user.manager_emails == ("chef@exemple.fr", "ß@example.com")
