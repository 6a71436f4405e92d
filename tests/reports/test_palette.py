"""The fixed palette: every status, activity and event kind of the contract has its own colour."""

from __future__ import annotations

from bipsim.contract.codes import BENEFIT_KEYS
from bipsim.contract.vocabulary import EVENT_KEYS, INTERVENTION_KEYS, STATUS_KEYS
from bipsim.reports import palette


def test_every_term_of_the_vocabulary_has_a_colour_and_no_two_share_one_in_a_lane():
    for table, keys in (
        (palette.STATUS_COLOURS, STATUS_KEYS),
        (palette.ACTIVITY_COLOURS, INTERVENTION_KEYS),
        (palette.EVENT_COLOURS, EVENT_KEYS),
        (palette.BENEFIT_COLOURS, BENEFIT_KEYS),
    ):
        assert set(table) == set(keys)
    for table in (palette.STATUS_COLOURS, palette.ACTIVITY_COLOURS, palette.EVENT_COLOURS):
        assert len(set(table.values())) == len(table)


def test_a_register_code_has_the_colour_of_the_status_it_records():
    assert palette.colour("benefit", "kh_activity_ready") == palette.colour("status", "activity_ready")
    assert palette.colour("benefit", "ordinary_job") == palette.colour("status", "job")
    assert palette.colour("event", "no_such_event") == palette.UNKNOWN
