"""Vietnamese numerals: digits with thousands dots, zero padding, words, percentages."""
import pytest

from ratings.extraction.numbers import parse_count, parse_percent


@pytest.mark.parametrize(
    ("token", "value"),
    [("4", 4), ("04", 4), ("1.532", 1532), ("39.700", 39700), ("1.234.567", 1234567)],
)
def test_digits_read_with_thousands_dots_and_zero_padding(token, value):
    assert parse_count(token) == value


@pytest.mark.parametrize(
    ("words", "value"),
    [
        ("một", 1),
        ("mười", 10),
        ("mười bốn", 14),
        ("mười lăm", 15),
        ("hai mươi", 20),
        ("hai mươi mốt", 21),
        ("ba mươi tư", 34),
        ("một trăm linh năm", 105),
        ("hai trăm mười hai", 212),
        ("ba nghìn hai trăm", 3200),
        ("Mười Hai", 12),
    ],
)
def test_number_words_read_as_counts(words, value):
    assert parse_count(words) == value


def test_two_digits_in_a_row_are_not_a_number():
    assert parse_count("hai ba") is None


@pytest.mark.parametrize(("token", "value"), [("15,5%", 15.5), ("98,2 %", 98.2), ("100%", 100.0), ("7.5%", 7.5)])
def test_percentages_use_the_decimal_comma(token, value):
    assert parse_percent(token) == value
