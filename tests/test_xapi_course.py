"""cmi5 course structures (programstats.xapi.course): read_course, Course, AU."""

from __future__ import annotations

import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from programstats import InvalidInputError
from programstats.xapi import AU, Course, read_course
from programstats.xapi.course import NAMESPACE

COURSES = Path(__file__).parent / "data" / "cmi5" / "courses"


def structure(body: str, course_id: str = "https://example.com/c") -> str:
    """A courseStructure document holding ``body`` after its course element."""
    return (
        f'<courseStructure xmlns="{NAMESPACE}">'
        f'<course id="{course_id}"><title><langstring lang="en">C</langstring></title></course>'
        f"{body}</courseStructure>"
    )


def au(ident: str, attributes: str = "", title: str = "T") -> str:
    return (
        f'<au id="{ident}" {attributes}><title><langstring lang="en">{title}</langstring>'
        "</title><url>u</url></au>"
    )


# ------------------------------------------------------------------------ the published examples


def test_simple_course() -> None:
    course = read_course((COURSES / "simple-cmi5.xml").read_text(encoding="utf-8"))
    assert course.id == "http://course-repository.example.edu/identifiers/courses/02baafcf"
    assert course.title == "Introduction to Geology"
    assert course.block_ids == frozenset()
    assert course.aus == (
        AU(
            id="http://course-repository.example.edu/identifiers/courses/02baafcf/aus/4c07",
            title="Introduction to Geology",
            move_on="NotApplicable",  # the default: the file gives none
            mastery_score=None,
            activity_type=None,
        ),
    )


def test_complex_course_flattens_blocks_depth_first() -> None:
    # Read from bytes: the XML declaration says utf-8 and titles have umlauts.
    course = read_course((COURSES / "complex-cmi5.xml").read_bytes())
    assert course.title == "Geology"  # en-US before de-DE
    # Document order, blocks flattened depth first: block 001 (2 AUs), block
    # 002 (2), block 003 (its own AU, block 003-001 with its blocks 003-001-001
    # (3 AUs) and 003-001-002 (3), then 2 AUs of 003-001), the quiz at the root.
    assert [a.title for a in course.aus] == [
        "Rock and rock cycle",
        "Unconsolidated material",
        "Plate tectonics",
        "Structure of the earth",
        "History and nomenclature of the time scale",
        "Cenozoic",
        "Mesozoic",
        "Paleozoic",
        "Neoproterozoic",
        "Mesoproterozoic",
        "Paleoproterozoic",
        "Archean",
        "Hadean",
        "Quiz",
    ]
    assert [(a.move_on, a.mastery_score) for a in course.aus[:5]] == [
        ("CompletedOrPassed", Decimal("1.0")),
        ("NotApplicable", None),
        ("Passed", Decimal("0.1")),
        ("CompletedOrPassed", Decimal("0.3")),
        ("CompletedAndPassed", Decimal("0.5")),
    ]
    assert course.aus[-1].activity_type == "http://adlnet.gov/expapi/activities/assessment"
    assert course.aus[-1].passing_score == 70  # exactly, an int
    assert len(course.block_ids) == 6  # 001, 002, 003, 003-001 and its two
    assert "http://courses.example.edu/identifiers/courses/d07e186b/blocks/003-001-002" in (
        course.block_ids
    )


@pytest.mark.parametrize(
    "move_on", ["Completed", "CompletedAndPassed", "CompletedOrPassed", "Passed"]
)
def test_move_on_sample_courses(move_on: str) -> None:
    course = read_course((COURSES / f"simple-moveOn-{move_on}.xml").read_text(encoding="utf-8"))
    assert [(a.move_on, a.mastery_score, a.passing_score) for a in course.aus] == [
        (move_on, Decimal("0.8"), 80)
    ]


# ------------------------------------------------------------------------ rules of the reader


def test_titles_prefer_english_else_the_first() -> None:
    course = read_course(
        structure(
            '<au id="a1"><title><langstring lang="de">Eins</langstring>'
            '<langstring lang="EN-gb">One</langstring></title></au>'
            '<au id="a2"><title><langstring lang="fr">Deux</langstring>'
            '<langstring lang="de">Zwei</langstring></title></au>'
            '<au id="a3"><title><langstring>  Three\n </langstring></title></au>'
        )
    )
    assert [a.title for a in course.aus] == ["One", "Deux", "Three"]


def test_ids_and_values_lose_surrounding_whitespace() -> None:
    course = read_course(structure(au("  https://x/a  ", 'moveOn=" Passed " masteryScore=" .5 "')))
    assert (course.aus[0].id, course.aus[0].move_on) == ("https://x/a", "Passed")
    assert course.aus[0].mastery_score == Decimal("0.5")
    assert course.aus[0].passing_score == 50


def test_passing_score_is_exact() -> None:
    # 0.29 * 100 in floats is 28.999999999999996; as decimals it is 29.
    course = read_course(
        structure(au("a", 'masteryScore="0.29"') + au("b", 'masteryScore="0.8765"'))
    )
    assert [a.passing_score for a in course.aus] == [29, 87.65]
    assert type(course.aus[0].passing_score) is int


def test_deeply_nested_blocks_do_not_recurse() -> None:
    depth = 5_000
    body = "".join(
        f'<block id="b{i}"><title><langstring>B</langstring></title>' for i in range(depth)
    )
    body += au("deep") + "</block>" * depth
    course = read_course(structure(body))
    assert [a.id for a in course.aus] == ["deep"]
    assert len(course.block_ids) == depth


def test_other_elements_are_not_read() -> None:
    course = read_course(
        structure(
            '<objectives><objective id="o"><title><langstring>O</langstring></title>'
            "</objective></objectives>"
            + au("a", 'launchMethod="OwnWindow"')
            + '<vendor:extra xmlns:vendor="https://vendor.example.com">x</vendor:extra>'
        )
    )
    assert [a.id for a in course.aus] == ["a"]


@pytest.mark.parametrize(
    ("xml", "message"),
    [
        ("<courseStructure", "not well-formed XML"),
        ("", "not well-formed XML"),
        ("<a/><b/>", "not well-formed XML"),
        ("<courseStructure/>", "is not a cmi5 courseStructure"),
        (f'<other xmlns="{NAMESPACE}"/>', "root element '{https"),
        (f'<courseStructure xmlns="{NAMESPACE}"/>', "no course element"),
        (
            f'<courseStructure xmlns="{NAMESPACE}"><course/></courseStructure>',
            "course element without an id",
        ),
        (
            f'<courseStructure xmlns="{NAMESPACE}"><course id="c"/></courseStructure>',
            "course 'c': has no title",
        ),
        (structure(""), "has no au element"),
        (
            structure("<au><title><langstring>T</langstring></title></au>"),
            "au element without an id",
        ),
        (structure('<au id="a"></au>'), "au 'a': has no title"),
        (structure('<au id="a"><title/></au>'), "au 'a': has no title"),
        (structure(au("a") + au("a")), "au 'a': id is also the id of a au"),
        (structure(au("https://example.com/c")), "id is also the id of the course"),
        (
            structure(
                '<block id="a"><title><langstring>B</langstring></title>' + au("a") + "</block>"
            ),
            "au 'a': id is also the id of a block",
        ),
        (
            structure(
                '<block id="b"><title><langstring>B</langstring></title>' + au("x") + "</block>"
                '<block id="b"><title><langstring>B</langstring></title>' + au("y") + "</block>"
            ),
            "block 'b': id is also the id of a block",
        ),
        (
            structure("<block><title><langstring>B</langstring></title></block>"),
            "block element without an id",
        ),
        (structure(au("a", 'moveOn="Mastered"')), "au 'a': moveOn 'Mastered' is not one of"),
        (structure(au("a", 'moveOn="passed"')), "moveOn 'passed' is not one of"),
        (
            structure(au("a", 'masteryScore="1.01"')),
            "masteryScore must be between 0 and 1, got '1.01'",
        ),
        (structure(au("a", 'masteryScore="-0.1"')), "between 0 and 1"),
        (structure(au("a", 'masteryScore="0.12345"')), "more than 4 decimal places"),
        (structure(au("a", 'masteryScore="8E-1"')), "'8E-1' is not a decimal number"),
        (structure(au("a", 'masteryScore="80%"')), "not a decimal number"),
        (structure(au("a", 'masteryScore=""')), "not a decimal number"),
        (structure(au("a", 'masteryScore="NaN"')), "not a decimal number"),
    ],
)
def test_bad_course_structures(xml: str, message: str) -> None:
    with pytest.raises(InvalidInputError, match=message.replace("(", r"\(")) as info:
        read_course(xml)
    assert len(str(info.value)) < 200


def test_trailing_zeros_are_not_decimal_places() -> None:
    course = read_course(structure(au("a", 'masteryScore="0.750000"')))
    assert course.aus[0].mastery_score == Decimal("0.75")


def test_messages_stay_short_whatever_the_ids() -> None:
    long_id = "https://example.com/" + "x" * 100_000
    with pytest.raises(InvalidInputError) as info:
        read_course(structure(au(long_id, 'moveOn="' + "y" * 100_000 + '"')))
    assert len(str(info.value)) < 200


def test_the_course_structure_is_text() -> None:
    with pytest.raises(InvalidInputError, match="must be XML text"):
        read_course(None)  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError, match="must be XML text"):
        read_course(Path("cmi5.xml"))  # type: ignore[arg-type]


# ------------------------------------------------------------------------ hostile XML


BOMB = """<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<courseStructure xmlns="https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd">
  <course id="c"><title><langstring lang="en">&lol9;</langstring></title></course>
</courseStructure>
"""

EXTERNAL = """<?xml version="1.0"?>
<!DOCTYPE courseStructure [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<courseStructure xmlns="https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd">
  <course id="c"><title><langstring lang="en">&secret;</langstring></title></course>
</courseStructure>
"""

DOCTYPE_ONLY = """<?xml version="1.0"?>
<!DOCTYPE courseStructure SYSTEM "https://example.com/cmi5.dtd">
<courseStructure xmlns="https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd"/>
"""


@pytest.mark.parametrize("xml", [BOMB, EXTERNAL, DOCTYPE_ONLY], ids=["bomb", "external", "dtd"])
def test_entities_and_document_types_are_refused_quickly(xml: str) -> None:
    started = time.perf_counter()
    with pytest.raises(InvalidInputError, match="declares a document type or entities"):
        read_course(xml)
    # Refused at the declaration, nothing expanded: expanding the bomb would take
    # minutes and gigabytes; the bound leaves room for a loaded machine.
    assert time.perf_counter() - started < 5.0


# ------------------------------------------------------------------------ the values


def test_au_and_course_check_their_fields() -> None:
    with pytest.raises(InvalidInputError, match="moveOn 'Sometimes'"):
        AU(id="a", title="A", move_on="Sometimes")
    with pytest.raises(InvalidInputError, match="between 0 and 1"):
        AU(id="a", title="A", mastery_score=Decimal("1.5"))
    with pytest.raises(InvalidInputError, match="between 0 and 1"):
        AU(id="a", title="A", mastery_score=Decimal("NaN"))
    with pytest.raises(InvalidInputError, match="must be a Decimal"):
        AU(id="a", title="A", mastery_score=True)  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError, match="must be a Decimal"):
        AU(id="a", title="A", mastery_score="0.5")  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError, match="non-empty"):
        AU(id="", title="A")
    with pytest.raises(InvalidInputError, match="NUL"):
        AU(id="a", title="A\x00")
    assert AU(id="a", title="A", mastery_score=0.85).mastery_score == Decimal("0.85")  # type: ignore[arg-type]
    assert AU(id="a", title="A", mastery_score=1).passing_score == 100  # type: ignore[arg-type]
    a = AU(id="a", title="A")
    with pytest.raises(InvalidInputError, match="id is also the id of a au"):
        Course(id="c", title="C", aus=[a, a])
    with pytest.raises(InvalidInputError, match="id is also the id of a block"):
        Course(id="c", title="C", aus=[a], block_ids={"a"})
    with pytest.raises(InvalidInputError, match="aus must hold AU values"):
        Course(id="c", title="C", aus=["a"])  # type: ignore[list-item]
    with pytest.raises(InvalidInputError, match="wrap it in a list"):
        Course(id="c", title="C", aus=a)  # type: ignore[arg-type]
    assert Course(id="c", title="C", aus=[a]).aus == (a,)


SIMPLE = (COURSES / "simple-moveOn-Passed.xml").read_text(encoding="utf-8")


@st.composite
def damaged(draw: st.DrawFn) -> str | bytes:
    """A sample course structure with a few characters replaced, removed or inserted."""
    text = SIMPLE
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(text)))
        cut = draw(st.integers(0, 3))
        text = text[:at] + draw(st.text(max_size=3)) + text[at + cut :]
    return text.encode("utf-8", "surrogatepass") if draw(st.booleans()) else text


@given(st.text() | st.binary() | damaged())
def test_any_text_gives_a_course_or_invalid_input(xml: str | bytes) -> None:
    try:
        course = read_course(xml)
    except InvalidInputError as error:
        assert len(str(error)) < 200
    else:
        assert course.aus


# ------------------------------------------------------------------------ the extra


def test_missing_defusedxml_gives_the_install_line() -> None:
    code = (
        "import sys; sys.modules['defusedxml'] = None\n"
        "import programstats\n"
        "try:\n"
        "    import programstats.xapi\n"
        "except ImportError as error:\n"
        "    print(error)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == (
        "programstats.xapi needs defusedxml; install it with: pip install 'programstats[xapi]'"
    )


def test_the_core_does_not_import_defusedxml() -> None:
    code = "import sys, programstats; print('defusedxml' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"


def test_mastery_scores_of_0_and_1_are_accepted() -> None:
    course = read_course(structure(au("a", 'masteryScore="0"') + au("b", 'masteryScore="1"')))
    assert [a.passing_score for a in course.aus] == [0, 100]


def test_a_long_mastery_score_is_shown_cut_at_20_characters() -> None:
    written = "1.5" + "0" * 30
    with pytest.raises(InvalidInputError) as info:
        read_course(structure(au("a", f'masteryScore="{written}"')))
    assert str(info.value).endswith(
        "masteryScore must be between 0 and 1, got '1.500000000000000000…'"  # 20 characters, cut
    )


def test_brief_cuts_text_longer_than_its_limit_only() -> None:
    from programstats.xapi.course import brief

    assert brief("x" * 40) == repr("x" * 40)
    assert brief("x" * 41) == repr("x" * 40 + "…")
