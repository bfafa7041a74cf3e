"""Statements as a cmi5 LMS and its AUs write them, for examples and tests.

:func:`statement` builds one xAPI statement (a ``dict``, as ``json.loads``
gives it) with the cmi5 context: the registration, the AU's id in
``grouping``, the cmi5 category and the session id. :func:`example_course`
is a two-AU course structure.

>>> made = statement("completed", user="ana", au="https://example.com/safety/intro",
...                  session="s-1", at="2026-03-02T09:15:00Z", result={"completion": True})
>>> made["verb"]["id"], made["actor"]["account"]["name"], made["timestamp"]
('http://adlnet.gov/expapi/verbs/completed', 'ana', '2026-03-02T09:15:00Z')
"""

from __future__ import annotations

import uuid
from typing import Any

from .course import Course, read_course
from .statements import CMI5_CATEGORY, LAUNCH_MODE, SESSION_ID, VERBS, VOIDED

__all__ = ["EXAMPLE_COURSE", "example_course", "statement", "voiding"]

_IRIS = {name: iri for iri, name in VERBS.items()}
_NAMESPACE = uuid.UUID("5b0f0c4e-1a55-4d6e-9d8b-2f3a0c5e7a10")

#: A cmi5.xml: a course of two AUs, an introduction (moveOn Completed) and a
#: quiz passed at 0.75 (moveOn Passed).
EXAMPLE_COURSE = """<?xml version="1.0" encoding="utf-8"?>
<courseStructure xmlns="https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd">
  <course id="https://example.com/safety">
    <title><langstring lang="en-US">Workplace safety</langstring></title>
    <description><langstring lang="en-US">Two units.</langstring></description>
  </course>
  <au id="https://example.com/safety/intro" moveOn="Completed">
    <title><langstring lang="en-US">Introduction</langstring></title>
    <description><langstring lang="en-US">Read first.</langstring></description>
    <url>intro/index.html</url>
  </au>
  <au id="https://example.com/safety/quiz" moveOn="Passed" masteryScore="0.75">
    <title><langstring lang="en-US">Quiz</langstring></title>
    <description><langstring lang="en-US">Twenty questions.</langstring></description>
    <url>quiz/index.html</url>
  </au>
</courseStructure>
"""


def example_course() -> Course:
    """:data:`EXAMPLE_COURSE`, read."""
    return read_course(EXAMPLE_COURSE)


def statement(
    verb: str,
    *,
    user: str,
    au: str,
    session: str,
    at: str,
    registration: str = "registration-1",
    id: str | None = None,
    cmi5: bool = True,
    result: dict[str, Any] | None = None,
    launch_mode: str = "Normal",
    stored: str | None = None,
) -> dict[str, Any]:
    """One statement of ``user`` about the AU ``au`` in cmi5 session ``session``, at ``at``.

    ``verb`` is a cmi5 verb's name (``"launched"``, ``"passed"``, …) or any
    verb IRI; ``cmi5=False`` leaves the cmi5 category out (an "allowed"
    statement). ``launched`` carries ``launch_mode``. Without ``id``, the
    statement's id is derived from its other arguments (the same arguments
    give the same id).
    """
    iri = _IRIS.get(verb, verb)
    extensions: dict[str, Any] = {SESSION_ID: session}
    if verb == "launched":
        extensions[LAUNCH_MODE] = launch_mode
    activities: dict[str, Any] = {"grouping": [{"objectType": "Activity", "id": au}]}
    if cmi5:
        activities["category"] = [{"objectType": "Activity", "id": CMI5_CATEGORY}]
    made: dict[str, Any] = {
        "id": id or str(uuid.uuid5(_NAMESPACE, repr((verb, user, au, session, at, registration)))),
        "actor": {
            "objectType": "Agent",
            "account": {"homePage": "https://lms.example.com", "name": user},
        },
        "verb": {"id": iri, "display": {"en-US": iri.rsplit("/", 1)[-1]}},
        "object": {"objectType": "Activity", "id": f"https://lms.example.com/activities/{au}"},
        "context": {
            "registration": registration,
            "contextActivities": activities,
            "extensions": extensions,
        },
        "timestamp": at,
    }
    if result is not None:
        made["result"] = result
    if stored is not None:
        made["stored"] = stored
    return made


def voiding(target: str, *, id: str | None = None) -> dict[str, Any]:
    """A voiding statement (as an LRS administrator issues it) of the statement ``target``."""
    return {
        "id": id or str(uuid.uuid5(_NAMESPACE, "voids " + target)),
        "actor": {"objectType": "Agent", "mbox": "mailto:lrs-admin@example.com"},
        "verb": {"id": VOIDED, "display": {"en-US": "voided"}},
        "object": {"objectType": "StatementRef", "id": target},
    }
