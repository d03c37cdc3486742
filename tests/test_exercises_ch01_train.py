"""Chapter 1's build exercise, the perceptron's training loop: the right loop passes, each
likely mistake is rejected with a hint that names it, a stub is "not attempted", a crash is
summarised without raising, and two runs print the same text (the shared checker battery of
tests/helpers.py on this file's table). The wrong loops are written as a learner would."""

import numpy as np

from nnlib.exercises import check_train_perceptron
from nnlib.exercises.ch01 import _TRAIN
from tests.helpers import CheckerBattery


def loop(X, y, lr, max_epochs, *, predict=lambda z: 1.0 if z > 0 else 0.0, stop=True,
         count_last=True, bias=True):  # fmt: skip
    w, b = np.zeros(X.shape[1]), 0.0
    for epoch in range(1, max_epochs + 1):
        errors = 0
        for x, target in zip(X, y, strict=True):
            y_hat = predict(w @ x + b)
            if y_hat != target:
                errors += 1
            w = w + lr * (target - y_hat) * x
            if bias:
                b = b + lr * (target - y_hat)
        if stop and errors == 0:
            return w, b, epoch if count_last else epoch - 1
    return w, b, max_epochs


def right(X, y, lr, max_epochs):
    return loop(X, y, lr, max_epochs)


def right_while_loop(X, y, lr, max_epochs):
    w, b, epochs, done = np.zeros(X.shape[1]), 0.0, 0, False
    while not done and epochs < max_epochs:
        epochs += 1
        done = True
        for i in range(len(X)):
            y_hat = int(np.dot(w, X[i]) + b > 0)
            if y_hat != y[i]:
                w += lr * (y[i] - y_hat) * X[i]
                b += lr * (y[i] - y_hat)
                done = False
    return w, b, epochs


def never_stops(X, y, lr, max_epochs):
    return loop(X, y, lr, max_epochs, stop=False)


def epochs_before_the_clean_one(X, y, lr, max_epochs):
    return loop(X, y, lr, max_epochs, count_last=False)


def greater_or_equal(X, y, lr, max_epochs):
    return loop(X, y, lr, max_epochs, predict=lambda z: 1.0 if z >= 0 else 0.0)


def updates_with_z(X, y, lr, max_epochs):
    return loop(X, y, lr, max_epochs, predict=lambda z: z)


def no_bias(X, y, lr, max_epochs):
    return loop(X, y, lr, max_epochs, bias=False)


BATTERY = {
    _TRAIN: (
        check_train_perceptron,
        right,
        [
            (never_stops, "always runs max_epochs"),
            (epochs_before_the_clean_one, "count the last, clean epoch"),
            (greater_or_equal, "not `z >= 0`"),
            (updates_with_z, "not z itself"),
            (no_bias, "update the bias too"),
        ],
    ),
}


class TestCheckers(CheckerBattery):
    BATTERY = BATTERY


def test_other_right_loops_are_accepted() -> None:
    verdict = _TRAIN.evaluate(right_while_loop)
    assert verdict.passed, verdict.text


def test_an_endless_loop_is_stopped_with_a_message() -> None:
    def forever(X, y, lr, max_epochs):
        w, b = np.zeros(X.shape[1]), 0.0
        while True:  # forgot max_epochs: XOR never separates
            for x, target in zip(X, y, strict=True):
                y_hat = 1.0 if w @ x + b > 0 else 0.0
                w, b = w + lr * (target - y_hat) * x, b + lr * (target - y_hat)

    verdict = _TRAIN.evaluate(forever)
    assert not verdict.passed
    assert "did not return within" in verdict.text, verdict.text
