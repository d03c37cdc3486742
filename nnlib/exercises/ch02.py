r"""Checkers for chapter 2 (backpropagation).

Gradients derived by hand, compared with nnlib's autograd: :func:`check_neuron_backward`
(the chain rule for one neuron) and :func:`check_two_layer_backward` (a small network).
Gradients tested against finite differences: :func:`check_numerical_gradient` (a learner's
central-difference gradient, the heart of gradcheck) and :func:`check_backward_rule` (a
learner's own :class:`nnlib.autograd.Function`, with :func:`nnlib.autograd.gradcheck`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

import nnlib
from nnlib.autograd import Function, GradcheckError, gradcheck
from nnlib.exercises.core import (
    ERROR,
    FAIL,
    NOT_ATTEMPTED,
    PASS,
    Attempt,
    Case,
    Checker,
    Mistake,
    Verdict,
    close,
    describe_error,
    fmt,
    output_is,
    raised,
    same_as,
    scaled_by,
    shape_is,
    transposed,
)
from nnlib.exercises.limits import LimitExceeded, describe_stop, limited
from nnlib.exercises.report import present, quiet, to_array
from nnlib.ops.linalg import linear

_GRADS = ("dW1", "db1", "dW2", "db2")


def _net_cases() -> list[Case]:
    rng = np.random.default_rng(201)

    def case(label: str, m: int, n_in: int, hidden: int) -> Case:
        X = rng.normal(size=(m, n_in))
        y = (np.arange(m) % 2).astype(np.float64).reshape(m, 1)  # both classes
        W1, b1 = rng.normal(size=(hidden, n_in)), rng.normal(size=hidden) * 0.5
        W2, b2 = rng.normal(size=(1, hidden)), rng.normal(size=1) * 0.5
        return Case(label, (X, y, W1, b1, W2, b2))

    return [
        case("5 examples, 3 inputs, 4 hidden units", 5, 3, 4),
        case("one example (m = 1)", 1, 2, 3),
        case("8 examples, 2 inputs, 6 hidden units", 8, 2, 6),
    ]


def _net_reference(X: Any, y: Any, W1: Any, b1: Any, W2: Any, b2: Any) -> tuple[Any, ...]:
    params = [nnlib.tensor(p, requires_grad=True) for p in (W1, b1, W2, b2)]
    H = nnlib.tanh(linear(nnlib.tensor(X), params[0], params[1]))
    z = linear(H, params[2], params[3])
    # Mean binary cross-entropy of σ(z) against y, in the stable form.
    loss = (nnlib.relu(z) - z * nnlib.tensor(y) + nnlib.log(1 + nnlib.exp(-nnlib.abs(z)))).mean()
    loss.backward()
    return tuple(to_array(p.grad) for p in params)


def _net_numpy(
    X: Any,
    y: Any,
    W1: Any,
    b1: Any,
    W2: Any,
    b2: Any,
    *,
    tanh_grad: str = "H",
    mean: bool = True,
    bias_axis: int = 0,
    dz2: str = "plain",
    with_b1: bool = True,
    output: str = "sigmoid",
    bias_mean: bool = False,
    dw1_input: str = "X",
) -> tuple[Any, ...]:
    """The hand-derived gradients, with switches that reproduce the usual mistakes."""
    H = np.tanh(X @ W1.T + (b1 if with_b1 else 0.0))
    Z2 = H @ W2.T + b2
    A = Z2 if output == "linear" else nnlib.sigmoid(nnlib.tensor(Z2)).data
    dZ2 = (A - y) / (len(X) if mean else 1)
    if dz2 == "sigmoid'":
        dZ2 = dZ2 * A * (1 - A)

    def bias_grad(dZ: Any) -> Any:
        return dZ.mean(axis=bias_axis) if bias_mean else dZ.sum(axis=bias_axis)

    dW2, db2 = dZ2.T @ H, bias_grad(dZ2)
    dH = dZ2 @ W2
    if tanh_grad == "none":
        dZ1 = dH
    elif tanh_grad == "Z":
        Z1 = X @ W1.T + b1
        dZ1 = dH * (1 - Z1**2)
    elif tanh_grad == "relu":
        dZ1 = dH * (H > 0)
    elif tanh_grad == "sigmoid":
        dZ1 = dH * H * (1 - H)
    else:
        dZ1 = dH * (1 - H**2)
    return dZ1.T @ (H if dw1_input == "A1" else X), bias_grad(dZ1), dW2, db2


def _bias_wrong_axis(attempt: Attempt) -> bool:
    m = len(attempt.case.args[0])
    got = attempt.got
    return (
        got is not None
        and attempt.index in (1, 3)
        and got[attempt.index].shape in ((m,), (m, 1), ())
    )


_TWO_LAYER = Checker(
    title="two_layer_backward",
    cases=_net_cases,
    reference=_net_reference,
    output_names=_GRADS,
    mistakes=(
        Mistake(
            "you have the transpose: a gradient has the shape of its parameter. W1 is "
            "(hidden, inputs), so dW1 = dZ1ᵀ·X (and dW2 = dZ2ᵀ·A1), not Xᵀ·dZ1.",
            transposed(),
        ),
        Mistake(
            "sum the bias gradient over the examples, axis 0 (`dZ.sum(axis=0)`): one number "
            "per unit, not one per example.",
            _bias_wrong_axis,
        ),
        Mistake(
            "your gradient is exactly m times too large: the loss is the MEAN over the m "
            "examples, so dZ2 = (y_hat − y) / m.",
            scaled_by(lambda X, *rest: len(X)),
        ),
        Mistake(
            "the sign is flipped: dZ2 = y_hat − y (prediction minus target).",
            scaled_by(lambda *args: -1.0),
        ),
        Mistake(
            "on the way back through the hidden layer, multiply by tanh's derivative: "
            "dZ1 = dA1 · (1 − A1²).",
            same_as(_net_numpy, tanh_grad="none"),
        ),
        Mistake(
            "tanh′(z) = 1 − tanh(z)²: use the hidden activations A1 = tanh(Z1), not Z1 itself.",
            same_as(_net_numpy, tanh_grad="Z"),
        ),
        Mistake(
            "for a sigmoid output with binary cross-entropy, dZ2 = (y_hat − y)/m: the factor "
            "σ′ = y_hat(1 − y_hat) cancels, so do not multiply by it.",
            same_as(_net_numpy, dz2="sigmoid'"),
        ),
        Mistake(
            "dZ already contains 1/m: sum the bias gradient over the examples "
            "(`dZ.sum(axis=0)`), do not average it again.",
            same_as(_net_numpy, bias_mean=True),
        ),
        Mistake(
            "a shape mismatch on the way back: through layer 2 it is dA1 = dZ2 · W2 (shapes "
            "(m, 1)·(1, h) = (m, h)), no transpose; and each dW = dZᵀ·(that layer's input). "
            "Print the shapes to see which product fails.",
            raised(ValueError, "matmul|align|shapes"),
        ),
        Mistake(
            "the hidden layer is tanh: multiply by tanh's derivative 1 − A1², not ReLU's "
            "derivative (A1 > 0).",
            same_as(_net_numpy, tanh_grad="relu"),
        ),
        Mistake(
            "the hidden layer is tanh: multiply by tanh's derivative 1 − A1², not the "
            "sigmoid's derivative A1(1 − A1).",
            same_as(_net_numpy, tanh_grad="sigmoid"),
        ),
        Mistake(
            "you ran the forward pass without b1: the hidden layer is tanh(X·W1ᵀ + b1).",
            same_as(_net_numpy, with_b1=False),
        ),
        Mistake(
            "dW1 = dZ1ᵀ·X: a weight's gradient multiplies by the layer's input X (for layer 2, "
            "by A1), not by the layer's own output.",
            same_as(_net_numpy, dw1_input="A1"),
        ),
        Mistake(
            "you divided by m twice: dZ2 = (y_hat − y)/m already holds the mean, so dW and db "
            "are plain products and sums of dZ.",
            scaled_by(lambda X, *rest: 1 / len(X)),
        ),
        Mistake(
            "pass the output through the sigmoid, y_hat = σ(A1·W2ᵀ + b2): the loss is the "
            "binary cross-entropy of a probability.",
            # A lambda: `output=` would name same_as's own argument, not _net_numpy's switch.
            same_as(lambda *a: _net_numpy(*a, output="linear")),
        ),
    ),
    default_hint="go backwards one line at a time: dZ2 = (y_hat − y)/m; dW2 = dZ2ᵀ·A1; "
    "db2 = Σ dZ2 over examples; dA1 = dZ2·W2; dZ1 = dA1·(1 − A1²); dW1 = dZ1ᵀ·X; "
    "db1 = Σ dZ1 over examples.",
    success="Your hand-derived gradients match nnlib's autograd.",
)


def check_two_layer_backward(fn: Callable[..., Any]) -> None:
    r"""Check hand-derived 2-layer gradients: ``two_layer_backward(X, y, W1, b1, W2, b2)``.

    The network, in PyTorch's weight layout (``W`` is ``(out, in)``):

    .. math::

        H = \tanh(X W_1^\top + b_1), \quad A = \sigma(H W_2^\top + b_2), \quad
        J = \frac{1}{m} \sum_i \mathrm{BCE}(A_i, y_i)

    with ``X`` of shape ``(m, n_in)``, ``y`` of shape ``(m, 1)``, ``W1`` ``(hidden, n_in)``,
    ``b1`` ``(hidden,)``, ``W2`` ``(1, hidden)``, ``b2`` ``(1,)``. The learner returns the
    tuple ``(dW1, db1, dW2, db2)`` of :math:`\partial J/\partial \theta`, each the shape of
    its parameter; the reference is nnlib's autograd. Recognises: a missing transpose, the
    bias gradient summed over the wrong axis, a sum instead of a mean (factor m), a flipped
    sign, a forgotten tanh derivative or one taken at Z1, ReLU's or the sigmoid's derivative
    in its place, an extra σ′ factor, a bias gradient averaged again or summed over all
    axes, 1/m applied twice, ``dW1`` taken with ``A1``, a forward pass without ``b1`` or
    without the sigmoid, a shape mismatch on the way back.

    Args:
        fn: The learner's function.

    Example:
        >>> import numpy as np
        >>> def two_layer_backward(X, y, W1, b1, W2, b2):
        ...     H = np.tanh(X @ W1.T + b1)
        ...     A = 1 / (1 + np.exp(-(H @ W2.T + b2)))
        ...     dZ2 = (A - y) / len(X)
        ...     dZ1 = dZ2 @ W2 * (1 - H**2)
        ...     return dZ1.T @ X, dZ1.sum(axis=0), dZ2.T @ H, dZ2.sum(axis=0)
        >>> check_two_layer_backward(two_layer_backward)  # doctest: +ELLIPSIS
        ✓ two_layer_backward: correct on all 3 cases (...

    Taught in chapter 2 (backpropagation).
    """
    _TWO_LAYER(fn)


# ------------------------------------------------------------------ one neuron, by hand
def _neuron_cases() -> list[Case]:
    rng = np.random.default_rng(203)

    def case(label: str, d: int) -> Case:
        w, x = rng.normal(size=d), rng.normal(size=d)
        return Case(label, (w, x, float(rng.normal()), float(rng.normal())))

    return [
        case("3 inputs", 3),
        Case(
            "prediction equals the target (zero gradient)",
            (np.array([1.0, 2.0]), np.array([0.5, -0.25]), 0.5, 0.5),
        ),
        case("one input", 1),
        case("5 inputs", 5),
    ]


def _neuron_reference(w: Any, x: Any, b: float, y: float) -> tuple[Any, Any]:
    wt = nnlib.tensor(w, requires_grad=True)
    bt = nnlib.tensor(np.float64(b), requires_grad=True)
    loss = ((wt * nnlib.tensor(x)).sum() + bt - y) ** 2
    loss.backward()
    return to_array(wt.grad), to_array(bt.grad)


def _neuron_numpy(w: Any, x: Any, b: float, y: float, *, times: Any = "x",
                  two: float = 2.0, power: int = 1) -> tuple[Any, Any]:  # fmt: skip
    r = (w @ x + b - y) ** power
    factor = {"x": x, "w": w, "one": np.ones_like(x)}[times]
    return two * r * factor, two * r


_NEURON = Checker(
    title="neuron_backward",
    cases=_neuron_cases,
    reference=_neuron_reference,
    output_names=("dL_dw", "dL_db"),
    mistakes=(
        Mistake(
            "you are missing the factor 2 from the square: ∂L/∂r = 2r for L = r².",
            scaled_by(lambda *args: 0.5),
        ),
        Mistake(
            "the sign is flipped: r = ŷ − y (prediction minus target), so ∂L/∂r = 2(ŷ − y).",
            scaled_by(lambda *args: -1.0),
        ),
        Mistake(
            "∂ŷ/∂w_j = x_j: multiply by the INPUT x, not by the weight w.",
            same_as(_neuron_numpy, times="w", output=0),
        ),
        Mistake(
            "you forgot the last link of the chain: ∂L/∂w = ∂L/∂ŷ · ∂ŷ/∂w, and ∂ŷ/∂w = x.",
            same_as(_neuron_numpy, times="one", output=0),
        ),
        Mistake(
            "return (dL_dw, dL_db) in this order: the weights' gradient first.",
            lambda attempt: (
                same_as(lambda *a: _neuron_numpy(*a)[::-1], output=0)(attempt)
                and same_as(lambda *a: _neuron_numpy(*a)[::-1], output=1)(attempt)
            ),
        ),
        Mistake(
            "∂r/∂b = 1: dL_db = 2r, one number, without x.",
            output_is(1, shape_is(lambda w, x, b, y: np.shape(x))),
        ),
        Mistake(
            "dL_dw has one number per weight, the shape of w: 2r·x (multiply by the vector x, "
            "do not sum it or leave it out).",
            output_is(0, shape_is(lambda w, x, b, y: ())),
        ),
        Mistake(
            "∂L/∂r = 2r, not 2r²: the derivative of r² lowers the power by one.",
            same_as(_neuron_numpy, power=2),
        ),
        Mistake(
            "you left b out of the residual: r = w·x + b − y.",
            same_as(lambda w, x, b, y: _neuron_numpy(w, x, 0.0, y)),
        ),
        Mistake(
            "you left the target y out of the residual: r = ŷ − y = w·x + b − y.",
            same_as(lambda w, x, b, y: _neuron_numpy(w, x, b, 0.0)),
        ),
    ),
    default_hint="one link at a time: r = w·x + b − y; ∂L/∂r = 2r; ∂r/∂w = x; ∂r/∂b = 1.",
    success="The chain rule, by hand, agrees with autograd.",
)


def check_neuron_backward(fn: Callable[..., Any]) -> None:
    r"""Check the chain rule by hand for one neuron: ``neuron_backward(w, x, b, y)``.

    The learner writes ``neuron_backward(w, x, b, y)`` for
    :math:`L = (\mathbf{w}\cdot\mathbf{x} + b - y)^2` with ``w`` and ``x`` 1-d arrays of the
    same length and ``b``, ``y`` numbers, returning ``(dL_dw, dL_db)``; the reference is
    nnlib's autograd. Recognises: the missing factor 2, a flipped sign, multiplying by
    ``w`` instead of ``x``, forgetting the factor ``x`` altogether (or summing it), ``x`` in
    the bias gradient, 2r² for 2r, a residual without ``b`` or ``y``, the outputs swapped.

    Args:
        fn: The learner's function.

    Example:
        >>> def neuron_backward(w, x, b, y):
        ...     r = w @ x + b - y
        ...     return 2 * r * x, 2 * r
        >>> check_neuron_backward(neuron_backward)  # doctest: +ELLIPSIS
        ✓ neuron_backward: correct on all 4 cases (...

    Taught in chapter 2 (backpropagation).
    """
    _NEURON(fn)


# --------------------------------------------------------------------- backward rule
def _overrides(cls: type, name: str) -> bool:
    return getattr(cls, name, None) is not getattr(Function, name)


def evaluate_backward_rule(
    function_class: Any,
    reference: Callable[..., Any] | None = None,
    shapes: Sequence[tuple[int, ...]] = ((3, 4),),
    low: float = -2.0,
    high: float = 2.0,
) -> Verdict:
    """The verdict of :func:`check_backward_rule`, without printing it.

    Runs with gradient tracking on, whatever an earlier cell left switched off.
    """
    with nnlib.enable_grad():
        return _backward_rule_verdict(function_class, reference, shapes, low, high)


def _backward_rule_verdict(
    function_class: Any,
    reference: Callable[..., Any] | None,
    shapes: Sequence[tuple[int, ...]],
    low: float,
    high: float,
) -> Verdict:
    name = getattr(function_class, "__name__", "your Function")
    if not (isinstance(function_class, type) and issubclass(function_class, Function)):
        return Verdict(
            FAIL,
            f"✗ {name}: expected a subclass of nnlib.autograd.Function, got "
            f"{fmt(function_class)}.\n  hint: write `class {name}(nnlib.autograd.Function):` "
            "with static methods forward(ctx, ...) and backward(ctx, grad_output), and pass "
            "the class itself (not MyOp.apply, not an instance).",
        )
    not_attempted = Verdict(
        NOT_ATTEMPTED,
        f"○ {name}: not attempted yet. Fill in forward and backward (replace the `...`) and "
        "run the cell again. (If you have written code, check that both end with a `return`.)",
    )
    if not (_overrides(function_class, "forward") and _overrides(function_class, "backward")):
        return not_attempted
    rng = np.random.default_rng(202)
    arrays = [rng.uniform(low, high, size=shape) for shape in shapes]
    inputs_text = ", ".join(f"x{i} = {fmt(a)}" for i, a in enumerate(arrays))

    def tensors() -> list[nnlib.Tensor]:
        return [nnlib.tensor(a.copy(), requires_grad=True) for a in arrays]

    def stopped(stage: str, stop: LimitExceeded) -> Verdict:
        first, running, hint = describe_stop(name, stop, f"{stage}, inputs of shape {shapes}")
        lines = [first] + ["  " + line for line in running] + [f"  hint: {hint}"]
        return Verdict(ERROR, "\n".join(lines), hint)

    def crashed(stage: str, err: BaseException) -> Verdict:
        lines = [f"✗ {name}: {stage} raised an error on inputs of shape {list(shapes)}."]
        lines += ["  " + line for line in describe_error(err)]
        hint = ""
        if "expected the gradient of input" in str(err):
            hint = (
                "backward must return one gradient per input, each the shape of that input: "
                "multiply grad_output by the local derivative element by element."
            )
        elif stage == "backward" and re.search(r"not enough values to unpack.*got 0", str(err)):
            hint = (
                "ctx.saved_tensors is empty: forward must call ctx.save_for_backward(x) "
                "before it returns, so that backward can unpack `(x,) = ctx.saved_tensors`."
            )
        if hint:
            lines.append(f"  hint: {hint}")
        return Verdict(ERROR, "\n".join(lines), hint)

    # 1. The forward pass.
    xs = tensors()
    try:
        with quiet(), limited():
            out = function_class.apply(*xs)
    except LimitExceeded as stop:
        return stopped("forward", stop)
    except NotImplementedError:
        return not_attempted
    except Exception as err:
        return crashed("forward", err)
    if out.data.dtype == object:
        return not_attempted
    if reference is not None:
        expected = np.asarray(reference(*[a.copy() for a in arrays]))
        if not close(out.data, expected):
            return Verdict(
                FAIL,
                f"✗ {name}: forward gives the wrong result.\n  input:    {inputs_text}\n"
                f"  expected: {fmt(expected)}\n  got:      {fmt(out.data)}\n"
                "  hint: get forward right first; gradcheck only tests backward against "
                "your forward.",
            )
    # 2. The chain rule: backward must scale with grad_output.
    try:
        with quiet(), limited():
            out.backward(np.zeros_like(out.data))
    except LimitExceeded as stop:
        return stopped("backward", stop)
    except NotImplementedError:
        return not_attempted
    except Exception as err:
        return crashed("backward", err)
    if all(x.grad is None for x in xs):
        return not_attempted
    if any(x.grad is not None and np.any(x.grad.data != 0) for x in xs):
        return Verdict(
            FAIL,
            f"✗ {name}: backward ignores grad_output: with grad_output = 0 it still returned "
            "a non-zero gradient.\n  hint: the chain rule: return grad_output × (the local "
            "derivative), not the local derivative alone.",
            "backward ignores grad_output",
        )
    # 3. Finite differences.
    try:
        with quiet(), limited():
            gradcheck(lambda *t: function_class.apply(*t), tensors())
    except LimitExceeded as stop:
        return stopped("backward", stop)
    except GradcheckError as err:
        report = str(err).splitlines()
        return Verdict(
            FAIL,
            f"✗ {name}: backward disagrees with finite differences (nnlib.autograd.gradcheck)."
            f"\n  input:    {inputs_text}\n"
            + "\n".join("  " + line.strip() for line in report[1:])
            + "\n  hint: differentiate forward's formula on paper again, one factor at a "
            "time"
            + (
                "; the factor −1 is a flipped sign: check the sign of the local derivative."
                if re.search(r"same factor -1(\D|$)", str(err))
                else "; a constant factor off points at a missing 2 or 1/n."
                if "same factor" in str(err)
                else "."
            ),
            "backward disagrees with finite differences",
        )
    except Exception as err:
        return crashed("backward", err)
    return Verdict(
        PASS,
        f"✓ {name}: forward matches the reference and backward agrees with finite "
        f"differences (gradcheck) on inputs of shape {list(shapes)}.",
    )


def check_backward_rule(
    function_class: Any,
    reference: Callable[..., Any] | None = None,
    shapes: Sequence[tuple[int, ...]] = ((3, 4),),
    low: float = -2.0,
    high: float = 2.0,
) -> None:
    r"""Check a learner's own differentiable operation, an :class:`nnlib.autograd.Function`.

    The learner writes a subclass with ``forward(ctx, *inputs)`` (saving what backward needs
    with ``ctx.save_for_backward``) and ``backward(ctx, grad_output)`` returning one gradient
    per input. The checker (1) compares forward with ``reference`` (a NumPy function, if
    given), (2) checks that backward multiplies by ``grad_output`` (the chain rule), and (3)
    runs :func:`nnlib.autograd.gradcheck` in float64 and summarises its report (which
    partial derivatives differ, by how much, and whether by a constant factor).

    Args:
        function_class: The learner's ``Function`` subclass (the class, not ``.apply``).
        reference: NumPy function computing the forward result from the input arrays.
        shapes: Shapes of the inputs, one per argument of forward.
        low: Inputs are drawn uniformly from ``[low, high)``, a fixed seed.
        high: See ``low``; pick a range inside the function's domain (e.g. ``low=0.5`` for
            a logarithm).

    Example:
        >>> import numpy as np, nnlib
        >>> class Square(nnlib.autograd.Function):
        ...     @staticmethod
        ...     def forward(ctx, x):
        ...         ctx.save_for_backward(x)
        ...         return x * x
        ...     @staticmethod
        ...     def backward(ctx, grad_output):
        ...         (x,) = ctx.saved_tensors
        ...         return grad_output * 2 * x
        >>> check_backward_rule(Square, reference=np.square)
        ✓ Square: forward matches the reference and backward agrees with finite differences (gradcheck) on inputs of shape [(3, 4)].

    Taught in chapter 2 (backpropagation).
    """  # noqa: E501
    print(present(evaluate_backward_rule(function_class, reference, shapes, low, high).text))


# ------------------------------------------------------------------ finite differences
class ScalarFunction:
    """A function of an array returning a float, with a readable name for the verdicts."""

    def __init__(self, formula: str, fn: Callable[[np.ndarray], float]) -> None:
        self.formula, self._fn = formula, fn

    def __call__(self, x: np.ndarray) -> float:
        return float(self._fn(x))

    def __deepcopy__(self, memo: Any) -> ScalarFunction:
        return self

    def __repr__(self) -> str:
        return self.formula


def _fd_numpy(f: Any, theta: Any, eps: float = 1e-6, *, kind: str = "central",
              restore: bool = True) -> np.ndarray:  # fmt: skip
    """Finite differences the right way (``kind="central"``) and in the usual wrong ways."""
    theta = np.array(theta, dtype=np.float64)
    grad = np.zeros_like(theta)
    f0 = f(theta)
    for at in np.ndindex(theta.shape):
        orig = theta[at]
        theta[at] = orig + eps
        plus = f(theta)
        theta[at] = orig - eps
        minus = f(theta)
        if restore:
            theta[at] = orig
        if kind == "return in loop":
            grad[at] = (plus - minus) / (2 * eps)
            return grad
        grad[at] = {
            "central": (plus - minus) / (2 * eps),
            "forward": (plus - f0) / eps,
            "backward": (f0 - minus) / eps,
            "half": (plus - minus) / eps,
        }[kind]
    return grad


def _fd_rows(f: Any, x: Any, eps: float) -> np.ndarray:
    """Central differences that nudge ``x[i]`` for ``i`` in ``range(len(x))``: whole rows."""
    x = np.array(x, dtype=np.float64)
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


def _fd_cases() -> list[Case]:
    rng = np.random.default_rng(204)
    tanh_x = ScalarFunction("f(θ) = Σ tanh(θ)·θ", lambda x: np.sum(np.tanh(x) * x))
    cube = ScalarFunction("f(θ) = (Σ θ)³", lambda x: np.sum(x) ** 3)
    mixed = ScalarFunction(
        "f(θ) = Σ sin(θ) + (Σ θ)²", lambda x: np.sum(np.sin(x)) + np.sum(x) ** 2
    )
    return [
        Case(
            "f(θ) = Σ tanh(θ)·θ, θ of shape (3,), eps = 1e-6",
            (tanh_x, rng.uniform(-2, 2, size=3), 1e-6),
        ),
        Case(
            "f(θ) = Σ sin(θ) + (Σ θ)², a (2, 3) matrix, eps = 1e-6",
            (mixed, rng.uniform(-2, 2, size=(2, 3)), 1e-6),
        ),
        Case(
            "f(θ) = (Σ θ)³ with a large step, eps = 0.5", (cube, np.array([1.0, -2.0, 3.0]), 0.5)
        ),
    ]


_FD = Checker(
    title="numerical_gradient",
    cases=_fd_cases,
    reference=_fd_numpy,
    mistakes=(
        Mistake(
            "this is the forward difference (f(θ + ε) − f(θ))/ε: its error shrinks only like "
            "ε. Use the central difference (f(θ + ε) − f(θ − ε))/(2ε), whose error shrinks "
            "like ε².",
            same_as(_fd_numpy, kind="forward"),
        ),
        Mistake(
            "twice too large: the two points θ + ε and θ − ε are 2ε apart, so divide by 2ε.",
            scaled_by(lambda *args: 2.0),
        ),
        Mistake(
            "put each element back after perturbing it (save `old = theta[j]`, then "
            "`theta[j] = old` at the end), or the next partial derivative is taken at the wrong "
            "point.",
            same_as(_fd_numpy, restore=False),
        ),
        Mistake(
            "the gradient has the shape of theta: build it with `np.zeros_like(theta)` and loop "
            "over every index with `np.ndindex(theta.shape)` (or reshape at the end).",
            shape_is(lambda f, x, eps: (x.size,) if np.ndim(x) > 1 else (-1,)),
        ),
        Mistake(
            "your `return` is inside the loop: only the first element got its derivative. "
            "Dedent `return grad` to after the loop.",
            same_as(_fd_numpy, kind="return in loop"),
        ),
        Mistake(
            "nudge one element at a time: θ + ε moves every element at once and gives the "
            "slope along (1, 1, …), not ∂f/∂θ_j.",
            same_as(lambda f, x, eps: (f(x + eps) - f(x - eps)) / (2 * eps) * np.ones_like(x)),
        ),
        Mistake(
            "(plus − minus) / 2 * eps multiplies by ε: write the parentheses, / (2 * eps).",
            scaled_by(lambda f, x, eps: eps**2),
        ),
        Mistake(
            "theta[j] on a matrix is a whole row: loop over every element with "
            "`np.ndindex(theta.shape)`, so that theta[j] is one number.",
            same_as(_fd_rows),
        ),
        Mistake(
            "use the eps you are given (the third argument), not a fixed step: the checker "
            "compares with central differences at that eps.",
            same_as(lambda f, x, eps: _fd_numpy(f, x, 1e-6)),
        ),
        Mistake(
            "this is a one-sided difference (f(θ) − f(θ − ε))/ε: its error shrinks only like "
            "ε. Use the central difference (f(θ + ε) − f(θ − ε))/(2ε).",
            same_as(_fd_numpy, kind="backward"),
        ),
    ),
    default_hint="for each index j: f at θ with θ_j + ε, f at θ with θ_j − ε, their "
    "difference over 2ε; restore theta[j] before moving on.",
    success="Your central differences are the heart of gradcheck.",
)


def check_numerical_gradient(fn: Callable[..., Any]) -> None:
    r"""Check a central-difference gradient: ``numerical_gradient(f, theta, eps)``.

    ``f`` maps an array of parameters to a number; the learner returns the array of

    .. math::

        \frac{\partial f}{\partial \theta_j} \approx
        \frac{f(\theta + \varepsilon e_j) - f(\theta - \varepsilon e_j)}{2\varepsilon}

    with the shape of ``theta``, leaving ``theta`` unchanged. Cases include a matrix
    ``theta`` and a large ``eps`` (where a forward difference is visibly less accurate).
    Recognises: the forward or backward one-sided difference, dividing by ε instead of 2ε,
    ``/ 2 * eps``, not restoring the perturbed element, a flattened result, a ``return``
    inside the loop, nudging all elements at once or whole rows, ignoring the given ``eps``.

    Args:
        fn: The learner's function.

    Example:
        >>> import numpy as np
        >>> def numerical_gradient(f, theta, eps=1e-6):
        ...     grad = np.zeros_like(theta, dtype=float)
        ...     for j in np.ndindex(theta.shape):
        ...         plus, minus = theta.astype(float), theta.astype(float)
        ...         plus[j] += eps
        ...         minus[j] -= eps
        ...         grad[j] = (f(plus) - f(minus)) / (2 * eps)
        ...     return grad
        >>> check_numerical_gradient(numerical_gradient)  # doctest: +ELLIPSIS
        ✓ numerical_gradient: correct on all 3 cases (...

    Taught in chapter 2 (backpropagation).
    """
    _FD(fn)


# ------------------------------------------------------------- a micrograd-style engine
class Value:
    """A scalar that remembers how it was computed: the smallest autograd engine.

    ``data`` is the number, ``grad`` the derivative of the final output with respect to it
    (0 until a backward pass fills it in), ``_prev`` the values it was computed from, and
    ``_backward`` a function that adds this node's contribution to its inputs' ``grad``
    with ``+=`` (a value used twice receives two contributions). Supports ``+``, ``*``,
    ``-``, ``**`` with a number and ``tanh()``. The learner writes the engine that calls the
    ``_backward`` functions in the right order (chapter 2's exercise).

    Example:
        >>> a, b = Value(2.0), Value(-3.0)
        >>> out = a * b + a
        >>> out.data
        -4.0
        >>> out._prev[0]._prev == (a, b)
        True

    Taught in chapter 2 (backpropagation).
    """

    def __init__(self, data: float, _prev: tuple[Value, ...] = ()) -> None:
        self.data = float(data)
        self.grad = 0.0
        self._prev = _prev
        self._backward: Callable[[], None] = lambda: None

    def __add__(self, other: Value | float) -> Value:
        other = other if isinstance(other, Value) else Value(other)
        out = Value(self.data + other.data, (self, other))

        def _backward() -> None:
            self.grad += out.grad
            other.grad += out.grad

        out._backward = _backward
        return out

    def __mul__(self, other: Value | float) -> Value:
        other = other if isinstance(other, Value) else Value(other)
        out = Value(self.data * other.data, (self, other))

        def _backward() -> None:
            self.grad += other.data * out.grad
            other.grad += self.data * out.grad

        out._backward = _backward
        return out

    def __pow__(self, exponent: float) -> Value:
        out = Value(self.data**exponent, (self,))

        def _backward() -> None:
            self.grad += exponent * self.data ** (exponent - 1) * out.grad

        out._backward = _backward
        return out

    def tanh(self) -> Value:
        """The hyperbolic tangent, whose derivative is ``1 - tanh²``."""
        t = float(np.tanh(self.data))
        out = Value(t, (self,))

        def _backward() -> None:
            self.grad += (1 - t * t) * out.grad

        out._backward = _backward
        return out

    def __neg__(self) -> Value:
        return self * -1.0

    def __sub__(self, other: Value | float) -> Value:
        return self + (-other if isinstance(other, Value) else Value(-other))

    __radd__ = __add__
    __rmul__ = __mul__

    def __repr__(self) -> str:
        return f"Value(data={self.data:.4g}, grad={self.grad:.4g})"


#: The expressions the engine checker builds, by name: each works on Values and on tensors.
_EXPRESSIONS: dict[str, Callable[..., Any]] = {
    "a·b + c (a chain)": lambda a, b, c: a * b + c,
    "a·a + a (one input used three times)": lambda a, b, c: a * a + a,
    "a diamond: d = a·b feeds two paths": lambda a, b, c: (lambda d: (d + d * c).tanh() * d)(
        a * b
    ),
    "a neuron: tanh(w1·x1 + w2·x2 + b)": lambda a, b, c: (a * 0.5 + b * -1.5 + c).tanh(),
    "a chain of 12 tanh on a shared sum": lambda a, b, c: (lambda s: _tanh_chain(s, 12) * s)(
        a + b * c
    ),
}


def _tanh_chain(x: Any, n: int) -> Any:
    for _ in range(n):
        x = x.tanh()
    return x


def _engine_cases() -> list[Case]:
    rng = np.random.default_rng(207)
    return [Case(name, (name, rng.uniform(-1.5, 1.5, size=3))) for name in _EXPRESSIONS]


def _engine_reference(expression: str, inputs: np.ndarray) -> np.ndarray:
    """The gradients of the expression with respect to its three inputs, by nnlib."""
    leaves = [nnlib.tensor(float(v), dtype=nnlib.float64, requires_grad=True) for v in inputs]
    _EXPRESSIONS[expression](*leaves).backward()
    return np.array([leaf.grad.item() if leaf.grad is not None else 0.0 for leaf in leaves])


def _engine_run(backward: Callable[[Value], Any]) -> Callable[[str, np.ndarray], Any]:
    """Run a learner's ``backward(root)`` on each expression and return the leaves' grads."""

    def run(name: str, inputs: np.ndarray) -> Any:
        leaves = [Value(v) for v in inputs]
        root = _EXPRESSIONS[name](*leaves)
        calls = _count_backward_calls(root)
        result = backward(root)
        if result is Ellipsis or (result is None and not calls and root.grad == 0.0):
            return result  # an untouched stub: it neither seeded nor walked the graph
        return np.array([leaf.grad for leaf in leaves])

    run.__name__ = getattr(backward, "__name__", "backward")
    return run


def _count_backward_calls(root: Value) -> list[None]:
    """Wrap every node's ``_backward`` so that each call appends to the returned list."""
    calls: list[None] = []
    stack, seen = [root], set()
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        inner = node._backward

        def counted(inner: Callable[[], None] = inner) -> None:
            calls.append(None)
            inner()

        node._backward = counted
        stack.extend(node._prev)
    return calls


def _engine_variant(kind: str) -> Callable[[str, np.ndarray], Any]:
    """What a mistaken engine computes, for the mistake detectors."""

    def recursive(v: Value) -> None:
        v._backward()
        for p in v._prev:
            recursive(p)

    def order(root: Value, dedupe: bool) -> list[Value]:
        out: list[Value] = []
        seen: set[int] = set()

        def visit(v: Value) -> None:
            if dedupe and id(v) in seen:
                return
            seen.add(id(v))
            for p in v._prev:
                visit(p)
            out.append(v)

        visit(root)
        return out

    def engine(root: Value) -> None:
        if kind != "no seed":
            root.grad = 1.0
        if kind == "recursive":
            recursive(root)
            return
        nodes = order(root, dedupe=kind != "no visited set")
        for v in nodes if kind == "forward order" else reversed(nodes):
            v._backward()

    return _engine_run(engine)


_ENGINE = Checker(
    title="backward",
    cases=_engine_cases,
    reference=_engine_reference,
    mistakes=(
        Mistake(
            "every gradient is 0: set the output's own gradient to 1 (d out / d out = 1) "
            "before calling any _backward, or nothing flows back.",
            same_as(_engine_variant("no seed")),
        ),
        Mistake(
            "calling _backward recursively from the output visits a shared node once per "
            "path, sometimes before all its gradient has arrived, so its inputs get wrong, "
            "repeated contributions. Sort the nodes topologically first (each node after "
            "everything it was computed from), then call _backward once per node, output "
            "first.",
            same_as(_engine_variant("recursive")),
        ),
        Mistake(
            "your topological order lists a shared node more than once, so its _backward "
            "runs twice and adds its contribution twice: keep a `visited` set and add each "
            "node once.",
            same_as(_engine_variant("no visited set")),
        ),
        Mistake(
            "walk the topological order in REVERSE, from the output back to the inputs: a "
            "node's _backward may run only after every node that uses it has run.",
            same_as(_engine_variant("forward order")),
        ),
    ),
    default_hint="seed root.grad = 1, build the topological order (each node after its "
    "inputs, each once), then call _backward on every node in reversed order.",
    success="Your engine walks the graph in reverse topological order, as nnlib's "
    "Tensor.backward does.",
    adapt=_engine_run,
)


def check_backward_engine(fn: Callable[..., Any]) -> None:
    r"""Check a micrograd-style engine: ``backward(root)`` fills in every ``Value.grad``.

    ``root`` is the output :class:`Value` of an expression; each value's ``_backward`` adds
    its contribution to its inputs' ``grad`` (``+=``). The learner seeds
    ``root.grad = 1``, orders the graph topologically (every node after the nodes it was
    computed from, each node once) and calls ``_backward`` on each node in reverse order.
    The checker runs it on several expressions, shared nodes and a diamond included, and
    compares the inputs' gradients with nnlib's autograd on the same expressions.
    Recognises: a missing seed, recursion without a topological order, an order that
    repeats shared nodes, the forward instead of the reverse order.

    Args:
        fn: The learner's ``backward(root)``.

    Example:
        >>> def backward(root):
        ...     order, seen = [], set()
        ...     def visit(v):
        ...         if v not in seen:
        ...             seen.add(v)
        ...             for parent in v._prev:
        ...                 visit(parent)
        ...             order.append(v)
        ...     visit(root)
        ...     root.grad = 1.0
        ...     for v in reversed(order):
        ...         v._backward()
        >>> check_backward_engine(backward)  # doctest: +ELLIPSIS
        ✓ backward: correct on all 5 cases (...). Your engine walks the graph in reverse ...

    Taught in chapter 2 (backpropagation).
    """
    _ENGINE(fn)
