"""The sandbox's tabs, one :class:`~panel.viewable.Viewer` per tab, in the order the page shows them.

``flows`` (where the citizens are, week by week), ``readiness`` (indicators: truth and two raters), ``register``
(self-sufficiency of those who got a job and those who did not), ``stories`` (one citizen's timeline and
interviews), ``methods_vs_truth`` (triangulation, planted mechanisms, calibration, and the ``recovery`` study),
``compare`` (two scenarios over paired replications) and ``about`` (the model explained). ``tab`` holds what they
share: a title, words in the page's language, and figures drawn only while the tab is open.
"""
