"""Chapter 2's four older checkers against new batteries of wrong answers, written as a learner
would (beyond the mistakes each checker was designed around): at least 95 % of each checker's
battery, old and new entries together, get a hint that names the mistake; every wrong answer
is rejected; right answers in other styles pass."""

import numpy as np
import pytest

import nnlib
from nnlib.autograd import Function
from nnlib.exercises import ch02
from tests.test_exercises import BATTERY as OLD_BATTERY
from tests.test_exercises import cube_with
from tests.test_exercises_ch01_batteries import hint_named
from tests.test_exercises_ch02_backprop import BATTERY as OLD_BACKPROP_BATTERY


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


# ------------------------------------------------------------ two_layer_backward
def forward(X, W1, b1, W2, b2):
    A1 = np.tanh(X @ W1.T + b1)
    return A1, sigmoid(A1 @ W2.T + b2)


def net_db_mean(X, y, W1, b1, W2, b2):
    A1, y_hat = forward(X, W1, b1, W2, b2)
    m = len(X)
    dZ2 = (y_hat - y) / m
    dZ1 = dZ2 @ W2 * (1 - A1**2)
    return dZ1.T @ X, dZ1.mean(axis=0), dZ2.T @ A1, dZ2.mean(axis=0)


def net_w2_transposed_back(X, y, W1, b1, W2, b2):
    A1, y_hat = forward(X, W1, b1, W2, b2)
    dZ2 = (y_hat - y) / len(X)
    dZ1 = dZ2 @ W2.T * (1 - A1**2)
    return dZ1.T @ X, dZ1.sum(axis=0), dZ2.T @ A1, dZ2.sum(axis=0)


def net_relu_derivative(X, y, W1, b1, W2, b2):
    A1, y_hat = forward(X, W1, b1, W2, b2)
    dZ2 = (y_hat - y) / len(X)
    dZ1 = dZ2 @ W2 * (A1 > 0)
    return dZ1.T @ X, dZ1.sum(axis=0), dZ2.T @ A1, dZ2.sum(axis=0)


def net_sigmoid_derivative(X, y, W1, b1, W2, b2):
    A1, y_hat = forward(X, W1, b1, W2, b2)
    dZ2 = (y_hat - y) / len(X)
    dZ1 = dZ2 @ W2 * A1 * (1 - A1)
    return dZ1.T @ X, dZ1.sum(axis=0), dZ2.T @ A1, dZ2.sum(axis=0)


def net_no_b1(X, y, W1, b1, W2, b2):
    A1 = np.tanh(X @ W1.T)
    y_hat = sigmoid(A1 @ W2.T + b2)
    dZ2 = (y_hat - y) / len(X)
    dZ1 = dZ2 @ W2 * (1 - A1**2)
    return dZ1.T @ X, dZ1.sum(axis=0), dZ2.T @ A1, dZ2.sum(axis=0)


def net_dw1_uses_a1(X, y, W1, b1, W2, b2):
    A1, y_hat = forward(X, W1, b1, W2, b2)
    dZ2 = (y_hat - y) / len(X)
    dZ1 = dZ2 @ W2 * (1 - A1**2)
    return dZ1.T @ A1, dZ1.sum(axis=0), dZ2.T @ A1, dZ2.sum(axis=0)


def net_db_sum_all(X, y, W1, b1, W2, b2):
    A1, y_hat = forward(X, W1, b1, W2, b2)
    dZ2 = (y_hat - y) / len(X)
    dZ1 = dZ2 @ W2 * (1 - A1**2)
    return dZ1.T @ X, dZ1.sum(), dZ2.T @ A1, dZ2.sum()


def net_m_twice(X, y, W1, b1, W2, b2):
    A1, y_hat = forward(X, W1, b1, W2, b2)
    m = len(X)
    dZ2 = (y_hat - y) / m
    dZ1 = dZ2 @ W2 * (1 - A1**2)
    return dZ1.T @ X / m, dZ1.sum(axis=0) / m, dZ2.T @ A1 / m, dZ2.sum(axis=0) / m


def net_linear_output(X, y, W1, b1, W2, b2):
    A1 = np.tanh(X @ W1.T + b1)
    y_hat = A1 @ W2.T + b2
    dZ2 = (y_hat - y) / len(X)
    dZ1 = dZ2 @ W2 * (1 - A1**2)
    return dZ1.T @ X, dZ1.sum(axis=0), dZ2.T @ A1, dZ2.sum(axis=0)


TWO_LAYER_NEW = [
    (net_db_mean, "already contains 1/m"),
    (net_w2_transposed_back, "dA1 = dZ2 · W2"),
    (net_relu_derivative, "ReLU's derivative"),
    (net_sigmoid_derivative, "sigmoid's derivative"),
    (net_no_b1, "forward pass without b1"),
    (net_dw1_uses_a1, "the layer's input X"),
    (net_db_sum_all, "axis 0"),
    (net_m_twice, "divided by m twice"),
    (net_linear_output, "through the sigmoid"),
]


# ---------------------------------------------------------------- neuron_backward
def neuron_db_times_x(w, x, b, y):
    r = w @ x + b - y
    return 2 * r * x, 2 * r * x


def neuron_scalar_dw(w, x, b, y):
    r = w @ x + b - y
    return 2 * r, 2 * r


def neuron_forgot_b(w, x, b, y):
    r = w @ x - y
    return 2 * r * x, 2 * r


def neuron_half_factor(w, x, b, y):
    r = w @ x + b - y
    return r * x, 2 * r


def neuron_r_squared(w, x, b, y):
    r = w @ x + b - y
    return 2 * r**2 * x, 2 * r**2


def neuron_forgot_y(w, x, b, y):
    y_hat = w @ x + b
    return 2 * y_hat * x, 2 * y_hat


def neuron_swapped(w, x, b, y):
    r = w @ x + b - y
    return 2 * r, 2 * r * x


def neuron_inplace(w, x, b, y):
    r = w @ x + b - y
    x *= 2 * r
    return x, 2 * r


def neuron_sum_over_x(w, x, b, y):
    r = w @ x + b - y
    return 2 * r * np.sum(x), 2 * r


NEURON_NEW = [
    (neuron_db_times_x, "∂r/∂b = 1"),
    (neuron_scalar_dw, "one number per weight"),
    (neuron_forgot_b, "left b out"),
    (neuron_half_factor, "factor 2"),
    (neuron_r_squared, "2r, not 2r²"),
    (neuron_forgot_y, "left the target y out"),
    (neuron_swapped, "(dL_dw, dL_db)"),
    (neuron_inplace, "changed its input x in place"),
    (neuron_sum_over_x, "one number per weight"),
]


# ------------------------------------------------------------ numerical_gradient
def fd_return_in_loop(f, x, eps):
    x = np.array(x, dtype=float)
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + eps
        plus = f(x)
        x[i] = old - eps
        minus = f(x)
        x[i] = old
        grad[i] = (plus - minus) / (2 * eps)
        return grad


def fd_whole_vector(f, x, eps):
    return (f(x + eps) - f(x - eps)) / (2 * eps) * np.ones_like(x)


def fd_no_copy(f, x, eps):
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        xp = x
        xp[i] += eps
        plus = f(xp)
        xp[i] -= 2 * eps
        minus = f(xp)
        grad[i] = (plus - minus) / (2 * eps)
    return grad


def fd_precedence(f, x, eps):
    x = np.array(x, dtype=float)
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + eps
        plus = f(x)
        x[i] = old - eps
        minus = f(x)
        x[i] = old
        grad[i] = (plus - minus) / 2 * eps
    return grad


def fd_rows(f, x, eps):
    x = np.array(x, dtype=float)
    grad = np.zeros_like(x)
    for i in range(len(x)):
        old = x[i].copy()
        x[i] = old + eps
        plus = f(x)
        x[i] = old - eps
        minus = f(x)
        x[i] = old
        grad[i] = (plus - minus) / (2 * eps)
    return grad


def fd_fixed_eps(f, x, eps):
    return ch02._fd_numpy(f, x, 1e-6)


def fd_one_sided_backward(f, x, eps):
    x = np.array(x, dtype=float)
    grad = np.zeros_like(x)
    f0 = f(x)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old - eps
        grad[i] = (f0 - f(x)) / eps
        x[i] = old
    return grad


def fd_copies(f, x, eps):
    grad = np.zeros(x.shape)
    for i in np.ndindex(x.shape):
        e = np.zeros(x.shape)
        e[i] = eps
        grad[i] = (f(x + e) - f(x - e)) / eps
    return grad


def fd_flat_loop(f, x, eps):
    x = np.array(x, dtype=float)
    grad = []
    for i in range(x.size):
        xp, xm = x.copy().ravel(), x.copy().ravel()
        xp[i] += eps
        xm[i] -= eps
        grad.append((f(xp.reshape(x.shape)) - f(xm.reshape(x.shape))) / (2 * eps))
    return np.array(grad)


FD_NEW = [
    (fd_return_in_loop, "is inside the loop"),
    (fd_whole_vector, "one element at a time"),
    (fd_no_copy, "in place"),
    (fd_precedence, "parentheses"),
    (fd_rows, "a whole row"),
    (fd_fixed_eps, "the eps you are given"),
    (fd_one_sided_backward, "one-sided"),
    (fd_copies, "divide by 2ε"),
    (fd_flat_loop, "shape of theta"),
]


# ----------------------------------------------------------------- backward_rule
class CubeForgetsToSave(Function):
    @staticmethod
    def forward(ctx, x):
        return x * x * x

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        return grad_output * 3 * x * x


def cube(x):
    return x**3


class CubeReturnsTuple(Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x**3

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        return (grad_output * 3 * x**2,)


class CubeSavesOutput(Function):
    @staticmethod
    def forward(ctx, x):
        y = x**3
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, grad_output):
        (y,) = ctx.saved_tensors
        return grad_output * 3 * y**2


RULE_NEW = [
    (cube_with(lambda x, g: g * 3 * x * x, lambda x: 3 * x * x), "forward gives the wrong"),
    (cube_with(lambda x, g: g + 3 * x * x), "ignores grad_output"),
    (cube_with(lambda x, g: g * x**3), "disagrees with finite differences"),
    (cube_with(lambda x, g: g * 3 * x * x / 2), "same factor"),
    (cube_with(lambda x, g: -g * 3 * x * x), "flipped sign"),
    (CubeForgetsToSave, "ctx.saved_tensors is empty"),
    (cube_with(lambda x, g: 3 * x * x * g.sum()), "disagrees with finite differences"),
    (CubeSavesOutput, "disagrees with finite differences"),
    (cube_with(lambda x, g: g @ (3 * x * x)), "one gradient per input"),
]
OLD_RULE = [
    (cube_with(lambda x, g: g * 3 * x), "backward disagrees with finite differences"),
    (cube_with(lambda x, g: g * x * x), "off by the same factor 0.3333"),
    (cube_with(lambda x, g: 3 * x * x), "backward ignores grad_output"),
    (cube_with(lambda x, g: (g * 3 * x * x).sum()), "expected the gradient of input 0"),
    (cube_with(lambda x, g: g * 3 * x * x, lambda x: x * x), "forward gives the wrong"),
]

NEW = {
    ch02._TWO_LAYER: TWO_LAYER_NEW,
    ch02._NEURON: NEURON_NEW,
    ch02._FD: FD_NEW,
}


def battery(checker):
    """The checker's old table entries (other test files) and the new ones, as (wrong, hint)."""
    old = OLD_BATTERY if checker is ch02._TWO_LAYER else OLD_BACKPROP_BATTERY
    return [(wrong, hint) for wrong, hint, *_ in old[checker][2]] + NEW[checker]


def rule_named(function_class, hint):
    with np.errstate(all="ignore"):
        verdict = ch02.evaluate_backward_rule(function_class, reference=cube)
    return not verdict.passed and hint in verdict.text


@pytest.mark.parametrize("checker", list(NEW), ids=lambda c: c.title)
def test_hint_rate_is_at_least_95_percent(checker):
    entries = battery(checker)
    missed = [w.__name__ for w, h in entries if not hint_named(checker, w, h)]
    assert len(NEW[checker]) >= 8
    assert 1 - len(missed) / len(entries) >= 0.95, (len(entries), missed)


def test_backward_rule_hint_rate_is_at_least_95_percent():
    entries = OLD_RULE + RULE_NEW
    missed = [h for cls, h in entries if not rule_named(cls, h)]
    assert len(RULE_NEW) >= 8
    assert 1 - len(missed) / len(entries) >= 0.95, (len(entries), missed)


@pytest.mark.parametrize(
    ("checker", "wrong"),
    [(c, w) for c, entries in NEW.items() for w, _ in entries],
    ids=lambda v: getattr(v, "title", getattr(v, "__name__", "")),
)
def test_every_new_wrong_answer_is_rejected(checker, wrong):
    with np.errstate(all="ignore"):
        assert not checker.evaluate(wrong).passed


def net_torch_style(X, y, W1, b1, W2, b2):
    params = [nnlib.tensor(p, requires_grad=True) for p in (W1, b1, W2, b2)]
    z = nnlib.tanh(nnlib.tensor(X) @ params[0].T + params[1]) @ params[2].T + params[3]
    loss = nnlib.nn.BCEWithLogitsLoss()(z, nnlib.tensor(y))
    loss.backward()
    return {name: p.grad for name, p in zip(("dW1", "db1", "dW2", "db2"), params, strict=True)}


def neuron_outer(w, x, b, y):
    residual = float(np.dot(x, w)) + b - y
    return np.multiply(2 * residual, x), 2.0 * residual


def fd_unit_vectors(f, x, eps):
    grad = np.zeros(x.shape)
    for i in np.ndindex(x.shape):
        e = np.zeros(x.shape)
        e[i] = eps
        grad[i] = (f(x + e) - f(x - e)) / (2 * eps)
    return grad


@pytest.mark.parametrize(
    ("checker", "right"),
    [
        (ch02._TWO_LAYER, net_torch_style),
        (ch02._NEURON, neuron_outer),
        (ch02._FD, fd_unit_vectors),
    ],
    ids=lambda v: getattr(v, "title", getattr(v, "__name__", "")),
)
def test_right_answers_in_other_styles_pass(checker, right):
    verdict = checker.evaluate(right)
    assert verdict.passed, verdict.text


def test_backward_rule_accepts_a_rule_that_saves_its_output_and_recomputes():
    class CubeFromOutput(Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x * x * x

        @staticmethod
        def backward(ctx, grad_output):
            (x,) = ctx.saved_tensors
            return grad_output * (x * x + x * x + x * x)

    assert ch02.evaluate_backward_rule(CubeFromOutput, reference=cube).passed
    assert ch02.evaluate_backward_rule(CubeReturnsTuple, reference=cube).passed
