"""A checker gives the same verdict whatever global state an earlier cell left behind.

Learners switch gradient tracking off (``nnlib.set_grad_enabled(False)``), make NumPy raise
on floating-point warnings (``np.seterr(all="raise")``) or turn warnings into errors, and
then run an exercise cell further down. Every checker of every chapter must still accept
the right answer (and never raise): the tables are the ``BATTERY`` of each
``tests/test_exercises*.py`` file, so a new chapter's checkers are covered as soon as its
test file declares its table.
"""

from __future__ import annotations

import importlib
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import nnlib
from nnlib.exercises import ch02


def _tables() -> dict[Any, Any]:
    tables: dict[Any, Any] = {}
    for path in sorted(Path(__file__).parent.glob("test_exercises*.py")):
        module = importlib.import_module(path.stem)
        tables.update(getattr(module, "BATTERY", {}))
    return tables


BATTERY = _tables()


@contextmanager
def _grad_off() -> Iterator[None]:
    nnlib.set_grad_enabled(False)
    try:
        yield
    finally:
        nnlib.set_grad_enabled(True)


@contextmanager
def _numpy_raises() -> Iterator[None]:
    old = np.seterr(all="raise")
    try:
        yield
    finally:
        np.seterr(**old)


@contextmanager
def _warnings_are_errors() -> Iterator[None]:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        yield


STATES: dict[str, Callable[[], Any]] = {
    "grad off": _grad_off,
    "np.seterr(all='raise')": _numpy_raises,
    "warnings as errors": _warnings_are_errors,
}


def test_every_chapter_battery_is_collected() -> None:
    titles = {checker.title for checker in BATTERY}
    assert {"neuron_forward", "cost_gradient", "softmax", "adam_step"} <= titles


@pytest.mark.parametrize("state", list(STATES))
@pytest.mark.parametrize("checker", list(BATTERY), ids=lambda c: c.title)
def test_right_answer_passes_whatever_state_was_left(checker: Any, state: str) -> None:
    right = BATTERY[checker][1]
    with STATES[state]():
        before = (nnlib.is_grad_enabled(), np.geterr(), len(warnings.filters))
        verdict = checker.evaluate(right)
        after = (nnlib.is_grad_enabled(), np.geterr(), len(warnings.filters))
    assert verdict.passed, verdict.text
    assert after == before, "the checker must leave the learner's state as it found it"


def test_a_checker_run_with_grad_off_prints_a_pass_and_keeps_grad_off(capsys: Any) -> None:
    checker = next(c for c in BATTERY if c.title == "relu_grad")
    check, right, _ = BATTERY[checker]
    with _grad_off():
        check(right)
        assert not nnlib.is_grad_enabled()
    assert capsys.readouterr().out.startswith("✓ relu_grad: correct")


class Cube(nnlib.autograd.Function):
    @staticmethod
    def forward(ctx: Any, x: Any) -> Any:
        ctx.save_for_backward(x)
        return x**3

    @staticmethod
    def backward(ctx: Any, grad_output: Any) -> Any:
        (x,) = ctx.saved_tensors
        return grad_output * 3 * x * x


@pytest.mark.parametrize("state", list(STATES))
def test_backward_rule_checker_whatever_state_was_left(state: str) -> None:
    with STATES[state]():
        verdict = ch02.evaluate_backward_rule(Cube, reference=lambda x: x**3)
    assert verdict.passed, verdict.text
