"""The people and places around one citizen: the social network two steps out, with employers and jobcentres.

:func:`neighbourhood` cuts from a finished run's citizen network (``model.network_graph``) the followed citizen,
their ties and their ties' ties, adds the employers any of them worked for during the run and the jobcentres
those employers are tied to (``model.employer_ties``), and places everything with a networkx spring layout
(seeded by the citizen's id, so the same citizen is always drawn the same way). The Follow tab draws it.
"""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx
import numpy as np
import pandas as pd

from bipsim.contract.vocabulary import ORIENTATION_KEYS, STATUS_KEYS
from bipsim.model import BipModel

RADIUS = 2  # ties of ties: what a referral or support can travel through


@dataclass(frozen=True)
class Neighbourhood:
    """Nodes (kind, key, x, y and what a hover shows) and edges (x0, y0, x1, y1, kind) around one citizen."""

    citizen_id: int
    nodes: pd.DataFrame  # node, kind (citizen/employer/jobcentre), id, x, y, status, orientation, distance
    edges: pd.DataFrame  # x0, y0, x1, y1, kind (social/works/tie)


def neighbourhood(model: BipModel, citizen_id: int, radius: int = RADIUS) -> Neighbourhood:
    """The citizen's network ``radius`` steps out, the employers its members worked for and their jobcentres."""
    social = nx.ego_graph(model.network_graph, citizen_id, radius=radius)
    distance = nx.single_source_shortest_path_length(social, citizen_id)
    graph = nx.Graph()
    graph.add_nodes_from(("citizen", int(c)) for c in social.nodes)
    graph.add_edges_from((("citizen", int(a)), ("citizen", int(b)), {"kind": "social"}) for a, b in social.edges)
    members = np.fromiter(social.nodes, dtype=np.int64)
    worked = model.record["employer"][: max(model.week, 1)][:, members]  # (weeks, members), -1 none
    for column, member in enumerate(members):
        for employer in np.unique(worked[:, column]):
            if employer >= 0:
                graph.add_edge(("citizen", int(member)), ("employer", int(employer)), kind="works")
    for node in [n for n in graph.nodes if n[0] == "employer"]:
        for tie in model.employer_ties.neighbors(node):
            graph.add_edge(node, tie, kind="tie")
    place = nx.spring_layout(graph, seed=int(citizen_id), k=1.2 / np.sqrt(max(graph.number_of_nodes(), 1)))
    citizens = model.citizens
    rows = []
    for node in graph.nodes:
        kind, index = node
        x, y = place[node]
        row = {"kind": kind, "id": index, "x": float(x), "y": float(y), "status": "", "orientation": "", "distance": -1}
        if kind == "citizen":
            row["status"] = STATUS_KEYS[int(citizens.status[index])]
            row["orientation"] = ORIENTATION_KEYS[int(citizens.orientation[index])]
            row["distance"] = int(distance[index])
        rows.append(row)
    edges = [
        {"x0": place[a][0], "y0": place[a][1], "x1": place[b][0], "y1": place[b][1], "kind": data["kind"]}
        for a, b, data in graph.edges(data=True)
    ]
    return Neighbourhood(
        int(citizen_id),
        pd.DataFrame(rows),
        pd.DataFrame(edges, columns=["x0", "y0", "x1", "y1", "kind"]),
    )
