"""Recovery: where analyses of observed data meet the truth, across replications (ADEMP)."""

EXTENDING = """\
Each method is scored only against the truth of the estimand it targets (same population, contrast, outcome
and scale). Rows too thin to estimate (fewer than 20 exposed citizens or 10 events) are reported as not
estimable, and every row carries the reason: which of the method's assumptions fail for that mechanism.

Adding an estimand and a method:
  estimand kind  an EstimandKind in ESTIMAND_KINDS of bipsim/contract/estimands.py (population, contrast,
                 outcome, scale, effect, and how its truth is computed or why there is none)
  its truth      a function in TRUTHS of bipsim/recovery/replicate.py, keyed by the kind (helpers that read
                 the factual run and the twins are in bipsim/counterfactual.py)
  a mechanism    an Estimand in ESTIMANDS (exposure, contrast, channel_contrast) and its strength in PLANTED
  a method       its rows via bipsim.analysis.estimates.row, and a Method in METHODS of
                 bipsim/analysis/methods.py (estimand kind, mechanisms it sees, assumptions; FAILURES says
                 which assumption fails for which exposure)
Then rerun `python -m bipsim.reports.docs --recover` to remake the recorded study of docs/research.md,
which explains each step ("Adding an estimand and a method").
"""
"""What ``bipsim recover --help`` says about reading and extending a recovery study."""
