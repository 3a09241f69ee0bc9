"""An export's text is checked for NUL and lone surrogates wherever they hide, and only there."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tracker.errors import BadInput
from tracker.export_format import _loads

HEAD = '{"format": "debt-tracker", "version": 1, "loans": [], '


@pytest.mark.parametrize(
    "tail",
    [
        '"x": "\\ud800"}',  # a lone high surrogate
        '"x": ["ok", {"y": "a\\uDC00b"}]}',  # a lone low surrogate, deep inside, upper case hex
        '"\\u0000key": 1}',  # a NUL in a key
        '"x": [[["\\u0000"]]]}',
    ],
)
def test_bad_text_is_found_wherever_it_is(tail):
    with pytest.raises(BadInput, match="not valid Unicode"):
        _loads(HEAD + tail, Path("x.json"))


@pytest.mark.parametrize(
    "tail",
    [
        '"x": "\\ud83d\\ude00"}',  # a surrogate pair: one real character
        '"x": "\\\\ud800"}',  # an escaped backslash: the text "\\ud800", not a surrogate
        '"x": "贷款 \\u0041"}',
    ],
)
def test_good_text_passes(tail):
    data = _loads(HEAD + tail, Path("x.json"))
    assert data["x"] == json.loads("{" + tail)["x"]


def test_a_raw_surrogate_in_the_text_itself_is_found():
    with pytest.raises(BadInput, match="not valid Unicode"):
        _loads(HEAD + '"x": "a\ud800b"}', Path("x.json"))
