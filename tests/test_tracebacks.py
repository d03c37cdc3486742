"""nnlib's validation helpers are hidden from a learner's traceback in Jupyter (IPython).

IPython skips frames whose locals set ``__tracebackhide__`` (except the one that raised),
so a learner sees their own line and the nnlib function they called, not the chain of
checks in between.
"""

from __future__ import annotations

import contextlib
import io

from IPython.core.interactiveshell import InteractiveShell


def traceback_of(cell: str) -> str:
    shell = InteractiveShell.instance(colors="nocolor")
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        shell.run_cell(cell)
    return printed.getvalue()


def test_the_checks_between_the_learners_line_and_the_error_are_hidden() -> None:
    shown = traceback_of(
        "import nnlib\nfrom nnlib import nn, optim\nnet = nn.Linear(3, 2)\n"
        "opt = optim.SGD(net.parameters(), lr=-0.1)  # the learner's line\n"
    )
    assert "the learner's line" in shown
    assert "in SGD.__init__" in shown  # the function the learner called
    assert "skipping hidden" in shown
    assert "in _check_non_negative" not in shown  # the check in between
    assert "Invalid learning rate: -0.1" in shown and "help: " in shown
