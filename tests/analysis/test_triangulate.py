"""The app's entry to triangulation: analyses run on observed data, each cell says what a method found."""

from __future__ import annotations

import bipsim
from bipsim.analysis.analyze import triangulate
from bipsim.contract.estimands import ESTIMAND_KEYS
from bipsim.instruments import observe


def test_triangulate_gives_a_finding_for_every_mechanism_and_method():
    table = triangulate(observe(bipsim.simulate(seed=4, citizens=1500, weeks=110)))
    assert set(table["mechanism"]) == set(ESTIMAND_KEYS)
    assert table["finding"].map(lambda text: isinstance(text, str) and len(text) > 0).all()
    unseen = table[table["detected"].isna()]
    assert (unseen["finding"] == "cannot see it").all()
    seen = table[table["detected"].notna()]
    assert seen["finding"].str.contains("detected|not significant").all()
