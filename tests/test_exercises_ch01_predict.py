"""Chapter 1's predict exercise (the perceptron's learning rate from a zero start): the
claim it teaches holds on real runs; the right prediction passes, each likely wrong one is
rejected with a hint that names it, a stub is "not attempted", a crash is summarised
without raising, and two runs print the same text (the shared checker battery of
tests/helpers.py on this file's table)."""

import numpy as np
import pytest

from nnlib.exercises import check_predict_weights
from nnlib.exercises.ch01 import _LR_SCALING, _lr_runs, _train
from tests.helpers import CheckerBattery


def right(w_small, b_small, lr_small, lr_big):
    ratio = lr_big / lr_small
    return w_small * ratio, b_small * ratio


BATTERY = {
    _LR_SCALING: (
        check_predict_weights,
        right,
        [
            (lambda w, b, lo, hi: (w, b), "the weights do change"),
            (lambda w, b, lo, hi: (w * lo / hi, b * lo / hi), "the ratio is upside down"),
            (lambda w, b, lo, hi: (w * hi / lo, b), "scale the bias too"),
            (lambda w, b, lo, hi: (w * hi, b * hi), "RATIO of the learning rates"),
            (lambda w, b, lo, hi: (w + hi - lo, b + hi - lo), "it is not added"),
        ],
    ),
}


class TestCheckers(CheckerBattery):
    BATTERY = BATTERY


@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize(("lr_small", "lr_big"), [(0.1, 10.0), (1.0, 0.25), (0.5, 3.0)])
def test_the_big_run_is_the_small_run_scaled(seed: int, lr_small: float, lr_big: float):
    rng = np.random.default_rng(seed)
    X = np.vstack([rng.normal(1.0, 0.7, size=(10, 3)), rng.normal(-1.0, 0.7, size=(10, 3))])
    y = np.array([1.0] * 10 + [0.0] * 10)
    w_s, b_s, epochs_s = _train(X, y, lr_small, 100)
    w_b, b_b, epochs_b = _train(X, y, lr_big, 100)
    assert epochs_s == epochs_b
    np.testing.assert_allclose(w_b, w_s * lr_big / lr_small, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(b_b, b_s * lr_big / lr_small, rtol=1e-9, atol=1e-12)


def test_each_cases_expected_answer_is_the_real_big_learning_rate_run() -> None:
    for (label, X, y, _, lr_big), (case, expected) in zip(
        _lr_runs(), _LR_SCALING.expected_cases(), strict=True
    ):
        w_big, b_big, _ = _train(X, y, lr_big, 50)
        np.testing.assert_allclose(expected[0], w_big, rtol=1e-12, err_msg=label)
        np.testing.assert_allclose(expected[1], b_big, rtol=1e-12, err_msg=label)
        assert case.label == label
