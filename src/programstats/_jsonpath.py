"""JSONPath expressions (RFC 9535) that name one value of the input (private).

A problem's path selects exactly the value it is about: ``$.users[3].email``.
Member names of ASCII letters, digits and ``_`` that do not start with a
digit use the dot shorthand; any other name is written in brackets and
single quotes, ``$['a.b[0]']``, with ``'`` and ``\\`` escaped and every
control character, and every unpaired surrogate, as an escape
(``\\n``, ``\\u001f``, ``\\ud800``). A path is therefore one line of plain,
writable text, and no key can make it look like another path.

>>> member(index(member("$", "users"), 3), "email")
'$.users[3].email'
>>> member("$", "a.b[0]"), member("$", "it's\\n")
("$['a.b[0]']", "$['it\\\\'s\\\\n']")
"""

from __future__ import annotations

import re

from ._checks import short

__all__ = ["ROOT", "index", "member"]

ROOT = "$"

_SHORTHAND = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
# Control characters, quote, backslash and surrogates: everything escaped in a name.
_ESCAPED = re.compile("[\x00-\x1f\x7f'\\\\\ud800-\udfff]")
_NAMED = {"\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t", "'": "\\'", "\\": "\\\\"}
#: Longest representation of a key that is not text (a mapping may have any).
LONGEST_NAME = 80


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    return _NAMED.get(char) or f"\\u{ord(char):04x}"


def member(path: str, name: object) -> str:
    """``path`` followed by the member ``name`` (an object's key)."""
    if type(name) is str and _SHORTHAND.fullmatch(name):
        return f"{path}.{name}"
    text = name if isinstance(name, str) else short(name, LONGEST_NAME)
    text = str.__str__(text)
    return f"{path}['{_ESCAPED.sub(_escape, text)}']"


def index(path: str, position: int) -> str:
    """``path`` followed by the array index ``position`` (0-based)."""
    return f"{path}[{int(position)}]"
