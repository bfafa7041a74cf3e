"""Values built from columns (no __init__ per value) are the values the constructor builds."""

from __future__ import annotations

import pickle
from datetime import datetime, timedelta, timezone

import pytest

from programstats import LearnerResult, learner_results
from programstats._checks import blank_values, fill_named_columns, from_columns
from programstats.examples import tiny_directory, tiny_session
from programstats.session_stats import LearnerBlock

UTC = timezone.utc  # datetime.UTC is Python 3.11+
AT = datetime(2024, 3, 1, 9, 30, tzinfo=UTC)
FIELDS = {
    "user_id": "ana",
    "first_name": "Ana",
    "last_name": "Lopez",
    "registered": True,
    "deleted_at": None,
    "progress": 50.0,
    "score": 72.5,
    "time_spent": timedelta(minutes=45),
    "started_at": AT,
    "ended_at": None,
    "last_activity": AT + timedelta(hours=1),
    "verified": False,
    "blocks": (),
}


def from_named_columns(cls: type, **columns: list[object]) -> tuple[object, ...]:
    """Values allocated blank for as many rows as the score column has, then filled."""
    return fill_named_columns(blank_values(cls, len(columns.get("score", []))), cls, **columns)


def test_named_columns_give_the_values_the_constructor_gives() -> None:
    (built,) = from_named_columns(LearnerResult, **{name: [v] for name, v in FIELDS.items()})
    expected = LearnerResult(**FIELDS)
    assert built == expected
    assert repr(built) == repr(expected)
    assert pickle.loads(pickle.dumps(built)) == expected


def test_each_column_lands_in_its_own_field_whatever_the_keyword_order() -> None:
    columns = {name: [v] for name, v in reversed(FIELDS.items())}
    (built,) = from_named_columns(LearnerResult, **columns)
    for name, value in FIELDS.items():
        assert getattr(built, name) == value


@pytest.mark.parametrize(
    "columns",
    [
        {k: [v] for k, v in FIELDS.items() if k != "score"},  # a field missing
        {**{k: [v] for k, v in FIELDS.items()}, "grade": [1]},  # not a field
    ],
)
def test_columns_must_be_exactly_the_fields(columns: dict[str, list[object]]) -> None:
    with pytest.raises(ValueError, match="LearnerResult"):
        from_named_columns(LearnerResult, **columns)


@pytest.mark.parametrize("longer", ["score", "blocks"])
def test_every_column_must_have_one_value_per_blank_value(longer: str) -> None:
    columns = {name: [v] for name, v in FIELDS.items()}
    columns[longer] = columns[longer] * 2
    with pytest.raises(ValueError, match="13 columns of 1 values each"):
        fill_named_columns(blank_values(LearnerResult, 1), LearnerResult, **columns)


def test_columns_may_not_outnumber_the_blank_values() -> None:
    columns = {name: [v, v] for name, v in FIELDS.items()}
    with pytest.raises(ValueError, match="of 1 values each"):
        fill_named_columns(blank_values(LearnerResult, 1), LearnerResult, **columns)


def test_columns_of_unequal_lengths_build_nothing() -> None:
    with pytest.raises(ValueError, match="LearnerBlock"):
        from_columns(LearnerBlock, (["a", "b"], [None], [timedelta(0)] * 2, [True] * 2))
    assert from_columns(LearnerBlock, (["a"], [None], [timedelta(0)], [True])) == (
        LearnerBlock(block_id="a", score=None, time_spent=timedelta(0), completed=True),
    )


def test_no_rows_give_no_values() -> None:
    assert (
        from_named_columns(LearnerBlock, block_id=[], score=[], time_spent=[], completed=[]) == ()
    )


def test_learner_results_equal_what_the_constructor_builds_from_their_fields() -> None:
    results = learner_results(tiny_session(), tiny_directory())
    assert [r.user_id for r in results] == ["ana", "bob", "cleo", "dan"]
    for result in results:
        rebuilt = LearnerResult(
            **{name: getattr(result, name) for name in FIELDS}  # every field, by name
        )
        assert rebuilt == result
        assert type(result.verified) is bool and type(result.registered) is bool
