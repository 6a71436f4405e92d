"""Recovery: where analyses of observed data meet the truth, across replications (ADEMP)."""
