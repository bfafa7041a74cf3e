"""LearnerResult.blocks: values made on demand that behave as the tuple of them."""

from __future__ import annotations

import pickle
from datetime import timedelta

import attrs
import pytest

from programstats import LearnerBlock, LearnerResult, learner_results
from programstats.examples import tiny_directory, tiny_session
from programstats.session_stats import LearnerBlocks

# Ana's blocks in the tiny session, written out by hand.
ANA_BLOCKS = (
    LearnerBlock(block_id="course", score=80.0, time_spent=timedelta(seconds=3000), completed=True),
    LearnerBlock(block_id="quiz", score=60.0, time_spent=timedelta(seconds=1500), completed=True),
    LearnerBlock(block_id="workshop", score=None, time_spent=timedelta(0), completed=True),
)


def ana() -> LearnerResult:
    (found,) = [r for r in learner_results(tiny_session(), tiny_directory()) if r.user_id == "ana"]
    return found


def test_blocks_equal_the_tuple_of_their_values_both_ways() -> None:
    blocks = ana().blocks
    assert isinstance(blocks, LearnerBlocks)
    assert blocks == ANA_BLOCKS
    assert ANA_BLOCKS == blocks  # noqa: SIM300 - the reflected comparison is the point
    assert blocks != ANA_BLOCKS[:2]
    assert blocks != list(ANA_BLOCKS)  # a tuple is never equal to a list either
    assert hash(blocks) == hash(ANA_BLOCKS)


def test_blocks_read_as_a_tuple() -> None:
    blocks = ana().blocks
    assert len(blocks) == 3
    assert blocks[0] == ANA_BLOCKS[0]
    assert blocks[-1] == ANA_BLOCKS[2]
    assert blocks[1:] == ANA_BLOCKS[1:]
    assert list(blocks) == list(ANA_BLOCKS)
    assert ANA_BLOCKS[1] in blocks
    assert blocks.index(ANA_BLOCKS[2]) == 2
    assert blocks + () == ANA_BLOCKS  # noqa: RUF005 - tuple concatenation is tested
    assert () + blocks == ANA_BLOCKS  # noqa: RUF005 - tuple concatenation is tested
    with pytest.raises(IndexError):
        blocks[3]


def test_results_with_lazy_blocks_equal_results_with_tuples() -> None:
    found = ana()
    spelled_out = attrs.evolve(found, blocks=ANA_BLOCKS)
    assert found == spelled_out
    assert spelled_out == found
    assert hash(found) == hash(spelled_out)
    assert repr(found) == repr(spelled_out)
    assert repr(found.blocks) == repr(ANA_BLOCKS)
    assert found != attrs.evolve(found, blocks=ANA_BLOCKS[:2])


def test_blocks_pickle_as_the_tuple() -> None:
    found = ana()
    again = pickle.loads(pickle.dumps(found))
    assert again == found
    assert again.blocks == ANA_BLOCKS
    assert type(again.blocks) is tuple


def test_html_shows_one_row_per_block() -> None:
    found = ana()
    spelled_out = attrs.evolve(found, blocks=ANA_BLOCKS)
    html = found._repr_html_()  # type: ignore[attr-defined]
    assert html == spelled_out._repr_html_()  # type: ignore[attr-defined]
    assert html.count('<td dir="auto">workshop</td>') == 1


def test_learner_without_attempts_who_attended_every_block_is_verified() -> None:
    """Facts of a learner with attendances only (no row of attempts is kept)."""
    session = tiny_session()
    workshop = [b for b in session.blocks if b.kind.name == "CLASSROOM"]
    only_classroom = attrs.evolve(
        session,
        blocks=workshop,
        attempts=(),
        certificate_user_ids=frozenset(),
    )
    results = {r.user_id: r for r in learner_results(only_classroom, tiny_directory())}
    attended = {a.user_id for a in only_classroom.attendances if a.percent > 0}
    assert attended  # the tiny session has learners who attended the workshop
    for user_id, result in results.items():
        done = user_id in attended
        assert result.progress == (100.0 if done else 0.0)
        assert result.verified is done  # no passing score to reach
        assert result.score is None
        assert result.blocks == (
            LearnerBlock(block_id="workshop", score=None, time_spent=timedelta(0), completed=done),
        )
