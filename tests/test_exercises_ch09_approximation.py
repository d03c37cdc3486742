"""Chapter 9's checkers: the right answer passes, each realistic mistake is rejected with a
hint that names it, a stub is "not attempted", a crash is summarised without raising, and two
runs print the same text (the shared checker battery of tests/helpers.py on this file's
table). The mistakes are written as a learner would write them, beyond the ones each checker
was designed around."""

import warnings

import numpy as np
import pytest
import scipy.special

import nnlib
from nnlib.exercises import (
    check_bump,
    check_sawtooth_counts,
    check_staircase_params,
    check_step,
    check_tent_params,
)
from nnlib.exercises.ch09 import _BUMP, _COUNTS, _STAIRCASE, _STEP, _TENT, _no_overflow, _tent_net
from tests.helpers import CheckerBattery


# ---------------------------------------------------------------------------- step
def step_right(x, center, s):
    z = s * (x - center)
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1 / (1 + e), e / (1 + e))


def step_naive(x, center, s):
    return 1 / (1 + np.exp(-s * (x - center)))


def step_exp_ratio(x, center, s):
    e = np.exp(s * (x - center))
    return e / (1 + e)


def step_where_both_branches(x, center, s):
    z = s * (x - center)
    return np.where(z >= 0, 1 / (1 + np.exp(-z)), np.exp(z) / (1 + np.exp(z)))


def step_loop(x, center, s):
    out = []
    for xi in x:
        out.append(1 / (1 + np.exp(-s * (xi - center))))
    return np.array(out)


STEP_WRONG = [
    (step_naive, "np.exp overflowed", "error"),
    (step_exp_ratio, "np.exp overflowed", "error"),
    (step_where_both_branches, "np.exp overflowed", "error"),
    (step_loop, "np.exp overflowed", "error"),
    (lambda x, c, s: scipy.special.expit(s * (c - x)), "wrong way"),
    (lambda x, c, s: scipy.special.expit(s * x - c), "not σ(s·x − center)"),
    (lambda x, c, s: scipy.special.expit(x - c), "multiply by the steepness"),
    (lambda x, c, s: (x > c).astype(float), "hard step"),
    (lambda x, c, s: np.heaviside(x - c, 1.0), "hard step"),
    (lambda x, c, s: np.tanh(s * (x - c)), "tanh runs from −1 to 1"),
    (lambda x, c, s: 0.5 * (1 + np.tanh(s * (x - c))), "halve z"),
    (lambda x, c, s: 1 / (1 + np.exp(np.clip(s * (x - c), -500, 500))), "wrong way"),
    (lambda x, c, s: scipy.special.expit(s * (x + c)), "x = −center"),
]

# ---------------------------------------------------------------------------- bump
sig = scipy.special.expit


def bump_right(x, left, right, height, s):
    return height * (sig(s * (x - left)) - sig(s * (x - right)))


def bump_naive(x, left, right, height, s):
    return height * (step_naive(x, left, s) - step_naive(x, right, s))


BUMP_WRONG = [
    (bump_naive, "np.exp overflowed", "error"),
    (lambda x, lo, hi, h, s: h * (sig(s * (x - hi)) - sig(s * (x - lo))), "upside down"),
    (lambda x, lo, hi, h, s: h * (sig(s * (x - lo)) + sig(s * (x - hi))), "DIFFERENCE"),
    (lambda x, lo, hi, h, s: sig(s * (x - lo)) - sig(s * (x - hi)), "scale the bump by"),
    (lambda x, lo, hi, h, s: h * sig(s * (x - lo)) - sig(s * (x - hi)), "BOTH steps"),
    (lambda x, lo, hi, h, s: h * sig(s * (x - lo)), "that is one step"),
    (lambda x, lo, hi, h, s: h * (sig(s * x - lo) - sig(s * x - hi)), "scale the distance"),
    (lambda x, lo, hi, h, s: h * (sig(x - lo) - sig(x - hi)), "steepness s in both"),
    (lambda x, lo, hi, h, s: h * ((x > lo) & (x < hi)), "hard box"),
    (lambda x, lo, hi, h, s: np.where((x >= lo) & (x <= hi), h, 0.0), "hard box"),
]


# ----------------------------------------------------------------------- staircase
def staircase_right(f, lo, hi, n, s):
    x = np.linspace(lo, hi, n + 1)
    mid = (x[:-1] + x[1:]) / 2
    return np.full((n, 1), s), -s * mid, np.diff(f(x))[None, :], np.array([f(lo)])


def staircase_loop(f, lo, hi, n, s):
    h = (hi - lo) / n
    W1, b1, W2 = np.zeros((n, 1)), np.zeros(n), np.zeros((1, n))
    for i in range(1, n + 1):
        m = lo + (i - 0.5) * h
        W1[i - 1, 0] = s
        b1[i - 1] = -s * m
        W2[0, i - 1] = f(lo + i * h) - f(lo + (i - 1) * h)
    return W1, b1, W2, np.array([f(lo)])


def _with(**change):
    def wrong(f, lo, hi, n, s):
        x = np.linspace(lo, hi, n + 1)
        c = {"mid": (x[:-1] + x[1:]) / 2, "right": x[1:], "left": x[:-1]}[change.get("c", "mid")]
        heights = {"diff": np.diff(f(x)), "value": f(x[1:]), "flip": f(x[:-1]) - f(x[1:])}[
            change.get("h", "diff")
        ]
        b1 = {"-sm": -s * c, "+sm": s * c, "-m": -c, "-s-m": -(s + c)}[change.get("b1", "-sm")]
        W1 = np.ones((n, 1)) if change.get("w1") == "1" else np.full((n, 1), s)
        b2 = {"f(lo)": np.array([f(lo)]), "0": np.zeros(1), "f(hi)": np.array([f(hi)])}[
            change.get("b2", "f(lo)")
        ]
        return W1, b1, heights[None, :], b2

    return wrong


STAIRCASE_WRONG = [
    (_with(c="right"), "halfway between"),
    (_with(c="left"), "halfway between"),
    (_with(b1="+sm"), "opposite sign"),
    (_with(b1="-m"), "scale the bias by s"),
    (_with(w1="1"), "every row of W1 is s"),
    (_with(h="value"), "the CHANGE"),
    (_with(h="flip"), "later minus earlier"),
    (_with(b2="0"), "output bias b2"),
    (_with(b2="f(hi)"), "output bias b2"),
    (
        lambda f, lo, hi, n, s: tuple(p.reshape(-1) for p in staircase_right(f, lo, hi, n, s)),
        "shape",
    ),
]
# Two slips at once get the default hint, which spells out every part.
STAIRCASE_WRONG.append((_with(c="right", b1="-m"), "W1 = s (n×1)"))


# ---------------------------------------------------------------------------- tent
def tent_right():
    return (
        np.array([[1.0], [1.0]]),
        np.array([0.0, -0.5]),
        np.array([[2.0, -4.0]]),
        np.array([0.0]),
    )


def tent_scaled():  # another correct answer: relu(2x), relu(2x - 1), weights 1 and -2
    return (
        np.array([[2.0], [2.0]]),
        np.array([0.0, -1.0]),
        np.array([[1.0, -2.0]]),
        np.array([0.0]),
    )


def tent_torch_style():  # nnlib layers, weights set by hand
    first, second = nnlib.nn.Linear(1, 2), nnlib.nn.Linear(2, 1)
    first.weight.data[...] = [[1.0], [1.0]]
    first.bias.data[...] = [0.0, -0.5]
    second.weight.data[...] = [[2.0, -4.0]]
    second.bias.data[...] = [0.0]
    return first.weight, first.bias, second.weight, second.bias


def _tent(w2, b1=(0.0, -0.5), w1=(1.0, 1.0)):
    return lambda: (np.array(w1)[:, None], np.array(b1), np.array([w2]), np.array([0.0]))


TENT_WRONG = [
    (_tent([2.0, -2.0]), "CHANGE of −4"),
    (_tent([2.0, -8.0]), "from +2 to −6"),
    (_tent([1.0, -2.0]), "peaks at 1"),
    (_tent([4.0, -8.0]), "peaks at 1"),
    (_tent([2.0, -4.0], b1=(0.0, 0.5)), "x = −b/w"),
    (_tent([2.0, -4.0], b1=(0.0, -1.0)), "bends at 1"),
    (_tent([-2.0, 4.0]), "upside down"),
    (_tent([2.0, -4.0], b1=(0.0, -1.0), w1=(1.0, 2.0)), "relu(2x − 1)"),
    (lambda: (np.array([1.0, 1.0]), np.array([0.0, -0.5]), np.array([2.0, -4.0]), 0.0), "error"),
]


# ------------------------------------------------------------------------- counts
COUNTS_WRONG = [
    (lambda k: (2 * k, 2 * k - 1), "double with each layer"),
    (lambda k: (k + 1, k), "double with each layer"),
    (lambda k: (2**k - 1, 2**k - 2), "not bends or teeth"),
    (lambda k: (2 ** (k - 1), 2**k - 1), "not bends or teeth"),
    (lambda k: (2**k, 2**k), "bends at ONE point"),
    (lambda k: (2**k, 2**k + 1), "bends at ONE point"),
    (lambda k: (2**k, 2 * k), "DEEP network"),
    (lambda k: (2**k, 7 * k), "DEEP network"),
    (lambda k: (2 ** (k + 1), 2 ** (k + 1) - 1), "not bends or teeth"),
]


def _check_tent(fn):
    return _TENT.evaluate(_tent_net(fn))


BATTERY = {
    _STEP: (check_step, step_right, [(_no_overflow(w), *rest) for w, *rest in STEP_WRONG]),
    _BUMP: (check_bump, bump_right, [(_no_overflow(w), *rest) for w, *rest in BUMP_WRONG]),
    _STAIRCASE: (check_staircase_params, staircase_right, STAIRCASE_WRONG),
    _COUNTS: (check_sawtooth_counts, lambda k: (2**k, 2**k - 1), COUNTS_WRONG),
}


class TestChapter9Checkers(CheckerBattery):
    BATTERY = BATTERY


@pytest.mark.parametrize("right", [tent_right, tent_scaled, tent_torch_style])
def test_tent_accepts_any_correct_weights(right, capsys):
    check_tent_params(right)
    assert capsys.readouterr().out.startswith("✓ tent_params: correct on all 1 cases")


@pytest.mark.parametrize(("wrong", "hint"), TENT_WRONG)
def test_tent_mistakes_get_their_hint(wrong, hint):
    verdict = _check_tent(wrong)
    assert not verdict.passed
    if hint == "error":
        assert verdict.status == "error" and "expected shapes" in verdict.text, verdict.text
    else:
        assert hint in verdict.hint, verdict.text


def test_tent_stub_is_not_attempted(capsys):
    def tent_params(): ...

    check_tent_params(tent_params)
    assert capsys.readouterr().out.startswith("○ tent_params: not attempted yet.")


def test_right_answers_pass_through_the_public_checkers(capsys):
    check_step(step_right)
    check_bump(bump_right)
    check_staircase_params(staircase_loop)
    check_step(lambda x, c, s: 0.5 * (1 + np.tanh(s * (x - c) / 2)))
    check_step(lambda x, c, s: nnlib.sigmoid(nnlib.tensor(s * (x - c))).numpy())
    out = capsys.readouterr().out.splitlines()
    assert all(line.startswith("✓") for line in out), out


def test_overflowing_step_fails_through_the_public_checker(capsys):
    check_step(step_naive)
    out = capsys.readouterr().out
    assert out.startswith("✗ step:") and "np.exp overflowed" in out


def test_hint_rate_is_at_least_95_percent():
    named = total = 0
    for checker, (_, _, battery) in BATTERY.items():
        for wrong, hint, *_ in battery:
            total += 1
            with np.errstate(all="ignore"):
                named += hint in checker.evaluate(wrong).hint
    for wrong, hint in TENT_WRONG:
        total += 1
        verdict = _check_tent(wrong)
        named += hint in verdict.hint or (hint == "error" and verdict.status == "error")
    assert named / total >= 0.95, (named, total)


def test_checkers_survive_changed_global_state(capsys):
    old = np.seterr(all="raise")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            with nnlib.set_grad_enabled(False):
                check_step(step_right)
                check_bump(bump_right)
                check_staircase_params(staircase_right)
                check_tent_params(tent_right)
                check_sawtooth_counts(lambda k: (2**k, 2**k - 1))
    finally:
        np.seterr(**old)
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 5 and all(line.startswith("✓") for line in out), out


def test_references_match_torch():
    torch = pytest.importorskip("torch")
    from nnlib.exercises.ch09 import _step_cases, _step_reference

    for case in _step_cases():
        x, c, s = case.args
        want = torch.sigmoid(s * (torch.tensor(x, dtype=torch.float64) - c)).numpy()
        np.testing.assert_allclose(_step_reference(x, c, s), want, rtol=1e-15, atol=0)
