"""The checkers of nnlib.exercises: each rejects its battery of wrong implementations with the
targeted hint, accepts the right one, greets an untouched stub, summarises a crash, and
prints the same text every time (nbval compares it)."""

from __future__ import annotations

import inspect
import re

import numpy as np
import pytest

import nnlib
from nnlib import exercises
from nnlib.exercises import ch01, ch02, ch03, ch04, ch05
from nnlib.exercises.core import Case, Checker, describe_error, fmt
from tests.helpers import CheckerBattery, crashing, stub_ellipsis


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def stable_log_softmax(x, axis=-1):
    s = x - x.max(axis=axis, keepdims=True)
    return s - np.log(np.exp(s).sum(axis=axis, keepdims=True))


# ------------------------------------------------------------------ chapter 1
def neuron_right(X, w, b):
    return sigmoid(X @ w + b)


def neuron_inplace(X, w, b):
    X *= 2.0
    return sigmoid(X @ w / 2.0 + b)


def perceptron_right(w, b, x, y, lr):
    y_hat = 1.0 if np.dot(w, x) + b > 0 else 0.0
    return w + lr * (y - y_hat) * x, b + lr * (y - y_hat)


def perceptron_variant(ge=False, sign=1.0, use_lr=True, update_b=True, use_z=False):
    def update(w, b, x, y, lr):
        z = np.dot(w, x) + b
        y_hat = z if use_z else float(z >= 0 if ge else z > 0)
        step = sign * (lr if use_lr else 1.0) * (y - y_hat)
        return w + step * x, (b + step if update_b else b)

    return update


def perceptron_inplace(w, b, x, y, lr):
    y_hat = 1.0 if np.dot(w, x) + b > 0 else 0.0
    w += lr * (y - y_hat) * x
    return w, b + lr * (y - y_hat)


def cost_right(X, y, w, b):
    a = sigmoid(X @ w + b)
    return X.T @ (a - y) / len(y), np.mean(a - y)


# ------------------------------------------------------------------ chapter 2
def two_layer(X, y, W1, b1, W2, b2, *, mean=True, axis=0, tanh="H", transpose=False,
              sign=1.0, extra_sigmoid=False):  # fmt: skip
    H = np.tanh(X @ W1.T + b1)
    A = sigmoid(H @ W2.T + b2)
    dZ2 = sign * (A - y) / (len(X) if mean else 1)
    if extra_sigmoid:
        dZ2 = dZ2 * A * (1 - A)
    dH = dZ2 @ W2
    if tanh == "H":
        dZ1 = dH * (1 - H**2)
    elif tanh == "Z":
        dZ1 = dH * (1 - (X @ W1.T + b1) ** 2)
    else:
        dZ1 = dH
    dW1 = X.T @ dZ1 if transpose else dZ1.T @ X
    return dW1, dZ1.sum(axis=axis), dZ2.T @ H, dZ2.sum(axis=axis)


def with_(fn, **options):
    return lambda *args: fn(*args, **options)


# ------------------------------------------------------------------ chapter 3
def softmax_right(x):
    e = np.exp(x - x.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def softmax_naive(x):
    return np.exp(x) / np.exp(x).sum(axis=-1, keepdims=True)


def softmax_global_max(x):
    e = np.exp(x - x.max())
    return e / e.sum(axis=-1, keepdims=True)


def softmax_minus_min(x):
    e = np.exp(x - x.min(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def softmax_inplace(x):
    x -= x.max(axis=-1, keepdims=True)
    e = np.exp(x)
    return e / e.sum(axis=-1, keepdims=True)


def relu_grad_inplace(x):
    x[x > 0] = 1.0
    x[x <= 0] = 0.0
    return x


def maxout_2d_only(z, pieces):
    return z.reshape(z.shape[0], -1, pieces).max(axis=-1)


def leaky_wrong_default(x, negative_slope=0.1):
    return np.where(x > 0, x, negative_slope * x)


# ------------------------------------------------------------------ chapter 4
def bce_naive(z, y):
    p = sigmoid(z)
    return -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))


def bce_clamped(z, y):
    p = np.clip(sigmoid(z), 1e-7, 1 - 1e-7)
    return -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))


def bce_right(z, y):
    return np.mean(np.maximum(z, 0) - z * y + np.log1p(np.exp(-np.abs(z))))


def ce_right(x, t):
    return -stable_log_softmax(x)[np.arange(len(t)), t].mean()


def ce_naive(x, t):
    p = np.exp(x) / np.exp(x).sum(axis=1, keepdims=True)
    return -np.log(p[np.arange(len(t)), t]).mean()


def ce_global_max(x, t):
    shifted = x - x.max()
    logp = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    return -logp[np.arange(len(t)), t].mean()


# ------------------------------------------------------------------ chapter 5
def sgd_right(p, g, v, lr, mu):
    v = mu * v + g
    return p - lr * v, v


def sgd_inplace(p, g, v, lr, mu):
    v *= mu
    v += g
    p -= lr * v
    return p, v


def adam_variant(**switches):
    def step(p, g, m, v, t, lr, betas, eps):
        return ch05._adam(p, g, m, v, t, lr, betas, eps, **switches)

    return step


def ewa_right(values, beta, bias_correction=False):
    v, out = 0.0, []
    for t, theta in enumerate(values, start=1):
        v = beta * v + (1 - beta) * theta
        out.append(v / (1 - beta**t) if bias_correction else v)
    return np.array(out)


def ewa_variant(**switches):
    return lambda values, beta, bc=False: ch05._ewa(values, beta, bc, **switches)


# -------------------------------------------------------------- the battery
# checker -> (public check function, right implementation, [(wrong, hint substring)]);
# the tests are the shared ones of tests/helpers.py (CheckerBattery).
BATTERY = {
    ch01._NEURON: (ch01.check_neuron_forward, neuron_right, [
        (lambda X, w, b: sigmoid(X @ w), "did you forget to add b"),
        (lambda X, w, b: X @ w + b, "pass it through the sigmoid"),
        (lambda X, w, b: 1 / (1 + np.exp(X @ w + b)), "sign inside the exponential"),
        (lambda X, w, b: sigmoid(X @ w - b), "added, not subtracted"),
        (neuron_inplace, "changed its input X in place"),
        (lambda X, w, b: sigmoid(X @ w.T @ X + b), "transpose"),
    ]),
    ch01._PERCEPTRON: (ch01.check_perceptron_update, perceptron_right, [
        (perceptron_variant(sign=-1.0), "moved the weights the wrong way"),
        (perceptron_variant(update_b=False), "did not update the bias"),
        (perceptron_variant(use_lr=False), "multiply the update by the learning rate"),
        (perceptron_variant(ge=True), "use `z > 0`, not `z >= 0`"),
        (perceptron_variant(use_z=True), "not z itself"),
        (perceptron_inplace, "changed its input w in place"),
        (lambda w, b, x, y, lr: w, "return 2 values"),
    ]),
    ch01._COST: (ch01.check_cost_gradient, cost_right, [
        (lambda X, y, w, b: (X.T @ (sigmoid(X @ w + b) - y), np.sum(sigmoid(X @ w + b) - y)),
         "exactly m times too large"),
        (lambda X, y, w, b: tuple(-g for g in cost_right(X, y, w, b)), "sign is flipped"),
        (lambda X, y, w, b: (X.T @ (X @ w + b - y) / len(y), np.mean(X @ w + b - y)),
         "use the prediction a = σ(z)"),
        (lambda X, y, w, b: (X @ (sigmoid(X @ w + b) - y) / len(y), 0.0), "transpose",
         "error"),
    ]),
    ch02._TWO_LAYER: (ch02.check_two_layer_backward, two_layer, [
        (with_(two_layer, transpose=True), "you have the transpose"),
        (with_(two_layer, axis=1), "sum the bias gradient over the examples, axis 0"),
        (with_(two_layer, mean=False), "exactly m times too large"),
        (with_(two_layer, sign=-1.0), "sign is flipped"),
        (with_(two_layer, tanh="none"), "multiply by tanh's derivative"),
        (with_(two_layer, tanh="Z"), "use the hidden activations A1"),
        (with_(two_layer, extra_sigmoid=True), "cancels"),
    ]),
    ch03._SOFTMAX: (ch03.check_softmax, softmax_right, [
        (lambda x: np.exp(x) / np.exp(x).sum(axis=0, keepdims=True), "normalise each row"),
        (lambda x: np.exp(x - x.max()) / np.exp(x - x.max()).sum(), "by its own sum"),
        (np.exp, "you returned exp(x)"),
        (lambda x: np.exp(x) / np.exp(x).sum(axis=-1), "keep the summed axis", "error"),
        (lambda x: np.exp(x) / np.exp(x).sum(axis=1, keepdims=True), "write `axis=-1`",
         "error"),
        (softmax_naive, "Subtract each row's maximum first"),
        (softmax_global_max, "subtract each row's OWN maximum"),
        (softmax_inplace, "changed its input logits in place"),
        (softmax_minus_min, "not its minimum"),
    ]),
    ch03._RELU_GRAD: (ch03.check_relu_grad, lambda x: (x > 0).astype(x.dtype), [
        (lambda x: np.maximum(x, 0), "you returned ReLU(x) itself"),
        (lambda x: (x >= 0).astype(float), "use `x > 0`, not `x >= 0`"),
        (lambda x: (x < 0).astype(float), "POSITIVE inputs"),
        (lambda x: x > 0, "return floating-point numbers"),
        (relu_grad_inplace, "changed its input x in place"),
    ]),
    ch03._LEAKY: (ch03.check_leaky_relu, lambda x, s=0.01: np.where(x > 0, x, s * x), [
        (lambda x, s=0.01: np.maximum(x, 0), "plain ReLU"),
        (lambda x, s=0.01: np.where(x > 0, s * x, x), "NEGATIVE inputs"),
        (lambda x, s=0.01: np.where(x > 0, x, 0.01 * x), "use the negative_slope argument"),
        (leaky_wrong_default, "the default is negative_slope=0.01"),
    ]),
    ch03._MAXOUT: (ch03.check_maxout, lambda z, p: z.reshape(*z.shape[:-1], -1, p).max(-1), [
        (ch03._interleaved, "group CONSECUTIVE units"),
        (lambda z, p: z.reshape(*z.shape[:-1], -1, p).sum(-1), "not their sum"),
        (lambda z, p: z.reshape(*z.shape[:-1], -1, p).mean(-1), "not their mean"),
        (lambda z, p: z.reshape(*z.shape[:-1], -1, p).min(-1), "not the minimum"),
        (maxout_2d_only, "leading dimensions kept", "error"),
    ]),
    ch04._MSE: (ch04.check_mse, lambda y_hat, y: np.mean((y_hat - y) ** 2), [
        (lambda y_hat, y: np.sum((y_hat - y) ** 2), "times too large"),
        (lambda y_hat, y: 0.5 * np.mean((y_hat - y) ** 2), "no ½ factor"),
        (lambda y_hat, y: np.mean(np.abs(y_hat - y)), "mean ABSOLUTE error"),
        (lambda y_hat, y: np.sqrt(np.mean((y_hat - y) ** 2)), "root-mean-square"),
        (lambda y_hat, y: np.mean(y_hat - y), "square the differences before averaging"),
        (lambda y_hat, y: np.mean((y_hat - y) ** 2, axis=-1), "reduce to ONE number"),
    ]),
    ch04._BCE: (ch04.check_bce_with_logits, bce_right, [
        (lambda z, y: -np.mean(y * np.log(z) + (1 - y) * np.log(1 - z)),
         "treats its input as probabilities"),
        (bce_naive, "σ(z) rounds to exactly 0 or 1"),
        (bce_clamped, "clamping σ(z)"),
        (lambda z, y: -bce_right(z, y), "a minus sign is missing"),
        (lambda z, y: bce_right(z, y) * y.size, "times too large"),
        (lambda z, y: np.mean(np.log1p(np.exp(z)) - y * z), "log(1 + exp(z)) overflows"),
        (lambda z, y: np.mean(np.log(1 + np.exp(z)) - y * z), "log(1 + exp(z)) overflows"),
    ]),
    ch04._CE: (ch04.check_cross_entropy, ce_right, [
        (lambda x, t: -np.mean(np.log(x[np.arange(len(t)), t])),
         "treats its input as probabilities"),
        (lambda x, t: ce_right(softmax_right(x), t), "applied softmax twice"),
        (lambda x, t: -stable_log_softmax(x, axis=0)[np.arange(len(t)), t].mean(),
         "normalise over the classes"),
        (lambda x, t: -stable_log_softmax(x)[:, t].mean(), "pick ONE entry per row"),
        (ce_naive, "exp(1000) overflows"),
        (lambda x, t: -ce_right(x, t), "a minus sign is missing"),
        (lambda x, t: ce_right(x, t) * len(t), "times too large"),
        (lambda x, t: -stable_log_softmax(x)[np.arange(len(t)), t], "reduce to ONE number"),
        (ce_global_max, "each row's OWN maximum"),
        (lambda x, t: -np.mean(np.log(softmax_right(x)[np.arange(len(t)), t])),
         "the log of a softmax"),
    ]),
    ch05._SGD: (ch05.check_sgd_momentum_step, sgd_right, [
        (lambda p, g, v, lr, mu: (p - lr * (mu * v + (1 - mu) * g), mu * v + (1 - mu) * g),
         "without the (1 − momentum) factor"),
        (lambda p, g, v, lr, mu: (p - lr * v, mu * v + g), "update the velocity first"),
        (lambda p, g, v, lr, mu: (p - lr * g, mu * v + g), "not along the raw gradient"),
        (lambda p, g, v, lr, mu: (p + lr * (mu * v + g), mu * v + g), "step AGAINST"),
        (lambda p, g, v, lr, mu: (p + mu * v - lr * g, mu * v - lr * g),
         "learning rate belongs in the parameter update"),
        (sgd_inplace, "changed its input param in place"),
    ]),
    ch05._ADAM: (ch05.check_adam_step, adam_variant(), [
        (adam_variant(no_correction=True), "bias correction is missing"),
        (adam_variant(return_hat=True), "return the RAW moments"),
        (adam_variant(t_shift=1), "use the step number t as given"),
        (adam_variant(t_shift=-1), "use the step number t as given"),
        (adam_variant(eps_inside=True), "eps goes outside the square root"),
        (adam_variant(abs=True), "SQUARED gradient"),
        (adam_variant(sign=True), "step against the gradient"),
    ]),
    ch05._EWA: (ch05.check_ewa, ewa_right, [
        (ewa_variant(swap=True), "β multiplies the OLD average"),
        (ewa_variant(start_first=True), "start from q̄_0 = 0"),
        (lambda values, beta, bc=False: ewa_right(values, beta), "divide each reported value"),
        (ewa_variant(compound=True), "keep the running average uncorrected"),
        (ewa_variant(t_shift=1), "the first value has t = 1"),
        (lambda values, beta, bc=False: ewa_right(values, beta, bc)[-1], "the whole sequence"),
    ]),
}  # fmt: skip


class TestCheckers(CheckerBattery):
    BATTERY = BATTERY


def test_results_may_be_nnlib_or_torch_tensors() -> None:
    assert ch03._SOFTMAX.evaluate(lambda x: nnlib.tensor(softmax_right(x))).passed
    torch = pytest.importorskip("torch")
    assert ch03._SOFTMAX.evaluate(lambda x: torch.softmax(torch.tensor(x), dim=-1)).passed


def test_several_outputs_may_come_as_a_dict_by_name() -> None:
    def as_dict(*args):
        dW1, db1, dW2, db2 = two_layer(*args)
        return {"db2": db2, "dW2": dW2, "db1": db1, "dW1": dW1}

    assert ch02._TWO_LAYER.evaluate(as_dict).passed


def test_odd_arguments_and_results_never_raise() -> None:
    assert "expected a function" in ch03._SOFTMAX.evaluate(np.array([1.0])).text
    assert "return numbers" in ch03._SOFTMAX.evaluate(lambda x: "probabilities").text
    assert "return 2 values" in ch05._SGD.evaluate(lambda *a: (1.0, 2.0, 3.0)).text
    assert "forget its `return`" in ch05._SGD.evaluate(lambda *a: (a[0], None)).text


def test_checking_leaves_the_global_random_state_alone() -> None:
    nnlib.manual_seed(3)
    a = nnlib.randn(4).data
    nnlib.manual_seed(3)
    ch02.check_two_layer_backward(two_layer)
    ch02.check_backward_rule(Cube, reference=lambda x: x**3)
    assert np.array_equal(nnlib.randn(4).data, a)


def test_error_summary_names_the_learners_line_and_masks_addresses() -> None:
    namespace: dict = {}
    code = "def learner(x):\n    return x.missing_method(object())\n"
    exec(compile(code, "/tmp/ipykernel_42/2761.py", "exec"), namespace)  # a notebook cell
    try:
        namespace["learner"](np.zeros(2))
    except AttributeError as err:
        lines = describe_error(err)
    assert lines[0].startswith("error:    AttributeError:")
    assert lines[-1].startswith("where:    line 2 of your code, in learner")
    assert all("ipykernel" not in line for line in lines)
    err = ValueError(f"bad value {object()!r}")
    assert "0x" not in describe_error(err)[0].replace("0x…", "")


def test_fmt_is_fixed_precision_and_one_line() -> None:
    assert fmt(np.array([[1 / 3, 2.0], [np.nan, -np.inf]])) == "[[0.33333 2.] [nan -inf]]"
    assert fmt(0.1 + 0.2) == "0.3"
    assert fmt(np.zeros(20)) == "array of shape (20,)"


def test_a_checker_is_declarative() -> None:
    square = Checker(
        title="square",
        arg_names=("x",),
        cases=lambda: [Case("three numbers", (np.array([1.0, -2.0, 3.0]),))],
        reference=np.square,
    )
    assert square.evaluate(lambda x: x * x).passed
    assert "first difference" not in square.evaluate(lambda x: 2 * x).text


def test_a_checker_names_its_inputs_after_the_reference() -> None:
    def affine_reference(X: np.ndarray, w: np.ndarray, b: float = 0.0) -> np.ndarray:
        return X @ w + b

    affine = Checker(
        title="affine",
        cases=lambda: [Case("one example", (np.array([[1.0, 2.0]]), np.array([3.0, 4.0]), 1.0))],
        reference=affine_reference,
    )
    assert affine.arg_names == ("X", "w", "b")
    forgot_bias = affine.evaluate(lambda X, w, b: X @ w).text
    assert "input:    X = [[1. 2.]], w = [3. 4.], b = 1" in forgot_bias
    renamed = Checker(
        title="affine",
        arg_names=("inputs", "weights", "bias"),
        cases=affine.cases,
        reference=affine_reference,
    )
    assert renamed.arg_names == ("inputs", "weights", "bias")


# ---------------------------------------------------------- check_backward_rule
class Cube(nnlib.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x * x * x

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        return grad_output * 3 * x * x


def cube_with(backward_rule, forward_rule=lambda x: x * x * x):
    class MyCube(nnlib.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return forward_rule(x)

        @staticmethod
        def backward(ctx, grad_output):
            (x,) = ctx.saved_tensors
            return backward_rule(x, grad_output)

    return MyCube


class CubeStub(nnlib.autograd.Function):
    @staticmethod
    def forward(ctx, x): ...

    @staticmethod
    def backward(ctx, grad_output): ...


class BackwardStub(nnlib.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        return x * x * x

    @staticmethod
    def backward(ctx, grad_output): ...


class NoOverrides(nnlib.autograd.Function):
    pass


def cube(x):
    return x**3


def test_backward_rule_right_is_accepted(capsys) -> None:
    ch02.check_backward_rule(Cube, reference=cube)
    out = capsys.readouterr().out
    assert out.startswith("✓ Cube: forward matches the reference and backward agrees")
    two_inputs = cube_with(lambda x, g: g * 3 * x * x)
    assert ch02.evaluate_backward_rule(two_inputs, shapes=[(2, 5)]).passed


@pytest.mark.parametrize(
    ("function_class", "hint"),
    [
        (cube_with(lambda x, g: g * 3 * x), "backward disagrees with finite differences"),
        (cube_with(lambda x, g: g * x * x), "off by the same factor 0.3333"),
        (cube_with(lambda x, g: 3 * x * x), "backward ignores grad_output"),
        (cube_with(lambda x, g: (g * 3 * x * x).sum()), "expected the gradient of input 0"),
        (cube_with(lambda x, g: g * 3 * x * x, lambda x: x * x), "forward gives the wrong"),
    ],
)
def test_backward_rule_wrong_is_rejected(function_class, hint) -> None:
    verdict = ch02.evaluate_backward_rule(function_class, reference=cube)
    assert not verdict.passed
    assert hint in verdict.text, verdict.text


@pytest.mark.parametrize("function_class", [CubeStub, BackwardStub, NoOverrides])
def test_backward_rule_stub_is_not_attempted(function_class) -> None:
    verdict = ch02.evaluate_backward_rule(function_class, reference=cube)
    assert verdict.status == "not attempted", verdict.text


def test_backward_rule_crash_and_non_class_are_summarised() -> None:
    def boom(x, g):
        raise RuntimeError("no way")

    verdict = ch02.evaluate_backward_rule(cube_with(boom), reference=cube)
    assert verdict.status == "error"
    assert "RuntimeError: no way" in verdict.text and "in boom" in verdict.text
    assert "expected a subclass" in ch02.evaluate_backward_rule(Cube.apply).text


def test_backward_rule_is_deterministic(capsys) -> None:
    wrong = cube_with(lambda x, g: g * 3 * x)
    for _ in range(2):
        ch02.check_backward_rule(wrong, reference=cube)
    first, second = capsys.readouterr().out.split("✗")[1:]
    assert first == second


# --------------------------------------------- the references agree with nnlib
def maxout_right(z, pieces):
    return z.reshape(*z.shape[:-1], -1, pieces).max(axis=-1)


def test_numpy_twins_agree_with_nnlib_functional() -> None:
    F = pytest.importorskip("nnlib.nn.functional")
    rng = np.random.default_rng(0)
    x = rng.normal(size=(4, 5)) * 10
    t = np.array([0, 4, 2, 1])
    T = nnlib.tensor
    np.testing.assert_allclose(softmax_right(x), F.softmax(T(x), dim=-1).data)
    np.testing.assert_allclose(maxout_right(x[:, :4], 2), F.maxout(T(x[:, :4]), 2).data)
    np.testing.assert_allclose(ce_right(x, t), F.cross_entropy(T(x), nnlib.tensor(t)).data)
    y = (rng.random((4, 5)) < 0.5).astype(float)
    np.testing.assert_allclose(
        bce_right(x * 50, y),
        F.binary_cross_entropy_with_logits(T(x * 50), T(y)).data,
    )


def test_optimizer_steps_agree_with_nnlib_optim() -> None:
    optim = pytest.importorskip("nnlib.optim")
    from nnlib.nn import Parameter

    rng = np.random.default_rng(1)
    grads = [rng.normal(size=3) for _ in range(4)]
    start = rng.normal(size=3)

    w = Parameter(start.copy())
    opt = optim.SGD([w], lr=0.1, momentum=0.9)
    p, v = start.copy(), np.zeros(3)
    for g in grads:
        w.grad = nnlib.tensor(g.copy())
        opt.step()
        p, v = sgd_right(p, g, v, 0.1, 0.9)
    np.testing.assert_allclose(w.data, p)

    w = Parameter(start.copy())
    opt = optim.Adam([w], lr=0.01, betas=(0.8, 0.99), eps=1e-6)
    p, m, v = start.copy(), np.zeros(3), np.zeros(3)
    for t, g in enumerate(grads, start=1):
        w.grad = nnlib.tensor(g.copy())
        opt.step()
        p, m, v = adam_variant()(p, g, m, v, t, 0.01, (0.8, 0.99), 1e-6)
    np.testing.assert_allclose(w.data, p)


@pytest.mark.parametrize(
    ("checker", "twin"),
    [(ch05._SGD, sgd_right), (ch05._ADAM, adam_variant())],
    ids=["sgd", "adam"],
)
def test_optimizer_references_agree_with_their_numpy_twins(checker, twin) -> None:
    for case, expected in checker.expected_cases():
        for got, want in zip(twin(*case.args), expected, strict=True):
            np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-15)


# ------------------------------------------- every exported checker, present and future
EXPORTED = [name for name in exercises.__all__ if name.startswith("check_")]


@pytest.mark.parametrize("name", EXPORTED)
def test_every_exported_checker_is_documented(name: str) -> None:
    doc = inspect.getdoc(getattr(exercises, name)) or ""
    assert re.search(r"``\w+\(", doc), "the docstring names the learner's signature"
    assert "Taught in chapter" in doc
    assert "Example:" in doc


@pytest.mark.parametrize("name", EXPORTED)
def test_every_exported_checker_prints_one_verdict_and_never_raises(name: str, capsys) -> None:
    check = getattr(exercises, name)
    for fn in (crashing, stub_ellipsis, 42):
        assert check(fn) is None
        out = capsys.readouterr().out
        assert out[:1] in "✓✗○" and out.endswith("\n"), out
        assert "Traceback" not in out
