"""Chapter 1's four older checkers against new batteries of wrong answers, written as a learner
would (beyond the mistakes each checker was designed around): at least 95 % of each checker's
battery, old and new entries together, get a hint that names the mistake; every wrong answer
is rejected; right answers in other styles pass."""

import numpy as np
import pytest

import nnlib
from nnlib.exercises import ch01
from tests.test_exercises import BATTERY as OLD_BATTERY
from tests.test_exercises_ch01_xor import BATTERY as OLD_XOR_BATTERY
from tests.test_exercises_ch01_xor import RIGHT as XOR_RIGHT


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def step(z):
    return (np.asarray(z) > 0).astype(float)


# ------------------------------------------------------------------ neuron_forward
def neuron_bias_after_sigmoid(X, w, b):
    return 1 / (1 + np.exp(-X @ w)) + b


def neuron_column(X, w, b):
    return sigmoid(X @ w.reshape(-1, 1) + b)


def neuron_tanh(X, w, b):
    return np.tanh(X @ w + b)


def neuron_step(X, w, b):
    return (X @ w + b > 0).astype(float)


def neuron_sum_axis0(X, w, b):
    return sigmoid((X * w).sum(axis=0) + b)


def neuron_minus_in_denominator(X, w, b):
    return 1 / (1 - np.exp(-(X @ w + b)))


def neuron_no_parentheses(X, w, b):
    return 1 / (1 + np.exp(-X @ w + b))


def neuron_first_example(X, w, b):
    return sigmoid(X[0] @ w + b)


def neuron_mean(X, w, b):
    return np.mean(sigmoid(X @ w + b))


def neuron_xt(X, w, b):
    return sigmoid(X.T @ w + b)


NEURON_NEW = [
    (neuron_bias_after_sigmoid, "belongs inside it"),
    (neuron_column, "not a column"),
    (neuron_tanh, "tanh"),
    (neuron_step, "step"),
    (neuron_sum_axis0, "axis=1"),
    (neuron_minus_in_denominator, "with a plus"),
    (neuron_no_parentheses, "parentheses"),
    (neuron_first_example, "every example"),
    (neuron_mean, "every example"),
    (neuron_xt, "needs no transpose"),
]


# --------------------------------------------------------------- perceptron_update
def perceptron_sign(w, b, x, y, lr):
    y_hat = np.sign(np.dot(w, x) + b)
    return w + lr * (y - y_hat) * x, b + lr * (y - y_hat)


def perceptron_hebbian(w, b, x, y, lr):
    return w + lr * y * x, b + lr * y


def perceptron_bias_times_x(w, b, x, y, lr):
    y_hat = 1.0 if np.dot(w, x) + b > 0 else 0.0
    return w + lr * (y - y_hat) * x, b + lr * (y - y_hat) * x


def perceptron_swapped(w, b, x, y, lr):
    y_hat = 1.0 if np.dot(w, x) + b > 0 else 0.0
    return b + lr * (y - y_hat), w + lr * (y - y_hat) * x


def perceptron_times_w(w, b, x, y, lr):
    y_hat = 1.0 if np.dot(w, x) + b > 0 else 0.0
    return w + lr * (y - y_hat) * w, b + lr * (y - y_hat)


def perceptron_plus_minus_one(w, b, x, y, lr):
    # The textbook rule for labels -1/+1, used on 0/1 labels.
    if y * (np.dot(w, x) + b) <= 0:
        return w + lr * y * x, b + lr * y
    return w, b


def perceptron_minus_one_prediction(w, b, x, y, lr):
    y_hat = 1.0 if np.dot(w, x) + b > 0 else -1.0
    return w + lr * (y - y_hat) * x, b + lr * (y - y_hat)


def perceptron_sigmoid(w, b, x, y, lr):
    y_hat = sigmoid(np.dot(w, x) + b)
    return w + lr * (y - y_hat) * x, b + lr * (y - y_hat)


def perceptron_inplace_b_too(w, b, x, y, lr):
    y_hat = 1 if w @ x + b > 0 else 0
    if y_hat != y:
        w += lr * (y - y_hat) * x
        b += lr * (y - y_hat)
    return w, b


PERCEPTRON_NEW = [
    (perceptron_sign, "0 or 1"),
    (perceptron_hebbian, "only when it is wrong"),
    (perceptron_bias_times_x, "without x"),
    (perceptron_swapped, "(w_new, b_new)"),
    (perceptron_times_w, "not by the weight"),
    (perceptron_plus_minus_one, "only when it is wrong"),
    (perceptron_minus_one_prediction, "0 or 1"),
    (perceptron_sigmoid, "0 or 1"),
    (perceptron_inplace_b_too, "changed its input w in place"),
]


# ------------------------------------------------------------------ cost_gradient
def cost_mean_axis1(X, y, w, b):
    a = sigmoid(X @ w + b)
    return (X * (a - y)[:, None]).mean(axis=1), np.mean(a - y)


def cost_divide_by_d(X, y, w, b):
    a = sigmoid(X @ w + b)
    return X.T @ (a - y) / len(w), np.sum(a - y) / len(w)


def cost_db_not_averaged(X, y, w, b):
    a = sigmoid(X @ w + b)
    return X.T @ (a - y) / len(y), a - y


def cost_db_zero(X, y, w, b):
    a = sigmoid(X @ w + b)
    return X.T @ (a - y) / len(y), 0.0


def cost_sigmoid_prime(X, y, w, b):
    a = sigmoid(X @ w + b)
    delta = (a - y) * a * (1 - a)
    return X.T @ delta / len(y), np.mean(delta)


def cost_squared_error(X, y, w, b):
    a = sigmoid(X @ w + b)
    delta = 2 * (a - y) * a * (1 - a)
    return X.T @ delta / len(y), np.mean(delta)


def cost_no_bias(X, y, w, b):
    a = sigmoid(X @ w)
    return X.T @ (a - y) / len(y), np.mean(a - y)


def cost_sigmoid_sign(X, y, w, b):
    a = 1 / (1 + np.exp(X @ w + b))
    return X.T @ (a - y) / len(y), np.mean(a - y)


def cost_loop_sum(X, y, w, b):
    dw, db = np.zeros_like(w), 0.0
    for x_i, y_i in zip(X, y, strict=True):
        a_i = sigmoid(x_i @ w + b)
        dw += (a_i - y_i) * x_i
        db += a_i - y_i
    return dw, db


COST_NEW = [
    (cost_mean_axis1, "axis 0"),
    (cost_divide_by_d, "number of examples"),
    (cost_db_not_averaged, "db is one number"),
    (cost_db_zero, "db is the mean"),
    (cost_sigmoid_prime, "cancels"),
    (cost_squared_error, "squared error"),
    (cost_no_bias, "add b"),
    (cost_sigmoid_sign, "sign inside the exponential"),
    (cost_loop_sum, "exactly m times too large"),
]


# ------------------------------------------------------------------------ xor_net
def xor_returns_hidden(X):
    W1, b1 = np.array([[1.0, 1.0], [-1.0, -1.0]]), np.array([-0.5, 1.5])
    return step(X @ W1.T + b1)


def xor_no_transpose(X):
    W1, b1 = np.array([[1.0, 1.0], [-1.0, -1.0]]), np.array([-0.5, 1.5])
    h = step(X @ W1 + b1)
    return step(h @ np.array([1.0, 1.0]) - 1.5)


def xor_sigmoid_output(X):
    W1, b1 = np.array([[10.0, 10.0], [-10.0, -10.0]]), np.array([-5.0, 15.0])
    h = step(X @ W1.T + b1)
    return sigmoid(h @ np.array([10.0, 10.0]) - 15.0)


def xor_exact_corners(X):
    return ((X[:, 0] == 1) ^ (X[:, 1] == 1)).astype(float)


def xor_logical(X):
    return np.logical_xor(X[:, 0], X[:, 1]).astype(float)


def xor_column(X):
    W1, b1 = np.array([[1.0, 1.0], [-1.0, -1.0]]), np.array([-0.5, 1.5])
    h = step(X @ W1.T + b1)
    return step(h @ np.array([[1.0], [1.0]]) - 1.5)


def xor_output_or(X):
    W1, b1 = np.array([[1.0, 1.0], [-1.0, -1.0]]), np.array([-0.5, 1.5])
    h = step(X @ W1.T + b1)
    return step(h @ np.array([1.0, 1.0]) - 0.5)


def xor_hidden_and(X):
    # OR and AND as the hidden units, then "OR and not AND" with the wrong sign.
    W1, b1 = np.array([[1.0, 1.0], [1.0, 1.0]]), np.array([-0.5, -1.5])
    h = step(X @ W1.T + b1)
    return step(h @ np.array([1.0, 1.0]) - 0.5)


def xor_ge_zero(X):
    W1, b1 = np.array([[1.0, 1.0], [-1.0, -1.0]]), np.array([-1.0, 1.0])
    h = (X @ W1.T + b1 >= 0).astype(float)
    return (h @ np.array([1.0, 1.0]) - 2.0 >= 0).astype(float)


XOR_NEW = [
    (xor_returns_hidden, "hidden layer"),
    (xor_no_transpose, "ROW of W1"),
    (xor_sigmoid_output, "0 or 1"),
    (xor_exact_corners, "not on points near them"),
    (xor_logical, "not on points near them"),
    (xor_column, "not a column"),
    (xor_output_or, "same output for every point"),
    (xor_hidden_and, "computes OR"),
    (xor_ge_zero, "not on points near them"),
]

NEW = {
    ch01._NEURON: NEURON_NEW,
    ch01._PERCEPTRON: PERCEPTRON_NEW,
    ch01._COST: COST_NEW,
    ch01._XOR: XOR_NEW,
}


def battery(checker):
    """The checker's old table entries (other test files) and the new ones, as (wrong, hint)."""
    old = OLD_XOR_BATTERY if checker is ch01._XOR else OLD_BATTERY
    return [(wrong, hint) for wrong, hint, *_ in old[checker][2]] + NEW[checker]


def hint_named(checker, wrong, hint):
    with np.errstate(all="ignore"):
        verdict = checker.evaluate(wrong)
    return not verdict.passed and hint in verdict.hint and verdict.hint != checker.default_hint


@pytest.mark.parametrize("checker", list(NEW), ids=lambda c: c.title)
def test_hint_rate_is_at_least_95_percent(checker):
    entries = battery(checker)
    named = sum(hint_named(checker, wrong, hint) for wrong, hint in entries)
    missed = [w.__name__ for w, h in entries if not hint_named(checker, w, h)]
    assert len(NEW[checker]) >= 8
    assert named / len(entries) >= 0.95, (named, len(entries), missed)


@pytest.mark.parametrize(
    ("checker", "wrong"),
    [(c, w) for c, entries in NEW.items() for w, _ in entries],
    ids=lambda v: getattr(v, "title", getattr(v, "__name__", "")),
)
def test_every_new_wrong_answer_is_rejected(checker, wrong):
    with np.errstate(all="ignore"):
        assert not checker.evaluate(wrong).passed


def neuron_torch_style(X, w, b):
    Xt = nnlib.tensor(X)
    return nnlib.sigmoid(Xt @ nnlib.tensor(w) + b)


def neuron_logaddexp(X, w, b):
    return np.exp(-np.logaddexp(0.0, -(X @ w + b)))


def perceptron_branchy(w, b, x, y, lr):
    w = w.copy()
    prediction = int(w.dot(x) + b > 0)
    if prediction == 1 and y == 0:
        w = w - lr * x
        b = b - lr
    elif prediction == 0 and y == 1:
        w = w + lr * x
        b = b + lr
    return w, b


def cost_einsum(X, y, w, b):
    err = sigmoid(np.einsum("ij,j->i", X, w) + b) - y
    return np.einsum("ij,i->j", X, err) / X.shape[0], err.sum() / X.shape[0]


def xor_one_line(X):
    h1 = step(X[:, 0] + X[:, 1] - 0.5)  # OR
    h2 = step(-X[:, 0] - X[:, 1] + 1.5)  # NAND
    return step(h1 + h2 - 1.5) > 0  # AND of the two, as booleans


@pytest.mark.parametrize(
    ("checker", "right"),
    [
        (ch01._NEURON, neuron_torch_style),
        (ch01._NEURON, neuron_logaddexp),
        (ch01._PERCEPTRON, perceptron_branchy),
        (ch01._COST, cost_einsum),
        (ch01._XOR, xor_one_line),
        (ch01._XOR, XOR_RIGHT),
    ],
    ids=lambda v: getattr(v, "title", getattr(v, "__name__", "")),
)
def test_right_answers_in_other_styles_pass(checker, right):
    verdict = checker.evaluate(right)
    assert verdict.passed, verdict.text
