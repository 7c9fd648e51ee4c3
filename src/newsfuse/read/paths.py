"""File names as data: any name the operating system gives, as valid Unicode.

A POSIX file name is bytes. Python hands a name that is not valid UTF-8 over
as a string with lone surrogates (``surrogateescape``), which opens the file
but cannot be encoded again: written to the store, to JSON or to a terminal it
fails or corrupts the output. An article's origin is therefore the name with
each undecodable byte written as ``\\xNN`` and each backslash doubled, the body
of a shell ``$'...'`` string: valid Unicode, readable, and reversible
(:func:`path_of_origin`). Names that are valid UTF-8 and hold no backslash are
their own origin. The reader opens files by their real name, never by origin.
"""

from __future__ import annotations

import os
import re

# A byte Python could not decode (U+DC80..U+DCFF) or any other lone surrogate
# (a Windows name may hold one); on POSIX a backslash too, so the escaping can be undone.
_ESCAPED = re.compile(r"[\ud800-\udfff\\]" if os.sep == "/" else r"[\ud800-\udfff]")
_UNESCAPE = re.compile(r"\\(\\|x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4})")


def _escape(m: re.Match[str]) -> str:
    ch = m.group()
    if ch == "\\":
        return "\\\\"
    code = ord(ch)
    return f"\\x{code - 0xDC00:02x}" if 0xDC80 <= code <= 0xDCFF else f"\\u{code:04x}"


def origin_of(path: str | bytes | os.PathLike[str] | os.PathLike[bytes]) -> str:
    """The origin (valid Unicode) naming a file, from its name as the OS gives it.

    >>> origin_of(b"news/caf\\xe9.txt")
    'news/caf\\\\xe9.txt'
    """
    name = os.fsdecode(path)
    return _ESCAPED.sub(_escape, name)


def _unescape(m: re.Match[str]) -> str:
    code = m.group(1)
    if code == "\\":
        return "\\"
    value = int(code[1:], 16)
    return chr(0xDC00 + value) if code[0] == "x" else chr(value)


def path_of_origin(origin: str) -> str:
    """The file name (as Python's ``os`` functions take it) that :func:`origin_of` gave ``origin`` for."""
    return _UNESCAPE.sub(_unescape, origin)
