"""Shared pytest set-up.

Under CI (the ``CI`` environment variable is set, as ``.ci/run`` has it) Hypothesis runs
derandomized: the same examples every run, so a red CI always reproduces, and without
per-example deadlines, which a loaded two-core machine can overrun. Locally it keeps
exploring new examples each run.
"""

from __future__ import annotations

import os

import pytest
from hypothesis import settings

# Plain `assert`s in the shared helpers report their values like those in test files.
pytest.register_assert_rewrite("tests.helpers")

settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Parametrize the checker-battery tests over the ``BATTERY`` table of their class."""
    battery = getattr(metafunc.cls, "BATTERY", None)
    if not battery:
        return
    from tests.helpers import battery_params

    argnames = [name for name in ("checker", "wrong", "hint", "status", "stub")
                if name in metafunc.fixturenames]  # fmt: skip
    params, ids = battery_params(battery, argnames)
    metafunc.parametrize(",".join(argnames), params, ids=ids)
