"""Matching workflows, one module a topic: ``runs`` (solve a cohort, in the request or as
a job), ``review`` (a manager's edits to a run before publishing) and ``publishing``
(the run's mentorships and their introductions). The reads are in ``selectors``; the
maths is the engine's (``matching_engine.runs``)."""

from __future__ import annotations
