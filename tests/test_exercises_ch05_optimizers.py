"""Chapter 5's RMSprop checker: the right answer passes, each usual mistake is rejected with
its own hint, a stub is "not attempted", a crash is summarised without raising, an in-place
update is caught, and two runs print the same text (the shared checker battery of
tests/helpers.py on this file's table)."""

import numpy as np
import pytest

from nnlib.exercises import check_rmsprop_step
from nnlib.exercises.ch05 import _RMSPROP
from tests.helpers import CheckerBattery


def rmsprop_right(p, g, s, lr, alpha, eps):
    s = alpha * s + (1 - alpha) * g**2
    return p - lr * g / (np.sqrt(s) + eps), s


def rmsprop_inplace(p, g, s, lr, alpha, eps):
    s *= alpha
    s += (1 - alpha) * g**2
    p -= lr * g / (np.sqrt(s) + eps)
    return p, s


def rmsprop_no_eps(p, g, s, lr, alpha, eps):
    s = alpha * s + (1 - alpha) * g**2
    return p - lr * g / np.sqrt(s), s


BATTERY = {_RMSPROP: (check_rmsprop_step, rmsprop_right, [
    (lambda p, g, s, lr, a, eps: rmsprop_right(p, g, s, lr, 1 - a, eps), "swapped α and 1 − α"),
    (lambda p, g, s, lr, a, eps: (
        p - lr * g / (np.sqrt(a * s + (1 - a) * np.abs(g)) + eps), a * s + (1 - a) * np.abs(g)),
     "SQUARED gradient"),
    (lambda p, g, s, lr, a, eps: (
        p - lr * g / (a * s + (1 - a) * g**2 + eps), a * s + (1 - a) * g**2), "SQUARE ROOT"),
    (lambda p, g, s, lr, a, eps: (p - lr * g / (np.sqrt(s) + eps), a * s + (1 - a) * g**2),
     "divide by the NEW one"),
    (rmsprop_no_eps, "add eps to the denominator"),
    (lambda p, g, s, lr, a, eps: (
        p - lr * g / np.sqrt(a * s + (1 - a) * g**2 + eps), a * s + (1 - a) * g**2),
     "eps goes outside the square root"),
    (lambda p, g, s, lr, a, eps: (
        2 * p - rmsprop_right(p, g, s, lr, a, eps)[0], rmsprop_right(p, g, s, lr, a, eps)[1]),
     "step AGAINST the gradient"),
    (rmsprop_inplace, "in place"),
])}  # fmt: skip


class TestRmspropChecker(CheckerBattery):
    BATTERY = BATTERY


def test_right_answer_is_checked_on_five_cases(capsys):
    check_rmsprop_step(rmsprop_right)
    assert capsys.readouterr().out.startswith("✓ rmsprop_step: correct on all 5 cases")


def test_reference_matches_torch():
    torch = pytest.importorskip("torch")
    from nnlib.exercises.ch05 import _rmsprop_cases, _rmsprop_reference

    for case in _rmsprop_cases():
        p, g, s, lr, alpha, eps = case.args
        t = torch.tensor(p, dtype=torch.float64, requires_grad=True)
        opt = torch.optim.RMSprop([t], lr=lr, alpha=alpha, eps=eps)
        t.grad = torch.tensor(g, dtype=torch.float64)
        opt.state[t] = {"step": torch.tensor(0.0), "square_avg": torch.tensor(s)}
        opt.step()
        got_p, got_s = _rmsprop_reference(p, g, s, lr, alpha, eps)
        np.testing.assert_allclose(got_p, t.detach().numpy(), rtol=1e-12, atol=1e-15)
        np.testing.assert_allclose(got_s, opt.state[t]["square_avg"].numpy(), rtol=1e-12)
