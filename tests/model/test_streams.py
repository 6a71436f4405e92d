"""Random streams: one generator per (stream, week), all derived from one seed."""

from __future__ import annotations

import numpy as np
import pytest

from bipsim.engine.streams import STREAMS, RandomStreams, as_seed_sequence


def test_same_stream_and_week_repeat_exactly():
    a, b = RandomStreams(7), RandomStreams(7)
    np.testing.assert_array_equal(a("turnover", 3).random(20), b("turnover", 3).random(20))
    np.testing.assert_array_equal(a("turnover", 3).random(20), a("turnover", 3).random(20))


def test_streams_weeks_and_seeds_are_distinct():
    streams = RandomStreams(7)
    draws = {(s, w): streams(s, w).random(8).tobytes() for s in STREAMS for w in (-1, 0, 1, 51)}
    assert len(set(draws.values())) == len(draws)
    assert RandomStreams(8)("readiness", 0).random(8).tobytes() != draws[("readiness", 0)]


def test_drawing_from_one_stream_does_not_move_another():
    streams = RandomStreams(7)
    expected = RandomStreams(7)("readiness", 5).random(10)
    streams("turnover", 5).random(10_000)
    np.testing.assert_array_equal(streams("readiness", 5).random(10), expected)


@pytest.mark.parametrize("seed", [-1, 1.5, True, "1"])
def test_bad_seeds_are_rejected(seed):
    with pytest.raises(ValueError, match="non-negative integer"):
        as_seed_sequence(seed)


def test_unknown_stream_is_rejected():
    with pytest.raises(ValueError):
        RandomStreams(0)("weather", 0)
