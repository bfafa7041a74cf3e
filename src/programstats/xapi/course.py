"""cmi5 course structures: :func:`read_course` reads a ``cmi5.xml`` into a :class:`Course`.

A cmi5 course is a tree of blocks whose leaves are assignable units (AUs),
the things an LMS launches. Statistics need the AUs in course order (each
becomes a block of the session), their ``moveOn`` rule, their
``masteryScore``, and the ids of the course and of its blocks (statements
about those are the LMS's own, read for nothing).

The XML is parsed by :mod:`defusedxml`: a document type declaration is
refused outright, so neither an entity-expansion bomb nor an external
entity is ever expanded.

>>> course = read_course('''<courseStructure
...     xmlns="https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd">
...   <course id="https://example.com/c"><title><langstring lang="en">Safety</langstring></title>
...   </course>
...   <au id="https://example.com/c/quiz" moveOn="Passed" masteryScore="0.75">
...     <title><langstring lang="en-GB">Quiz</langstring></title><url>quiz.html</url>
...   </au>
... </courseStructure>''')
>>> course.title, [(au.title, au.move_on, au.mastery_score) for au in course.aus]
('Safety', [('Quiz', 'Passed', Decimal('0.75'))])
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal
from typing import Any, NoReturn

import attrs
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import ParseError, fromstring

from .._checks import check_id, check_text, short, to_frozenset, to_tuple
from ..errors import InvalidInputError

__all__ = ["AU", "MOVE_ON", "NAMESPACE", "Course", "read_course"]

#: The XML namespace of cmi5 course structures.
NAMESPACE = "https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd"
#: The moveOn values cmi5 defines (section 13.1.4), the default last.
MOVE_ON = ("Passed", "Completed", "CompletedAndPassed", "CompletedOrPassed", "NotApplicable")
_MOVE_ON = frozenset(MOVE_ON)
_MOVE_ON_LIST = ", ".join(MOVE_ON)
#: An xs:decimal as written: no exponent, no spaces.
_DECIMAL = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)", re.ASCII)
#: Most decimal places a masteryScore may have (cmi5: "up to 4 decimal places of precision").
MASTERY_PLACES = 4


def brief(value: object, limit: int = 40) -> str:
    """``value`` for a message: the repr of text cut at ``limit`` characters (with an ellipsis)."""
    if isinstance(value, str):
        text = str.__str__(value)
        return repr(text[:limit] + "…" if len(text) > limit else text)
    return short(value, limit)


def _fail(tag: str, ident: str, message: str) -> NoReturn:
    """Raise about the element ``tag`` whose id is ``ident`` (cut, so messages stay short)."""
    raise InvalidInputError(f"{tag} {brief(ident)}: {message}")


def _mastery(owner: str, ident: str, value: object, written: str = "") -> Decimal | None:
    """A masteryScore as an exact :class:`~decimal.Decimal` in [0, 1], at most 4 places.

    ``written`` is the text it was read from, shown in messages instead of the value.
    """
    if value is None:
        return None
    shown = brief(written or value, 20)
    if type(value) is bool or not isinstance(value, (Decimal, int, float)):
        _fail(owner, ident, f"mastery_score must be a Decimal, got {brief(value, 40)}")
    if isinstance(value, float):
        value = Decimal(repr(float(value)))
    number = Decimal(value)
    if not number.is_finite() or not 0 <= number <= 1:
        _fail(owner, ident, f"masteryScore must be between 0 and 1, got {shown}")
    if number != number.quantize(Decimal(1).scaleb(-MASTERY_PLACES)):
        _fail(owner, ident, f"masteryScore {shown} has more than {MASTERY_PLACES} decimal places")
    return number


@attrs.frozen(kw_only=True)
class AU:
    """One assignable unit of a course: what an LMS launches, a block of the session.

    ``id`` is the AU's id in the course structure (the publisher id that
    statements carry in their ``grouping``), ``move_on`` one of
    :data:`MOVE_ON`, ``mastery_score`` None or a decimal in [0, 1] with at
    most 4 places, ``activity_type`` an IRI or None.
    """

    id: str
    title: str
    move_on: str = "NotApplicable"
    mastery_score: Decimal | None = None
    activity_type: str | None = None

    def __attrs_post_init__(self) -> None:
        ident = check_id("au", None, "id", self.id)
        object.__setattr__(self, "id", ident)
        object.__setattr__(self, "title", check_text("au", ident, "title", self.title))
        if type(self.move_on) is not str or self.move_on not in _MOVE_ON:
            _fail("au", ident, f"moveOn {brief(self.move_on, 20)} is not one of {_MOVE_ON_LIST}")
        object.__setattr__(self, "mastery_score", _mastery("au", ident, self.mastery_score))
        if self.activity_type is not None:
            kind = check_text("au", ident, "activityType", self.activity_type)
            object.__setattr__(self, "activity_type", kind)

    @property
    def passing_score(self) -> int | float | None:
        """``mastery_score * 100`` (computed exactly): an int when whole, else a float."""
        if self.mastery_score is None:
            return None
        return _plain_number(self.mastery_score * 100)

    @property
    def needs_pass(self) -> bool:
        """Whether the AU's moveOn asks for a ``passed`` statement."""
        return self.move_on in ("Passed", "CompletedAndPassed", "CompletedOrPassed")


def _plain_number(value: Decimal) -> int | float:
    """An exact decimal as an int when it is whole, else as the nearest float."""
    whole = value.to_integral_value()
    return int(whole) if whole == value else float(value)


def _aus(value: Iterable[AU]) -> tuple[AU, ...]:
    return to_tuple(value)


@attrs.frozen(kw_only=True)
class Course:
    """A cmi5 course: its id and title, its AUs in course order, the ids of its blocks.

    Ids are unique across the course, its blocks and its AUs, so that a
    statement's ``grouping`` names one of them only.
    """

    id: str
    title: str
    aus: tuple[AU, ...] = attrs.field(converter=_aus)
    block_ids: frozenset[str] = attrs.field(default=frozenset(), converter=to_frozenset)

    def __attrs_post_init__(self) -> None:
        ident = check_id("course", None, "id", self.id)
        object.__setattr__(self, "id", ident)
        object.__setattr__(self, "title", check_text("course", ident, "title", self.title))
        for field in ("aus", "block_ids"):
            reason = getattr(getattr(self, field), "reason", "")
            if reason:
                _fail("course", ident, f"{field} {reason}")
        seen = {ident: "the course"}
        for block_id in sorted(self.block_ids, key=str):
            check_id("block", None, "id", block_id)
            _unique(seen, "block", block_id)
        for au in self.aus:
            if not isinstance(au, AU):
                _fail("course", ident, f"aus must hold AU values, got {type(au).__name__}")
            _unique(seen, "au", au.id)


def _unique(seen: dict[str, str], tag: str, ident: str) -> None:
    other = seen.get(ident)
    if other is not None:
        _fail(tag, ident, f"id is also the id of {other}; ids must be unique in a course structure")
    seen[ident] = f"a {tag}"


def read_course(xml_text: str | bytes) -> Course:
    """The :class:`Course` a cmi5 course structure (the text of a ``cmi5.xml``) describes.

    AUs come in document order, blocks flattened depth first. Each AU's
    title is its ``en`` langstring (any tag starting with ``en``), else its
    first; ``moveOn`` defaults to ``NotApplicable``. Leading and trailing
    whitespace of ids and titles is removed, as cmi5 asks of an LMS.
    Objectives, descriptions, URLs, launch parameters and vendor extensions
    are not read.

    Raises :class:`~programstats.InvalidInputError` for text that is not
    well-formed XML, a document type declaration (entities are never
    expanded), a root that is not a cmi5 ``courseStructure``, a missing id
    or title, a duplicate id, a bad ``moveOn`` or ``masteryScore``; the
    message names the element by its tag and id.
    """
    if not isinstance(xml_text, (str, bytes)):
        raise InvalidInputError(
            f"read_course: the course structure must be XML text (str or bytes), "
            f"got {type(xml_text).__name__}"
        )
    try:
        root = fromstring(xml_text, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as error:
        raise InvalidInputError(
            f"course structure: refused, the XML declares a document type or entities "
            f"({type(error).__name__}); cmi5.xml needs neither"
        ) from None
    except (ParseError, ValueError, UnicodeError, LookupError) as error:
        raise InvalidInputError(
            f"course structure: not well-formed XML ({short(str(error), 120)})"
        ) from None
    if root.tag != _tag("courseStructure"):
        raise InvalidInputError(
            f"course structure: root element {brief(root.tag)} is not a cmi5 courseStructure "
            f"(namespace {NAMESPACE})"
        )
    course = root.find(_tag("course"))
    if course is None:
        raise InvalidInputError("course structure: there is no course element")
    course_id = _id(course, "course")
    course_title = _title(course, "course", course_id)
    aus: list[AU] = []
    block_ids: list[str] = []
    seen = {course_id: "the course"}
    # Depth first, in document order, without recursion (blocks nest to any depth).
    pending: list[Any] = list(reversed(root))
    while pending:
        element = pending.pop()
        if element.tag == _tag("au"):
            au = _au(element)
            _unique(seen, "au", au.id)
            aus.append(au)
        elif element.tag == _tag("block"):
            block_id = _id(element, "block")
            _unique(seen, "block", block_id)
            block_ids.append(block_id)
            pending.extend(reversed(element))
    if not aus:
        _fail("course", course_id, "the course structure has no au element")
    return Course(id=course_id, title=course_title, aus=aus, block_ids=block_ids)


def _tag(name: str) -> str:
    return f"{{{NAMESPACE}}}{name}"


def _id(element: Any, tag: str) -> str:
    value = (element.get("id") or "").strip()
    if not value:
        raise InvalidInputError(f"{tag} element without an id: every {tag} needs one")
    return value


def _title(element: Any, tag: str, ident: str) -> str:
    title = element.find(_tag("title"))
    texts = [] if title is None else title.findall(_tag("langstring"))
    if not texts:
        _fail(tag, ident, "has no title (a title element with at least one langstring)")
    english = [text for text in texts if (text.get("lang") or "").strip().lower().startswith("en")]
    return ((english or texts)[0].text or "").strip()


def _au(element: Any) -> AU:
    ident = _id(element, "au")
    title = _title(element, "au", ident)
    move_on = (element.get("moveOn") or "NotApplicable").strip()
    if move_on not in _MOVE_ON:
        _fail("au", ident, f"moveOn {brief(move_on, 20)} is not one of {_MOVE_ON_LIST}")
    written = element.get("masteryScore")
    mastery = None
    if written is not None:
        written = written.strip()
        if not _DECIMAL.fullmatch(written):
            _fail("au", ident, f"masteryScore {brief(written, 20)} is not a decimal number")
        mastery = _mastery("au", ident, Decimal(written), written)
    kind = element.get("activityType")
    return AU(
        id=ident,
        title=title,
        move_on=move_on,
        mastery_score=mastery,
        activity_type=None if kind is None else kind.strip(),
    )
