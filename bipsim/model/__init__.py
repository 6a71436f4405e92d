"""The agent-based model: agents, their columnar state, the weekly schedule and the recorded truth."""

from bipsim.model.model import BipModel

__all__ = ["BipModel"]
