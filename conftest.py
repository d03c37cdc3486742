"""Pytest set-up for the whole repository (tests/ has its own conftest.py as well).

Every notebook kernel that ``pytest --nbval`` starts inherits this process's environment,
so pinning the thread counts here makes the checked outputs independent of the machine's
core count and of whatever thread count the caller asked for (see ``tools/threads.py``).
"""

from __future__ import annotations

from tools.threads import pin_threads

pin_threads()
