import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsfuse.read.decode import ReadError, decode, sniff_binary

STORY = "Le président a déclaré à la presse que la réunion était très importante pour l'avenir du pays."


def test_utf8_and_bom() -> None:
    assert decode(STORY.encode()) == STORY
    assert decode(b"\xef\xbb\xbf" + STORY.encode()) == STORY
    assert decode(STORY.encode("utf-16")) == STORY


def test_legacy_encoding_is_decoded_with_a_note() -> None:
    notes: list[str] = []
    assert decode(STORY.encode("cp1252"), notes=notes) == STORY
    assert notes and "not valid UTF-8" in notes[0]


def test_declared_charset_wins() -> None:
    html = f'<html><head><meta charset="iso-8859-1"></head><body><p>{STORY}</p></body></html>'
    assert STORY in decode(html.encode("iso-8859-1"))


def test_a_few_broken_bytes_in_utf8_are_replaced() -> None:
    data = (STORY + " ") .encode() * 20 + b"\xff" + STORY.encode()
    notes: list[str] = []
    text = decode(data, notes=notes)
    assert text.count("\ufffd") == 1 and "replaced" in notes[0]


@pytest.mark.parametrize(
    "data, what",
    [
        (b"%PDF-1.7\n...", "PDF"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "PNG"),
        (b"\x7fELF\x02\x01", "executable"),
        (b"abc\x00def" * 10, "binary"),
        (b"   \n\t ", "empty"),
    ],
)
def test_not_text(data: bytes, what: str) -> None:
    with pytest.raises(ReadError, match=what):
        decode(data)


def test_random_bytes_are_refused() -> None:
    import random

    rnd = random.Random(7)
    data = bytes(rnd.randrange(256) for _ in range(4000))
    with pytest.raises(ReadError):
        decode(data)
    assert sniff_binary(data) is not None or True  # sniffing may or may not decide; decode must


@given(st.binary(max_size=2000))
def test_decode_never_crashes(data: bytes) -> None:
    try:
        assert isinstance(decode(data), str)
    except ReadError:
        pass
