"""Analyses of observed data: they read bundles (or observed tables), never the truth."""
