"""Shared pytest set-up.

Under CI (the ``CI`` environment variable is set, as ``.ci/run`` has it) Hypothesis runs
derandomized: the same examples every run, so a red CI always reproduces, and without
per-example deadlines, which a loaded two-core machine can overrun. Locally it keeps
exploring new examples each run.

Test files with a ``slow`` test run first: ``make test`` spreads the files over two
processes (pytest-xdist, ``--dist loadfile``), and the few long files (live kernels, a fresh
Colab-like venv) must start early, not be left for one process at the end.
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


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Move the files that hold a ``slow`` test to the front, keeping every other order."""
    slow_files = {item.path for item in items if item.get_closest_marker("slow")}
    items.sort(key=lambda item: item.path not in slow_files)
