"""The engine under the mechanisms: columnar agent state, compiled-loop helpers, random streams, event log."""
