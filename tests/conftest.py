"""Shared pytest set-up.

Under CI (the ``CI`` environment variable is set, as ``.ci/run`` has it) Hypothesis runs
derandomized: the same examples every run, so a red CI always reproduces, and without
per-example deadlines, which a loaded two-core machine can overrun. Locally it keeps
exploring new examples each run.
"""

from __future__ import annotations

import os

from hypothesis import settings

settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")
