"""Chapter 3's four older checkers (softmax, relu_grad, leaky_relu, maxout) against NEW
wrong answers, written as a learner would write them, beyond the ones the checkers were
designed around (those stay in tests/test_exercises.py). Each checker's whole battery, old
and new together, must get a hint that names the mistake at least 95 % of the time, and the
two non-transcription checkers of the chapter (softmax_backward, softplus) meet the same
bar on theirs (tests/test_exercises_ch03_activations.py)."""

from __future__ import annotations

import numpy as np
import pytest

from nnlib.exercises import ch03
from tests import test_exercises as old
from tests import test_exercises_ch03_activations as new_ch03
from tests.helpers import CheckerBattery


# ------------------------------------------------------------------------ softmax
def softmax_whole_sum(x):
    return np.exp(x) / np.sum(np.exp(x))


def softmax_shift_no_keepdims_sum(x):
    x = x - x.max(axis=-1, keepdims=True)
    return np.exp(x) / np.exp(x).sum(axis=-1)


def softmax_column_max(x):
    e = np.exp(x - x.max(axis=0, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def softmax_sigmoid(x):
    return 1 / (1 + np.exp(-x))


def log_softmax(x):
    s = x - x.max(axis=-1, keepdims=True)
    return s - np.log(np.exp(s).sum(axis=-1, keepdims=True))


def softmax_reversed(x):
    e = np.exp(x.max(axis=-1, keepdims=True) - x)
    return e / e.sum(axis=-1, keepdims=True)


def softmax_divide_by_max(x):
    e = np.exp(x - x.max(axis=-1, keepdims=True))
    return e / e.max(axis=-1, keepdims=True)


def softmax_mean_shift(x):
    # "centre the logits" instead of subtracting the max
    e = np.exp(x - x.mean(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def softmax_max_no_keepdims(x):
    e = np.exp(x - np.max(x, axis=-1))
    return e / e.sum(axis=-1, keepdims=True)


def softmax_row_loop(x):
    out = np.empty_like(x)
    for i in range(x.shape[0]):
        e = np.exp(x[i] - x[i].max())
        out[i] = e / e.sum()
    return out


SOFTMAX_NEW = [
    (softmax_whole_sum, "by its own sum"),
    (softmax_shift_no_keepdims_sum, "keep the summed axis", "error"),
    (softmax_column_max, "each row's own maximum"),
    (softmax_sigmoid, "the sigmoid of each logit"),
    (log_softmax, "log-probabilities"),
    (softmax_reversed, "softmax(−x)"),
    (softmax_divide_by_max, "not by its maximum"),
    (softmax_mean_shift, "not the mean"),
    (softmax_max_no_keepdims, "and the maximum's: `keepdims=True`", "error"),
    (softmax_row_loop, "one example (a vector)"),
]


# ---------------------------------------------------------------------- relu_grad
def relu_grad_where_int(x):
    return np.where(x > 0, 1, 0)


def relu_grad_heaviside(x):
    return np.heaviside(x, 1.0)


def relu_grad_sign(x):
    return np.sign(x)


def relu_grad_divide(x):
    return x / np.abs(x)


def relu_grad_ones(x):
    return np.ones_like(x)


def relu_grad_sigmoid(x):
    return 1 / (1 + np.exp(-x))


def relu_grad_scalar_if(x):
    return np.array([1.0 if v > 0 else 0.0 for v in x])


def relu_grad_clip(x):
    return np.clip(x, 0, 1)


def relu_grad_where_relu(x):
    return np.where(x > 0, x, 0.0)


RELU_GRAD_NEW = [
    (relu_grad_where_int, "return floating-point numbers"),
    (relu_grad_heaviside, "use `x > 0`, not `x >= 0`"),
    (relu_grad_sign, "np.sign"),
    (relu_grad_divide, "np.sign"),
    (relu_grad_ones, "0 where x ≤ 0"),
    (relu_grad_sigmoid, "the sigmoid"),
    (relu_grad_scalar_if, "element by element", "error"),
    (relu_grad_clip, "np.clip"),
    (relu_grad_where_relu, "you returned ReLU(x) itself"),
]


# --------------------------------------------------------------------- leaky_relu
def leaky_constant(x, negative_slope=0.01):
    return np.where(x > 0, x, negative_slope)


def leaky_flipped_sign(x, negative_slope=0.01):
    return np.where(x > 0, x, -negative_slope * x)


def leaky_derivative(x, negative_slope=0.01):
    return np.where(x > 0, 1.0, negative_slope)


def leaky_scalar_if(x, negative_slope=0.01):
    return x if x > 0 else negative_slope * x


def leaky_plus_everywhere(x, negative_slope=0.01):
    return np.maximum(x, 0) + negative_slope * x


def leaky_no_default(x, negative_slope):
    return np.where(x > 0, x, negative_slope * x)


def leaky_in_place(x, negative_slope=0.01):
    x[x < 0] *= negative_slope
    return x


def leaky_slope_on_positive(x, negative_slope=0.01):
    return np.where(x < 0, x, negative_slope * x)


def leaky_max_zero(x, negative_slope=0.01):
    return np.maximum(negative_slope * x, 0)


LEAKY_NEW = [
    (leaky_constant, "multiply by x"),
    (leaky_flipped_sign, "sign"),
    (leaky_derivative, "the derivative"),
    (leaky_scalar_if, "np.where", "error"),
    (leaky_plus_everywhere, "np.minimum(x, 0)"),
    (leaky_no_default, "the default is negative_slope=0.01", "error"),
    (leaky_in_place, "changed its input x in place"),
    (leaky_slope_on_positive, "NEGATIVE inputs"),
    (leaky_max_zero, "positive inputs pass unchanged"),
]


# ------------------------------------------------------------------------- maxout
def maxout_flatten_batch(z, pieces):
    return z.reshape(-1, pieces).max(axis=1)


def maxout_over_units(z, pieces):
    return z.reshape(*z.shape[:-1], -1, pieces).max(axis=-2)


def maxout_argmax(z, pieces):
    return z.reshape(*z.shape[:-1], -1, pieces).argmax(axis=-1)


def maxout_max_all(z, pieces):
    return np.max(z, axis=-1)


def maxout_two_pieces(z, pieces):
    return np.maximum(z[..., ::2], z[..., 1::2])


def maxout_keepdims(z, pieces):
    return z.reshape(*z.shape[:-1], -1, pieces).max(axis=-1, keepdims=True)


def maxout_interleaved_transpose(z, pieces):
    units = z.shape[-1] // pieces
    return z.reshape(*z.shape[:-1], pieces, units).max(axis=-2)


def maxout_abs(z, pieces):
    return np.abs(z).reshape(*z.shape[:-1], -1, pieces).max(axis=-1)


def maxout_split(z, pieces):
    return np.max(np.split(z, pieces, axis=-1), axis=0)


MAXOUT_NEW = [
    (maxout_flatten_batch, "keep the leading"),
    (maxout_over_units, "over the LAST axis"),
    (maxout_argmax, "argmax"),
    (maxout_max_all, "group the pieces first"),
    (maxout_two_pieces, "assumes 2 pieces"),
    (maxout_keepdims, "keepdims"),
    (maxout_interleaved_transpose, "group CONSECUTIVE units"),
    (maxout_abs, "absolute value"),
    (maxout_split, "group CONSECUTIVE units"),
]


# ----------------------------------------------------------------------- softplus
def softplus_positive_only(x):
    return np.where(x > 0, x, np.log1p(np.exp(x)))


def softplus_plus_log1p_minus_x(x):
    return x + np.log1p(np.exp(-x))


def softplus_naive_plus_one(x):
    return np.log(np.exp(x) + 1)


def softplus_scalar_if(x):
    return x + np.log1p(np.exp(-x)) if x > 0 else np.log1p(np.exp(x))


SOFTPLUS_NEW = [
    (softplus_positive_only, "not just x"),
    (softplus_plus_log1p_minus_x, "safe only for x > 0"),
    (softplus_naive_plus_one, "overflows for x > 709"),
    (softplus_scalar_if, "ambiguous", "error"),
]


NEW = {
    ch03._SOFTMAX: (ch03.check_softmax, old.softmax_right, SOFTMAX_NEW),
    ch03._RELU_GRAD: (ch03.check_relu_grad, lambda x: (x > 0).astype(x.dtype), RELU_GRAD_NEW),
    ch03._LEAKY: (
        ch03.check_leaky_relu,
        lambda x, s=0.01: np.where(x > 0, x, s * x),
        LEAKY_NEW,
    ),
    ch03._MAXOUT: (
        ch03.check_maxout,
        lambda z, p: z.reshape(*z.shape[:-1], -1, p).max(-1),
        MAXOUT_NEW,
    ),
    ch03._SOFTPLUS: (ch03.check_softplus, new_ch03.softplus_right, SOFTPLUS_NEW),
}


class TestNewWrongAnswers(CheckerBattery):
    BATTERY = NEW


def _named(checker, battery) -> tuple[int, int]:
    named = 0
    for wrong, hint, *_ in battery:
        with np.errstate(all="ignore"):
            named += hint in checker.evaluate(wrong).hint
    return named, len(battery)


# Each checker's whole battery: the older tables' wrong answers and the new ones.
EARLIER = {**old.BATTERY, **new_ch03.BATTERY}
WHOLE = {
    checker: [*EARLIER[checker][2], *NEW.get(checker, (None, None, []))[2]]
    for checker in (*NEW, ch03._SOFTMAX_BACKWARD)
}


@pytest.mark.parametrize("checker", list(WHOLE), ids=lambda c: c.title)
def test_hint_rate_is_at_least_95_percent_per_checker(checker) -> None:
    named, total = _named(checker, WHOLE[checker])
    assert total >= 8, total
    assert named / total >= 0.95, (checker.title, named, total)
