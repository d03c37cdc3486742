"""A learner's endless loop or runaway memory: the checker stops it and says where it was."""

from __future__ import annotations

import signal
import time

import numpy as np
import pytest

from nnlib.exercises import limits
from nnlib.exercises.ch05 import _EWA  # the Checker behind check_ewa
from nnlib.exercises.core import ERROR, PASS

pytestmark = pytest.mark.skipif(not limits.can_limit(), reason="needs SIGALRM (Unix)")


@pytest.fixture
def short_limits(monkeypatch: pytest.MonkeyPatch) -> None:
    """A one-second limit, so the tests are quick (the default is 5 s)."""
    monkeypatch.setattr(limits, "SECONDS", 1.0)


def ewa_that_never_advances(values, beta, bias_correction=False):
    averages, v, t = [], 0.0, 0
    while t < len(values):  # t is never increased
        v = beta * v + (1 - beta) * values[t]
    return np.array(averages)


def ewa_that_appends_forever(values, beta, bias_correction=False):
    averages, v, t = [], 0.0, 0
    while t < len(values):
        v = beta * v + (1 - beta) * values[t]
        averages.append(v)  # t is never increased, and the list grows
    return np.array(averages)


def ewa_that_swallows_everything(values, beta, bias_correction=False):
    t = 0
    while t < len(values):
        try:
            v = values[t] / 0.0
        except Exception:  # a learner's catch-all cannot swallow the checker's stop
            v = 0.0
    return v


def right_ewa(values, beta, bias_correction=False):
    out, v = [], 0.0
    for t, x in enumerate(values, start=1):
        v = beta * v + (1 - beta) * x
        out.append(v / (1 - beta**t) if bias_correction else v)
    return np.array(out)


def test_an_endless_loop_is_stopped_with_its_line(short_limits: None) -> None:
    start = time.monotonic()
    verdict = _EWA.evaluate(ewa_that_never_advances)
    assert time.monotonic() - start < 10
    assert verdict.status == ERROR
    first = verdict.text.splitlines()[0]
    assert first.startswith("✗ ewa: did not return within 1 s on case 1 of ")
    assert first.endswith("an endless loop?")
    running = next(line for line in verdict.text.splitlines() if "where:" in line)
    assert running.endswith(
        ("in ewa_that_never_advances: v = beta * v + (1 - beta) * values[t]",
         "in ewa_that_never_advances: while t < len(values):  # t is never increased")
    ), running  # fmt: skip
    assert "does the loop variable change on every pass?" in verdict.hint


def test_a_loop_that_appends_forever_is_stopped_before_memory_runs_away(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(limits, "SECONDS", 60.0)  # only the memory limit can stop it
    monkeypatch.setattr(limits, "MEMORY_MB", 100.0)
    before = limits._resident_mb()
    start = time.monotonic()
    verdict = _EWA.evaluate(ewa_that_appends_forever)
    assert time.monotonic() - start < 10
    assert verdict.status == ERROR
    assert "took more than 100 MB of new memory" in verdict.text, verdict.text
    assert "where:    line " in verdict.text  # one of the loop's three lines
    assert "of your code, in ewa_that_appends_forever: " in verdict.text
    # The list is freed when the learner's frame is gone: the kernel does not keep it.
    assert limits._resident_mb() - before < 300


def test_a_catch_all_in_the_learners_loop_cannot_swallow_the_stop(short_limits: None) -> None:
    verdict = _EWA.evaluate(ewa_that_swallows_everything)
    assert verdict.status == ERROR
    assert "did not return within 1 s" in verdict.text


def test_right_answers_pass_and_the_timer_is_given_back(short_limits: None) -> None:
    fired = []
    previous = signal.signal(signal.SIGALRM, lambda *_: fired.append(True))
    try:
        signal.setitimer(signal.ITIMER_REAL, 30.0)  # someone else's timer, running
        assert _EWA.evaluate(right_ewa).status == PASS
        remaining, _ = signal.getitimer(signal.ITIMER_REAL)
        assert 0 < remaining <= 30.0, "the earlier timer must run on after the check"
        assert signal.getsignal(signal.SIGALRM) is not limits.limited
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    assert not fired
