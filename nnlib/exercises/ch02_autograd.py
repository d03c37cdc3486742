r"""Checkers for chapter 2 (backpropagation) that test against finite differences.

:func:`check_backward_rule` checks a learner's own :class:`nnlib.autograd.Function` with
:func:`nnlib.autograd.gradcheck`; :func:`check_numerical_gradient` checks a learner's
central-difference gradient, the heart of gradcheck. Both are re-exported by
:mod:`nnlib.exercises.ch02` and :mod:`nnlib.exercises`.
"""

from __future__ import annotations

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
    Case,
    Checker,
    Mistake,
    Verdict,
    _quiet,
    close,
    describe_error,
    fmt,
    same_as,
    scaled_by,
    shape_is,
)


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
    """The verdict of :func:`check_backward_rule`, without printing it."""
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

    def crashed(stage: str, err: BaseException) -> Verdict:
        lines = [f"✗ {name}: {stage} raised an error on inputs of shape {list(shapes)}."]
        lines += ["  " + line for line in describe_error(err)]
        if "expected the gradient of input" in str(err):
            lines.append(
                "  hint: backward must return one gradient per input, each the shape of "
                "that input: multiply grad_output by the local derivative element by element."
            )
        return Verdict(ERROR, "\n".join(lines))

    # 1. The forward pass.
    xs = tensors()
    try:
        with _quiet():
            out = function_class.apply(*xs)
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
        with _quiet():
            out.backward(np.zeros_like(out.data))
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
        with _quiet():
            gradcheck(lambda *t: function_class.apply(*t), tensors())
    except GradcheckError as err:
        report = str(err).splitlines()
        return Verdict(
            FAIL,
            f"✗ {name}: backward disagrees with finite differences (nnlib.autograd.gradcheck)."
            f"\n  input:    {inputs_text}\n"
            + "\n".join("  " + line.strip() for line in report[1:])
            + "\n  hint: differentiate forward's formula on paper again, one factor at a "
            "time; a constant factor off points at a missing 2 or 1/n.",
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
    print(evaluate_backward_rule(function_class, reference, shapes, low, high).text)


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


def _fd_numpy(f: Any, x: Any, eps: float = 1e-6, *, kind: str = "central",
              restore: bool = True) -> np.ndarray:  # fmt: skip
    """Finite differences the right way (``kind="central"``) and in the usual wrong ways."""
    x = np.array(x, dtype=np.float64)
    grad = np.zeros_like(x)
    f0 = f(x)
    for at in np.ndindex(x.shape):
        orig = x[at]
        x[at] = orig + eps
        plus = f(x)
        x[at] = orig - eps
        minus = f(x)
        if restore:
            x[at] = orig
        grad[at] = {
            "central": (plus - minus) / (2 * eps),
            "forward": (plus - f0) / eps,
            "half": (plus - minus) / eps,
        }[kind]
    return grad


def _fd_cases() -> list[Case]:
    rng = np.random.default_rng(204)
    tanh_x = ScalarFunction("f(x) = Σ tanh(x)·x", lambda x: np.sum(np.tanh(x) * x))
    cube = ScalarFunction("f(x) = (Σ x)³", lambda x: np.sum(x) ** 3)
    mixed = ScalarFunction(
        "f(x) = Σ sin(x) + (Σ x)²", lambda x: np.sum(np.sin(x)) + np.sum(x) ** 2
    )
    return [
        Case(
            "f(x) = Σ tanh(x)·x, x of shape (3,), eps = 1e-6",
            (tanh_x, rng.uniform(-2, 2, size=3), 1e-6),
        ),
        Case(
            "f(x) = Σ sin(x) + (Σ x)², a (2, 3) matrix, eps = 1e-6",
            (mixed, rng.uniform(-2, 2, size=(2, 3)), 1e-6),
        ),
        Case(
            "f(x) = (Σ x)³ with a large step, eps = 0.01", (cube, np.array([1.0, -2.0, 3.0]), 1e-2)
        ),
    ]


_FD = Checker(
    title="numerical_gradient",
    arg_names=("f", "x", "eps"),
    cases=_fd_cases,
    reference=lambda f, x, eps: _fd_numpy(f, x, eps),
    mistakes=(
        Mistake(
            "this is the forward difference (f(x + ε) − f(x))/ε: its error shrinks only like "
            "ε. Use the central difference (f(x + ε) − f(x − ε))/(2ε), whose error shrinks "
            "like ε².",
            same_as(lambda f, x, eps: _fd_numpy(f, x, eps, kind="forward")),
        ),
        Mistake(
            "twice too large: the two points x + ε and x − ε are 2ε apart, so divide by 2ε.",
            scaled_by(lambda *args: 2.0),
        ),
        Mistake(
            "put each element back after perturbing it (save `old = x[i]`, then "
            "`x[i] = old` at the end), or the next partial derivative is taken at the wrong "
            "point.",
            same_as(lambda f, x, eps: _fd_numpy(f, x, eps, restore=False)),
        ),
        Mistake(
            "the gradient has the shape of x: build it with `np.zeros_like(x)` and loop over "
            "every index with `np.ndindex(x.shape)` (or reshape at the end).",
            shape_is(lambda f, x, eps: (x.size,)),
        ),
    ),
    default_hint="for each index i: f at x with x[i] + ε, f at x with x[i] − ε, their "
    "difference over 2ε; restore x[i] before moving on.",
    success="You have written the heart of gradcheck.",
)


def check_numerical_gradient(fn: Callable[..., Any]) -> None:
    r"""Check a central-difference gradient: ``numerical_gradient(f, x, eps)``.

    ``f`` maps an array to a number; the learner returns the array of

    .. math::

        \frac{\partial f}{\partial x_i} \approx
        \frac{f(x + \varepsilon e_i) - f(x - \varepsilon e_i)}{2\varepsilon}

    with the shape of ``x``, leaving ``x`` unchanged. Cases include a matrix ``x`` and a
    large ``eps`` (where a forward difference is visibly less accurate). Recognises: the
    forward difference, dividing by ε instead of 2ε, not restoring the perturbed element,
    and a flattened result.

    Args:
        fn: The learner's function.

    Example:
        >>> import numpy as np
        >>> def numerical_gradient(f, x, eps=1e-6):
        ...     grad = np.zeros_like(x, dtype=float)
        ...     for i in np.ndindex(x.shape):
        ...         x_plus, x_minus = x.astype(float), x.astype(float)
        ...         x_plus[i] += eps
        ...         x_minus[i] -= eps
        ...         grad[i] = (f(x_plus) - f(x_minus)) / (2 * eps)
        ...     return grad
        >>> check_numerical_gradient(numerical_gradient)  # doctest: +ELLIPSIS
        ✓ numerical_gradient: correct on all 3 cases (...

    Taught in chapter 2 (backpropagation).
    """
    _FD(fn)
