"""Chapter 3's softmax-backward and stable-softplus checkers: the right answer passes, each
usual mistake is rejected with its own hint, a stub is "not attempted", a crash is
summarised without raising, and two runs print the same text (the shared checker battery
of tests/helpers.py on this file's table). The wrong answers are written as a learner would
write them."""

import numpy as np

from nnlib.exercises import check_softmax_backward, check_softplus
from nnlib.exercises.ch03 import _SOFTMAX_BACKWARD, _SOFTPLUS
from tests.helpers import CheckerBattery


def softmax_backward_right(p, g):
    return p * (g - (g * p).sum(axis=-1, keepdims=True))


def via_jacobian(p, g):
    # Builds the (m, C, C) Jacobian diag(p) - p p^T, then multiplies: right, only slower.
    jac = np.einsum("mi,ij->mij", p, np.eye(p.shape[-1])) - np.einsum("mi,mj->mij", p, p)
    return np.einsum("mij,mi->mj", jac, g)


def loop_rows(p, g):
    out = np.empty_like(p)
    for i in range(p.shape[0]):
        out[i] = p[i] * (g[i] - np.dot(g[i], p[i]))
    return out


def diagonal_only(p, g):
    return g * p * (1 - p)


def jacobian_not_applied(p, g):
    return np.einsum("mi,ij->mij", p, np.eye(p.shape[-1])) - np.einsum("mi,mj->mij", p, p)


def dot_without_keepdims(p, g):
    return p * (g - np.sum(g * p, axis=1))


def forgot_p(p, g):
    s = np.sum(g * p, axis=-1, keepdims=True)
    return g - s


def plus_instead_of_minus(p, g):
    return p * (g + (g * p).sum(axis=-1, keepdims=True))


def in_place(p, g):
    g -= (g * p).sum(axis=-1, keepdims=True)
    return p * g


def softplus_right(x):
    return np.maximum(x, 0) + np.log1p(np.exp(-np.abs(x)))


def softplus_where(x):
    return np.where(x > 0, x + np.log1p(np.exp(-np.abs(x))), np.log1p(np.exp(-np.abs(x))))


def softplus_logaddexp(x):
    return np.logaddexp(0, x)


def softplus_naive(x):
    return np.log(1 + np.exp(x))


def softplus_log1p_only(x):
    return np.log1p(np.exp(x))


def softplus_minus_x(x):
    return np.maximum(x, 0) + np.log1p(np.exp(-x))


def softplus_no_one(x):
    return np.maximum(x, 0) + np.log(np.exp(-np.abs(x)))


def softplus_flipped(x):
    return np.maximum(-x, 0) + np.log1p(np.exp(-np.abs(x)))


BATTERY = {
    _SOFTMAX_BACKWARD: (
        check_softmax_backward,
        softmax_backward_right,
        [
            (diagonal_only, "only the diagonal of the Jacobian"),
            (lambda p, g: p * g, "you returned p ⊙ g"),
            (forgot_p, "multiply by p"),
            (lambda p, g: p * ((g * p).sum(axis=-1, keepdims=True) - g), "the sign is flipped"),
            (plus_instead_of_minus, "do not add it"),
            (lambda p, g: p * (g - np.sum(g * p)), "not a sum over the whole array"),
            (lambda p, g: p * (g - (g * p).sum(axis=0, keepdims=True)), "(axis 0)"),
            (lambda p, g: p * (g - np.mean(g * p, axis=-1, keepdims=True)), "not a mean"),
            (dot_without_keepdims, "keep the summed axis", "error"),
            (jacobian_not_applied, "the whole Jacobian"),
            (in_place, "in place"),
        ],
    ),
    _SOFTPLUS: (
        check_softplus,
        softplus_right,
        [
            (softplus_naive, "overflows for x > 709"),
            (softplus_log1p_only, "overflows for x > 709"),
            (lambda x: np.maximum(x, 0), "that is ReLU"),
            (softplus_minus_x, "e^(−|x|)"),
            (softplus_no_one, "you dropped the 1"),
            (softplus_flipped, "yours is softplus(−x)"),
        ],
    ),
}


class TestCheckers(CheckerBattery):
    BATTERY = BATTERY


def test_other_right_styles_are_accepted() -> None:
    assert _SOFTPLUS.evaluate(softplus_where).passed
    assert _SOFTPLUS.evaluate(softplus_logaddexp).passed
    assert _SOFTMAX_BACKWARD.evaluate(via_jacobian).passed
    assert _SOFTMAX_BACKWARD.evaluate(loop_rows).passed
