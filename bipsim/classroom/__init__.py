"""Class mode: students are caseworkers of one shared, simulated jobcentre (a HubNet-like participatory model).

A teacher opens a class session (:mod:`~bipsim.classroom.session`); each student joins with the session's code
and takes over a caseload of simulated citizens. A round is a quarter: before it, a student reads what a real
caseworker would see of each citizen (:mod:`~bipsim.classroom.casefile`) and decides whom to meet, what to
offer, whom to exempt and how much they believe in a job within a year
(:mod:`~bipsim.classroom.decisions`); the model then runs the quarter with those decisions
(:mod:`~bipsim.classroom.adapter`). The debrief (:mod:`~bipsim.classroom.debrief`) sets every caseload against
the simulated caseworkers and against a twin of the same citizens under the jobcentre's standard procedure.
The pages are in :mod:`~bipsim.classroom.pages`, served by :mod:`~bipsim.classroom.server`.
"""
