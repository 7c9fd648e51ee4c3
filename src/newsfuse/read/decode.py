"""From bytes of unknown origin to text, or a clear reason why not."""

from __future__ import annotations

import codecs
import re

from ..model import Problem


class ReadError(Exception):
    """An input item that cannot be read; the message is the one-line reason."""


# Leading bytes of common binary formats, for a friendlier reason than "binary".
_MAGIC = [
    (b"%PDF", "a PDF document"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"PK\x03\x04", "a ZIP archive"),
    (b"\x1f\x8b", "gzip-compressed data"),
    (b"\x7fELF", "an executable"),
    (b"BZh", "bzip2-compressed data"),
    (b"\xfd7zXZ", "xz-compressed data"),
    (b"RIFF", "a RIFF (audio/video) file"),
    (b"OggS", "an Ogg media file"),
    (b"ID3", "an MP3 file"),
    (b"\x00\x00\x00", "binary data"),
]
_BOMS = [
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
]
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
# Characters that are rare in text but common when binary data is decoded as
# UTF-16: byte-order marks, format controls, private use, surrogates, and the
# Arabic presentation forms and specials blocks that random byte pairs land in.
_ODD = re.compile("[\ufeff\ufffd\ue000-\uf8ff\ud800-\udfff\u200b-\u200f\u2060-\u206f\ufb50-\ufdff\ufe70-\ufeff\ufff0-\uffff]")
_META_CHARSET = re.compile(rb"""<meta[^>]+charset=["']?([\w.:-]+)""", re.I)


def sniff_binary(data: bytes) -> str | None:
    """What binary format the data is, or None if it may be text."""
    if any(data.startswith(b) for b, _ in _BOMS):
        return None
    for magic, what in _MAGIC:
        if data.startswith(magic):
            return what
    if _control_bytes(data[:8192]) > max(1, len(data[:8192]) // 100):
        return "binary data"
    return None


# The C0 control bytes text does not use (tab, newlines and form feed are text).
_CONTROL_BYTES = bytes([*range(0x00, 0x09), 0x0B, *range(0x0E, 0x20)])


def _control_bytes(sample: bytes) -> int:
    """How many bytes of ``sample`` are control bytes. Binary data is full of them; a text
    may hold a stray one (a NUL left by an editor or a bad copy), which does not make it binary."""
    return len(sample) - len(sample.translate(None, _CONTROL_BYTES))


def decode(data: bytes, *, declared: str | None = None, notes: list[str] | None = None) -> str:
    """Decode ``data`` as text.

    UTF-8 first (it is what nearly all news is in), then a charset the
    container declared, then a mostly-UTF-8 text with a few broken bytes, then
    a detected legacy encoding. Anything that was guessed is said in ``notes``
    so the caller can report it. Raises :class:`ReadError` when the data is not
    text at all.
    """
    if not data.strip():
        raise ReadError("empty")
    what = sniff_binary(data)
    if what:
        raise ReadError(f"not text: {what}")
    for bom, enc in _BOMS:
        if data.startswith(bom):
            return _checked(data.decode(enc, errors="replace"), notes)
    try:
        return _checked(data.decode("utf-8"), notes)
    except UnicodeDecodeError:
        pass
    declared = declared or _declared_charset(data)
    if declared:  # (when it says UTF-8, the strict decode above already failed)
        try:
            return _checked(data.decode(declared), notes)
        except (LookupError, UnicodeDecodeError):
            pass
    replaced = data.decode("utf-8", errors="replace")
    bad = replaced.count("\ufffd")
    multibyte = sum(1 for ch in replaced if ord(ch) > 0x7F and ch != "\ufffd")
    if multibyte and bad <= max(2, len(data) // 200):
        _note(notes, f"not valid UTF-8: {bad} broken byte sequence(s) replaced")
        return _checked(replaced, notes)
    guess = _guess(data)
    if guess:
        enc, text = guess
        _note(notes, f"not valid UTF-8: decoded as {enc}")
        return _checked(text, notes)
    raise ReadError("not text: invalid UTF-8 and no other encoding fits")


def _note(notes: list[str] | None, msg: str) -> None:
    if notes is not None:
        notes.append(msg)


def _declared_charset(data: bytes) -> str | None:
    m = _META_CHARSET.search(data[:4096])
    return m.group(1).decode("ascii", "replace") if m else None


def _guess(data: bytes) -> tuple[str, str] | None:
    from charset_normalizer import from_bytes

    matches = list(from_bytes(data[:200_000]))
    if not matches or matches[0].chaos > 0.2:
        return None
    best = matches[0]
    # Short Western texts fit several code pages equally well; Windows-1252 is
    # by far the most common one in news, so it wins a tie.
    western = next((m for m in matches if m.encoding == "cp1252" and m.chaos <= best.chaos + 0.01), None)
    encoding = (western or best).encoding
    try:
        return encoding, data.decode(encoding)
    except (LookupError, UnicodeDecodeError):
        return None


def _checked(text: str, notes: list[str] | None = None) -> str:
    """Reject text that decoded but is not text: control characters, or the
    format, private-use and unassigned characters that binary data decoded as
    UTF-16 turns into. NUL characters are dropped (no text means one; parsers
    downstream stop at them) and said in ``notes``."""
    nuls = text.count("\x00")
    if nuls:
        text = text.replace("\x00", "")
        _note(notes, f"{nuls} NUL character(s) removed")
    sample = text[:20000]
    if not sample:
        return text
    if len(_CONTROL.findall(sample)) > max(8, len(sample) // 100):
        raise ReadError("not text: too many control characters (binary or corrupt)")
    if sample.isascii():
        return text
    odd = len(_ODD.findall(sample))
    if odd > max(8, len(sample) // 50):
        raise ReadError("not text: mostly unassigned or invisible characters (binary or corrupt)")
    return text


def problem(item: str, err: BaseException) -> Problem:
    return Problem(item=item, reason=str(err) or type(err).__name__)
