from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsfuse.dates import date_from_url, parse_date_line, parse_datetime


@pytest.mark.parametrize(
    "line, expected",
    [
        ("Tue. Jan 18th, 2022", datetime(2022, 1, 18)),
        ("Thu. Mar 6th, 2025", datetime(2025, 3, 6)),
        ("January 18, 2022", datetime(2022, 1, 18)),
        ("18 January 2022", datetime(2022, 1, 18)),
        ("Published: January 18, 2022 10:23 AM", datetime(2022, 1, 18, 10, 23)),
        ("Published the 7 March 2025 at 17h05", datetime(2025, 3, 7, 17, 5)),
        ("mardi 18 janvier 2022", datetime(2022, 1, 18)),
        ("mar. 18 janv. 2022 à 14h30", datetime(2022, 1, 18, 14, 30)),
        ("Publié le 18/01/2022 à 14h30", datetime(2022, 1, 18, 14, 30)),
        ("Dienstag, 18. Januar 2022", datetime(2022, 1, 18)),
        ("Veröffentlicht am 18.01.2022, 10:23 Uhr", datetime(2022, 1, 18, 10, 23)),
        ("martes, 18 de enero de 2022", datetime(2022, 1, 18)),
        ("Publicado el 18 de enero de 2022 a las 10:23", datetime(2022, 1, 18, 10, 23)),
        ("18 gennaio 2022", datetime(2022, 1, 18)),
        ("30/12/2021", datetime(2021, 12, 30)),
        ("12/30/2021", datetime(2021, 12, 30)),  # month first is the only reading
    ],
)
def test_date_lines(line: str, expected: datetime) -> None:
    assert parse_date_line(line) == expected


def test_date_line_with_zone() -> None:
    got = parse_date_line("December 30, 2021 | 8:35 PM EST")
    assert got == datetime(2021, 12, 30, 20, 35, tzinfo=timezone(timedelta(hours=-5)))
    assert parse_date_line("2022-01-18T10:23:00Z") == datetime(2022, 1, 18, 10, 23, tzinfo=timezone.utc)


@pytest.mark.parametrize(
    "line",
    [
        "Putin spoke to Biden on Jan 18th, 2022.",  # a sentence with a date is not a date line
        "Talks next month",
        "Source link -83",
        "March 2022",  # no day
        "The 10th",
        "By admin",
        "31 February 2022",  # no such day
        "",
    ],
)
def test_not_date_lines(line: str) -> None:
    assert parse_date_line(line) is None


def test_parse_datetime_fields() -> None:
    assert parse_datetime("2021-12-30T20:35:00Z") == datetime(2021, 12, 30, 20, 35, tzinfo=timezone.utc)
    assert parse_datetime("Thu, 30 Dec 2021 20:35:00 GMT") == datetime(2021, 12, 30, 20, 35, tzinfo=timezone.utc)
    assert parse_datetime(1640896500) == datetime(2021, 12, 30, 20, 35, tzinfo=timezone.utc)
    assert parse_datetime(1640896500000) == datetime(2021, 12, 30, 20, 35, tzinfo=timezone.utc)
    assert parse_datetime("not a date") is None
    assert parse_datetime(None) is None
    assert parse_datetime(True) is None


def test_date_from_url() -> None:
    assert date_from_url("https://x.example/news/2021/12/30/putin-biden") == datetime(2021, 12, 30)
    assert date_from_url("https://x.example/2021-12-30-putin") == datetime(2021, 12, 30)
    assert date_from_url("https://x.example/news/1234/56/78/") is None
    assert date_from_url(None) is None


@given(st.text(max_size=120))
def test_date_line_never_crashes(line: str) -> None:
    got = parse_date_line(line)
    assert got is None or isinstance(got, datetime)


@given(st.one_of(st.text(max_size=60), st.integers(), st.floats(allow_nan=True), st.none()))
def test_parse_datetime_never_crashes(value: object) -> None:
    got = parse_datetime(value)
    assert got is None or isinstance(got, datetime)
