"""Chapter 4's debugging exercise (a classifier that ends in Softmax feeds CrossEntropyLoss):
the right fix passes, each likely wrong fix is rejected with a hint that names it, a stub
is "not attempted", a crash is summarised without raising, and two runs print the same
text (the shared checker battery of tests/helpers.py on this file's table). The wrong
answers are written as a learner would write them."""

import numpy as np
import torch

import nnlib
from nnlib import nn
from nnlib.exercises import check_classification_loss, check_cross_entropy_grad
from nnlib.exercises.ch04 import _CE_GRAD, _SOFTMAX_BUG
from nnlib.nn import functional as F
from tests.helpers import CheckerBattery


def fixed(net, X, y):
    return F.cross_entropy(net[:-1](nnlib.tensor(X)), nnlib.tensor(y))


def fixed_by_rebuilding(net, X, y):
    logits_net = nn.Sequential(*list(net)[:-1])
    return nn.CrossEntropyLoss()(logits_net(nnlib.tensor(X)), nnlib.tensor(y))


def fixed_by_hand(net, X, y):
    z = net[:-1](nnlib.tensor(X)).data
    z = z - z.max(axis=1, keepdims=True)
    logp = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
    return -logp[np.arange(len(y)), y].mean()


def the_bug(net, X, y):
    return nn.CrossEntropyLoss()(net(nnlib.tensor(X)), nnlib.tensor(y))


def softmax_again(net, X, y):
    probs = F.softmax(net[:-1](nnlib.tensor(X)), dim=1)
    return F.cross_entropy(probs, nnlib.tensor(y))


def log_of_probs(net, X, y):
    return F.nll_loss(nnlib.log(net(nnlib.tensor(X))), nnlib.tensor(y))


def log_of_probs_numpy(net, X, y):
    p = net(nnlib.tensor(X)).data
    return -np.mean(np.log(p[np.arange(len(y)), y]))


def nll_on_probs(net, X, y):
    return F.nll_loss(net(nnlib.tensor(X)), nnlib.tensor(y))


def per_example(net, X, y):
    return F.cross_entropy(net[:-1](nnlib.tensor(X)), nnlib.tensor(y), reduction="none")


def summed(net, X, y):
    return F.cross_entropy(net[:-1](nnlib.tensor(X)), nnlib.tensor(y), reduction="sum")


def no_minus(net, X, y):
    return -fixed(net, X, y)


def through_torch(net, X, y):
    with torch.no_grad():
        z = torch.tensor(net[:-1](nnlib.tensor(X)).data)
    return torch.nn.functional.cross_entropy(z, torch.tensor(y))


BATTERY = {
    _SOFTMAX_BUG: (
        check_classification_loss,
        fixed,
        [
            (the_bug, "this is still the bug"),
            (softmax_again, "this is still the bug"),
            (log_of_probs, "log of the net's probabilities"),
            (log_of_probs_numpy, "log of the net's probabilities"),
            (nll_on_probs, "nll_loss expects LOG-probabilities"),
            (no_minus, "a minus sign is missing"),
            (summed, "times too large"),
            (per_example, "reduce to ONE number"),
        ],
    ),
}


class TestCheckers(CheckerBattery):
    BATTERY = BATTERY


def test_other_right_fixes_are_accepted() -> None:
    for right in (fixed_by_rebuilding, fixed_by_hand, through_torch):
        verdict = _SOFTMAX_BUG.evaluate(right)
        assert verdict.passed, verdict.text


def test_the_cases_are_built_without_touching_the_global_generator() -> None:
    nnlib.manual_seed(7)
    a = nnlib.randn(3).data
    nnlib.manual_seed(7)
    _SOFTMAX_BUG.cases()
    assert np.array_equal(nnlib.randn(3).data, a)


# ------------------------------------------------- the gradient of cross-entropy (derive)
def ce_grad_right(z, t):
    e = np.exp(z - z.max(axis=1, keepdims=True))
    p = e / e.sum(axis=1, keepdims=True)
    p[np.arange(len(t)), t] -= 1
    return p / len(t)


def ce_grad_onehot_eye(z, t):
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return (e / e.sum(axis=-1, keepdims=True) - np.eye(z.shape[1])[t]) / z.shape[0]


def stable_softmax(z):
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


CE_GRAD_BATTERY = {
    _CE_GRAD: (
        check_cross_entropy_grad,
        ce_grad_right,
        [
            (lambda z, t: ce_grad_right(z, t) * len(t), "divide by m"),
            (lambda z, t: -ce_grad_right(z, t), "the sign is flipped"),
            (lambda z, t: stable_softmax(z) / len(t), "subtract the one-hot target"),
            (lambda z, t: (z - np.eye(z.shape[1])[t]) / len(t), "you used the logits"),
            (
                lambda z, t: (
                    (np.exp(z) / np.exp(z).sum(axis=1, keepdims=True) - np.eye(z.shape[1])[t])
                    / len(t)
                ),
                "exp(1000) overflows",
            ),
        ],
    ),
}

BATTERY.update(CE_GRAD_BATTERY)  # one table per file: TestCheckers above runs both


def test_cross_entropy_grad_accepts_eye_indexing_and_torch() -> None:
    assert _CE_GRAD.evaluate(ce_grad_onehot_eye).passed

    def via_torch(z, t):
        zt = torch.tensor(z, requires_grad=True)
        torch.nn.functional.cross_entropy(zt, torch.tensor(t)).backward()
        return zt.grad

    assert _CE_GRAD.evaluate(via_torch).passed


def test_cross_entropy_grad_success_message_names_its_scope() -> None:
    # softmax − onehot is the error signal of softmax + cross-entropy only: the squared
    # error on the softmax and the softmax + CrossEntropyLoss bug have other signals.
    result = _CE_GRAD.evaluate(ce_grad_right)
    assert result.passed
    assert "softmax classifier trained with cross-entropy" in result.text
    assert "every classifier" not in result.text
