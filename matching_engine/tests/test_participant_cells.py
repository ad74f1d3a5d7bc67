"""The participant reader's quick path for plain cells gives what the full cleaning gives."""

from __future__ import annotations

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from matching_engine.participants.cells import _clean, _clean_fully, _plain
from matching_engine.participants.results import _CellError

TRICKY = st.sampled_from(
    [
        " ",
        "\t",
        "\r",
        "\n",
        "\r\n",
        "=",
        "+",
        "-",
        "@",
        "\x00",
        "\x1f",
        "\ufffe",
        "\u00a0",
        "\u2028",
        "\x85",
        "é",
    ]
)
TEXT = st.lists(st.one_of(TRICKY, st.text(max_size=3)), max_size=6).map("".join)


@settings(max_examples=400, deadline=None)
@given(TEXT, st.sampled_from(["name", "time_zone", "goals"]))
@example("Ada Lovelace", "name")
@example("\u00a0Ada", "name")
@example("Ada\u00a0", "name")
def test_a_plain_cell_is_left_as_it_is_and_any_other_is_cleaned_in_full(text: str, column: str):
    if text and _plain(text):
        assert _clean_fully(column, text) == text
    try:
        full: str | None = _clean_fully(column, text) if text else text
    except _CellError:
        full = None
    if full is None:
        with pytest.raises(_CellError):
            _clean(column, text)
    else:
        assert _clean(column, text) == full


def test_the_quick_path_takes_ordinary_cells():
    assert all(_plain(t) for t in ["Ada Lovelace", "ada@example.org", "Europe/Berlin", "Mon 09:00-12:00"])
    assert not any(
        _plain(t)
        for t in [" Ada", "Ada ", "=SUM(A1)", "-5", "a\nb", "a\tb", "\u00a0Ada", "Ada\u2028", "\ufffe"]
    )
