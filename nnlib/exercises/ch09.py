r"""Checkers for chapter 9 (the universal approximation theorem).

The learner builds the constructive picture of the theorem piece by piece: a step from a
steep sigmoid (``step``), a bump from two steps (``bump``), the weights of a one-hidden-layer
network whose steps trace a target curve (``staircase_params``), the two ReLU units of the
tent map that deep sawtooth networks compose (``tent_params``), and a prediction of how many
pieces the composed sawtooth has (``sawtooth_counts``). The references are computed with
nnlib (``nnlib.sigmoid``, ``nnlib.relu``).

A steep sigmoid :math:`1/(1+e^{-sz})` overflows for large :math:`s|z|`: ``exp(1000)`` is
``inf``. Its value happens to come out right (``1/inf = 0``), but anything that goes on to
use ``exp(-kz)`` (its gradient :math:`e^{-sz}/(1+e^{-sz})^2 = \infty/\infty`) is ``nan``, and
the form :math:`e^{sz}/(1+e^{sz})` is ``nan`` already. So ``step`` and ``bump`` are run with
NumPy's overflow turned into an error on a case with :math:`s|z|` up to 1000.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

import nnlib
from nnlib.exercises.core import Case, Checker, Mistake, any_of, raised, same_as

_OVERFLOW_HINT = (
    "np.exp overflowed (exp(1000) is inf). The value may look right, but the gradient of "
    "1/(1 + exp(-z)) is inf/inf = nan there. Use a stable sigmoid: nnlib.sigmoid, "
    "scipy.special.expit, 0.5 * (1 + np.tanh(z / 2)), or exp(-|z|) in both branches."
)


def _sigmoid(z: np.ndarray) -> np.ndarray:
    """The logistic function, computed without overflow by nnlib."""
    return nnlib.sigmoid(nnlib.tensor(np.asarray(z, dtype=np.float64))).data


def _naive_sigmoid(z: np.ndarray) -> np.ndarray:
    with np.errstate(over="ignore"):
        return 1.0 / (1.0 + np.exp(-z))


def _no_overflow(fn: Callable[..., Any]) -> Callable[..., Any]:
    """``fn`` run with NumPy's overflow raised as ``FloatingPointError``.

    The checker's own ``quiet()`` silences every floating-point warning; this re-enables
    the one that marks an unstable sigmoid, as an error the verdict can name.
    """

    def guarded(*args: Any) -> Any:
        with np.errstate(over="raise"):
            return fn(*args)

    guarded.__name__ = getattr(fn, "__name__", "guarded")
    return guarded


class _Curve:
    """A target function with a readable name (a case's argument; never shows an address)."""

    def __init__(self, name: str, fn: Callable[[np.ndarray], np.ndarray]) -> None:
        self.name = name
        self.fn = fn

    def __call__(self, x: Any) -> Any:
        return self.fn(np.asarray(x, dtype=np.float64))

    def __repr__(self) -> str:
        return self.name


# --------------------------------------------------------------------------- step
def _step_cases() -> list[Case]:
    return [
        Case("a gentle step, centre 0, s = 1", (np.linspace(-3.0, 3.0, 7), 0.0, 1.0)),
        Case("centre 0.5, s = 4", (np.linspace(-1.0, 2.0, 7), 0.5, 4.0)),
        Case(
            "a steep step, s = 1000 (s·|x − center| up to 1000)",
            (np.linspace(-1.0, 1.0, 9), 0.0, 1000.0),
        ),
    ]


def _step_reference(x: np.ndarray, center: float, k: float) -> np.ndarray:
    return _sigmoid(k * (np.asarray(x, dtype=np.float64) - center))


_STEP = Checker(
    title="step",
    arg_names=("x", "center", "s"),
    cases=_step_cases,
    reference=_step_reference,
    mistakes=(
        Mistake(_OVERFLOW_HINT, raised(FloatingPointError, "overflow")),
        Mistake(
            "the step goes the wrong way: it should rise from 0 to 1 as x passes the centre, "
            "σ(s·(x − center)), not σ(s·(center − x)).",
            same_as(lambda x, c, k: _sigmoid(k * (c - x))),
        ),
        Mistake(
            "the step sits at x = −center: shift by the centre, σ(s·(x − center)), not "
            "σ(s·(x + center)).",
            same_as(lambda x, c, k: _sigmoid(k * (x + c))),
        ),
        Mistake(
            "scale the distance from the centre: σ(s·(x − center)), not σ(s·x − center) "
            "(that step sits at x = center/s).",
            same_as(lambda x, c, k: _sigmoid(k * x - c)),
        ),
        Mistake(
            "multiply by the steepness s: σ(s·(x − center)).",
            same_as(lambda x, c, k: _sigmoid(x - c)),
        ),
        Mistake(
            "that is the hard step the sigmoid approximates; return the smooth σ(s·(x − center)).",
            same_as(lambda x, c, k: (x > c).astype(float)),
        ),
        Mistake(
            "that is the hard step the sigmoid approximates; return the smooth σ(s·(x − center)).",
            same_as(lambda x, c, k: (x >= c).astype(float)),
        ),
        Mistake(
            "tanh runs from −1 to 1; the sigmoid is σ(z) = (1 + tanh(z/2))/2.",
            same_as(lambda x, c, k: np.tanh(k * (x - c))),
        ),
        Mistake(
            "σ(z) = (1 + tanh(z/2))/2: halve z inside the tanh.",
            same_as(lambda x, c, k: 0.5 * (1 + np.tanh(k * (x - c)))),
        ),
        Mistake(
            "σ(z) = 1/(1 + exp(−z)): mind the minus sign in the exponent.",
            same_as(lambda x, c, k: _naive_sigmoid(-k * (x - c))),
        ),
    ),
    default_hint="return σ(s·(x − center)) = 1/(1 + exp(−s·(x − center))), computed stably.",
    success="A step of steepness s at x = center, stable for any s.",
    adapt=_no_overflow,
)


def check_step(fn: Callable[..., Any]) -> None:
    r"""Check ``step(x, center, s)``: the smooth step :math:`\sigma(s(x - c))`.

    ``x`` is a NumPy array, ``center`` and ``s > 0`` numbers; the result has ``x``'s shape.
    Run with NumPy's overflow raised as an error, on a case with :math:`s|x-c|` up to 1000.
    Recognises: overflow (``exp(1000)``), a step the wrong way, ``σ(sx − c)``, a missing
    ``s``, the hard step, ``tanh`` instead of the sigmoid, a sign slip in the exponent.

    Args:
        fn: The learner's function.

    Example:
        >>> import nnlib
        >>> def step(x, center, s):
        ...     return nnlib.sigmoid(nnlib.tensor(s * (x - center))).data
        >>> check_step(step)  # doctest: +ELLIPSIS
        ✓ step: correct on all 3 cases (...

    Taught in chapter 9 (The universal approximation theorem).
    """
    _STEP(fn)


# --------------------------------------------------------------------------- bump
def _bump_cases() -> list[Case]:
    x = np.linspace(-2.0, 2.0, 9)
    return [
        Case("a bump of height 2 on [−1, 1], s = 10", (x, -1.0, 1.0, 2.0, 10.0)),
        Case("a negative bump on [0, 0.5], s = 4", (x, 0.0, 0.5, -1.5, 4.0)),
        Case("a steep bump, s = 500 (s·|x − edge| up to 1250)", (x, -0.5, 0.5, 1.0, 500.0)),
    ]


def _bump_reference(
    x: np.ndarray, left: float, right: float, height: float, k: float
) -> np.ndarray:
    x = np.asarray(x, dtype=np.float64)
    return height * (_sigmoid(k * (x - left)) - _sigmoid(k * (x - right)))


_BUMP = Checker(
    title="bump",
    arg_names=("x", "left", "right", "height", "s"),
    cases=_bump_cases,
    reference=_bump_reference,
    mistakes=(
        Mistake(
            _OVERFLOW_HINT + " (If bump calls your step, fix step.)",
            raised(FloatingPointError, "overflow"),
        ),
        Mistake(
            "the bump is upside down: subtract the step at `right` FROM the step at `left`, "
            "height · (step at left − step at right).",
            same_as(lambda x, lo, hi, h, k: -_bump_reference(x, lo, hi, h, k)),
        ),
        Mistake(
            "ADD two steps and you get a staircase; a bump is their DIFFERENCE: it rises at "
            "`left` and falls back at `right`.",
            same_as(lambda x, lo, hi, h, k: h * (_sigmoid(k * (x - lo)) + _sigmoid(k * (x - hi)))),
        ),
        Mistake(
            "scale the bump by `height` (multiply the difference of the two steps).",
            same_as(lambda x, lo, hi, h, k: _bump_reference(x, lo, hi, 1.0, k)),
        ),
        Mistake(
            "multiply BOTH steps by `height`: height · (σ(s(x − left)) − σ(s(x − right))).",
            same_as(lambda x, lo, hi, h, k: h * _sigmoid(k * (x - lo)) - _sigmoid(k * (x - hi))),
        ),
        Mistake(
            "that is one step; a bump needs a second one at `right` that brings it back to 0.",
            same_as(lambda x, lo, hi, h, k: h * _sigmoid(k * (x - lo))),
        ),
        Mistake(
            "each step is σ(s·(x − edge)): scale the distance by s.",
            same_as(lambda x, lo, hi, h, k: h * (_sigmoid(k * x - lo) - _sigmoid(k * x - hi))),
        ),
        Mistake(
            "use the steepness s in both steps.",
            same_as(lambda x, lo, hi, h, k: _bump_reference(x, lo, hi, h, 1.0)),
        ),
        Mistake(
            "that is the hard box; return the smooth difference of two sigmoid steps.",
            same_as(lambda x, lo, hi, h, k: h * ((x > lo) & (x < hi)).astype(float)),
        ),
        Mistake(
            "that is the hard box; return the smooth difference of two sigmoid steps.",
            same_as(lambda x, lo, hi, h, k: h * ((x >= lo) & (x <= hi)).astype(float)),
        ),
    ),
    default_hint="height · (σ(s·(x − left)) − σ(s·(x − right))).",
    success="Two steps make a bump.",
    adapt=_no_overflow,
)


def check_bump(fn: Callable[..., Any]) -> None:
    r"""Check ``bump(x, left, right, height, s)``: :math:`v\,(\sigma(s(x-\ell)) - \sigma(s(x-r)))`.

    Run with NumPy's overflow raised as an error, on a case with :math:`s|x - \text{edge}|`
    up to 1250. Recognises: overflow, an upside-down bump, a sum of steps, a missing or
    half-applied height, a single step, ``σ(sx − edge)``, a missing ``s``, the hard box.

    Args:
        fn: The learner's function.

    Example:
        >>> import nnlib
        >>> def bump(x, left, right, height, s):
        ...     sig = lambda z: nnlib.sigmoid(nnlib.tensor(z)).data
        ...     return height * (sig(s * (x - left)) - sig(s * (x - right)))
        >>> check_bump(bump)  # doctest: +ELLIPSIS
        ✓ bump: correct on all 3 cases (...

    Taught in chapter 9 (The universal approximation theorem).
    """
    _BUMP(fn)


# ------------------------------------------------------------------- staircase_params
def _staircase_cases() -> list[Case]:
    return [
        Case(
            "f = sin on [0, π], n = 4, s = 20", (_Curve("sin", np.sin), 0.0, float(np.pi), 4, 20.0)
        ),
        Case("f = x² on [−1, 1], n = 5, s = 30", (_Curve("x**2", np.square), -1.0, 1.0, 5, 30.0)),
        Case("f = exp on [0, 1], n = 1, s = 8", (_Curve("exp", np.exp), 0.0, 1.0, 1, 8.0)),
    ]


def _grid(a: float, b: float, n: int) -> np.ndarray:
    return a + (b - a) * np.arange(n + 1) / n


def _staircase_reference(
    f: Callable[[np.ndarray], np.ndarray], a: float, b: float, n: int, k: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    grid = _grid(a, b, n)
    values = np.asarray(f(grid), dtype=np.float64)
    mid = (grid[:-1] + grid[1:]) / 2
    return (np.full((n, 1), float(k)), -k * mid, np.diff(values)[None, :], values[:1].copy())


def _staircase_wrong(
    centers: str = "mid",
    heights: str = "diff",
    bias: str = "-km",
    weight: str = "k",
    out_bias: str = "f(a)",
) -> Callable[..., Any]:
    """What a staircase built with one of the usual slips returns."""

    def wrong(f: Any, a: float, b: float, n: int, k: float) -> tuple[np.ndarray, ...]:
        grid = _grid(a, b, n)
        values = np.asarray(f(grid), dtype=np.float64)
        c = {"mid": (grid[:-1] + grid[1:]) / 2, "right": grid[1:], "left": grid[:-1]}[centers]
        h = {"diff": np.diff(values), "value": values[1:], "flip": -np.diff(values)}[heights]
        b1 = {"-km": -k * c, "+km": k * c, "-m": -c}[bias]
        w1 = {"k": np.full((n, 1), float(k)), "1": np.ones((n, 1))}[weight]
        b2 = {"f(a)": values[:1], "0": np.zeros(1), "f(b)": values[-1:]}[out_bias]
        return w1, b1, h[None, :], b2.copy()

    return wrong


_STAIRCASE = Checker(
    title="staircase_params",
    arg_names=("f", "lo", "hi", "n", "s"),
    cases=_staircase_cases,
    reference=_staircase_reference,
    output_names=("W1", "b1", "W2", "b2"),
    mistakes=(
        Mistake(
            "put step i halfway between the grid points, at a_i = (x_{i−1} + x_i)/2, not on "
            "a grid point: then each x_i sits in the middle of a flat stair.",
            any_of(
                same_as(_staircase_wrong(centers="right")),
                same_as(_staircase_wrong(centers="left")),
            ),
        ),
        Mistake(
            "the bias is b_i = −s·a_i, so that s·x + b_i = s·(x − a_i) is 0 at the midpoint "
            "(yours has the opposite sign).",
            same_as(_staircase_wrong(bias="+km")),
        ),
        Mistake(
            "scale the bias by s too: s·x + b_i = s·(x − a_i) needs b_i = −s·a_i.",
            same_as(_staircase_wrong(bias="-m")),
        ),
        Mistake(
            "the input weights set the steepness: every row of W1 is s.",
            same_as(_staircase_wrong(weight="1")),
        ),
        Mistake(
            "each step adds the CHANGE f(x_i) − f(x_{i−1}), not the value f(x_i): the steps "
            "add up, so values would be counted again and again.",
            same_as(_staircase_wrong(heights="value")),
        ),
        Mistake(
            "the height of step i is f(x_i) − f(x_{i−1}) (later minus earlier); yours has the "
            "opposite sign.",
            same_as(_staircase_wrong(heights="flip")),
        ),
        Mistake(
            "left of every step the network outputs its output bias b2: it must be f(lo), where "
            "the staircase starts.",
            any_of(
                same_as(_staircase_wrong(out_bias="0")),
                same_as(_staircase_wrong(out_bias="f(b)")),
            ),
        ),
    ),
    default_hint="grid x_i = lo + i·(hi − lo)/n; W1 = s (n×1), b1 = −s·a_i with a_i the "
    "midpoints, W2 = the differences f(x_i) − f(x_{i−1}) as a 1×n row, b2 = [f(lo)].",
    success="Load these into nn.Linear(1, n) and nn.Linear(n, 1) and the network draws f.",
)


def check_staircase_params(fn: Callable[..., Any]) -> None:
    r"""Check ``staircase_params(f, lo, hi, n, s)``: the weights of a sigmoid staircase.

    The learner returns ``(W1, b1, W2, b2)`` with PyTorch's shapes ``(n, 1)``, ``(n,)``,
    ``(1, n)``, ``(1,)``, such that
    :math:`F(x) = b_2 + \sum_i W_{2,i}\,\sigma(W_{1,i} x + b_{1,i})` climbs from
    :math:`f(\text{lo})` by one step of height :math:`f(x_i) - f(x_{i-1})` at each midpoint
    :math:`a_i = (x_{i-1} + x_i)/2` of the grid
    :math:`x_i = \text{lo} + i(\text{hi}-\text{lo})/n`. Recognises: steps on grid points,
    the bias's sign or missing ``s``, weights without ``s``, values instead of differences,
    flipped heights, a wrong output bias.

    Args:
        fn: The learner's function.

    Example:
        >>> import numpy as np
        >>> def staircase_params(f, lo, hi, n, s):
        ...     x = np.linspace(lo, hi, n + 1)
        ...     mid = (x[:-1] + x[1:]) / 2
        ...     return (np.full((n, 1), s), -s * mid, np.diff(f(x))[None, :],
        ...             np.array([f(lo)]))
        >>> check_staircase_params(staircase_params)  # doctest: +ELLIPSIS
        ✓ staircase_params: correct on all 3 cases (...

    Taught in chapter 9 (The universal approximation theorem).
    """
    _STAIRCASE(fn)


# ---------------------------------------------------------------------------- tent
def _tent(x: np.ndarray) -> np.ndarray:
    return 1.0 - np.abs(2.0 * np.asarray(x, dtype=np.float64) - 1.0)


def _relu_net(W1: Any, b1: Any, W2: Any, b2: Any, x: np.ndarray) -> np.ndarray:
    z = x[:, None] @ W1.T + b1
    return (np.maximum(z, 0.0) @ W2.T + b2)[:, 0]


def _as_layers(params: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The learner's ``(W1, b1, W2, b2)`` as float arrays, checked for PyTorch's shapes."""
    if not isinstance(params, (tuple, list)) or len(params) != 4:
        raise ValueError(
            "tent_params should return a tuple (W1, b1, W2, b2) of 4 arrays, got "
            f"{type(params).__name__}"
            + (f" of length {len(params)}" if isinstance(params, (tuple, list)) else "")
        )
    W1, b1, W2, b2 = (np.asarray(getattr(p, "data", p), dtype=np.float64) for p in params)
    h = W1.shape[0] if W1.ndim == 2 else -1
    if W1.shape != (h, 1) or b1.shape != (h,) or W2.shape != (1, h) or b2.shape != (1,):
        raise ValueError(
            "tent_params: expected shapes (N, 1), (N,), (1, N), (1,) as in nn.Linear(1, N) "
            f"and nn.Linear(N, 1), got {W1.shape}, {b1.shape}, {W2.shape}, {b2.shape}"
        )
    return W1, b1, W2, b2


def _tent_net(fn: Callable[[], Any]) -> Callable[[np.ndarray], Any]:
    """The learner's parameters, evaluated as a ReLU network at the case's points."""

    def tent_net(x: np.ndarray) -> Any:
        params = fn()
        if params is None or params is Ellipsis:
            return None
        return _relu_net(*_as_layers(params), x)

    tent_net.__name__ = getattr(fn, "__name__", "tent_params")
    return tent_net


def _tent_cases() -> list[Case]:
    return [Case("x on [0, 1] (step 1/16)", (np.linspace(0.0, 1.0, 17),))]


def _relu(z: np.ndarray) -> np.ndarray:
    return np.maximum(z, 0.0)


_TENT = Checker(
    title="tent_params",
    cases=_tent_cases,
    reference=_tent,
    mistakes=(
        Mistake(
            "after the bend the slope must change from +2 to −2: a CHANGE of −4, so the "
            "second unit's output weight is −4, not −2.",
            same_as(lambda x: 2 * _relu(x) - 2 * _relu(x - 0.5)),
        ),
        Mistake(
            "after the bend the slope must change from +2 to −2: a change of −4. Yours goes "
            "from +2 to −6: an output weight of −8 on relu(x − ½), or of −4 on relu(2x − 1), "
            "whose own slope is already 2 (it needs −2).",
            same_as(lambda x: 2 * _relu(x) - 8 * _relu(x - 0.5)),
        ),
        Mistake(
            "the tent peaks at 1 (t(½) = 1): the slope up is 2, so the output weights are 2 "
            "and −4 on relu(x) and relu(x − ½).",
            any_of(
                same_as(lambda x: _relu(x) - 2 * _relu(x - 0.5)),
                same_as(lambda x: 4 * _relu(x) - 8 * _relu(x - 0.5)),
            ),
        ),
        Mistake(
            "relu(w·x + b) bends where w·x + b = 0, at x = −b/w: for a bend at ½ with w = 1 "
            "the bias is −½, not +½.",
            same_as(lambda x: 2 * _relu(x) - 4 * _relu(x + 0.5)),
        ),
        Mistake(
            "the second unit should bend at x = ½ (bias −½ for weight 1); yours bends at 1.",
            same_as(lambda x: 2 * _relu(x) - 4 * _relu(x - 1.0)),
        ),
        Mistake(
            "that is the tent upside down: output weights +2 on relu(x) and −4 on relu(x − ½).",
            same_as(lambda x: -_tent(x)),
        ),
    ),
    default_hint="t(x) = 2x up to ½, then 2 − 2x: start with relu(x) (slope 2 after output "
    "weight 2) and add a unit that bends at ½ and changes the slope by −4.",
    success="Two ReLUs make the tent; compose it to fold [0, 1] again and again.",
)


def check_tent_params(fn: Callable[[], Any]) -> None:
    r"""Check ``tent_params()``: a one-hidden-layer ReLU network equal to the tent map.

    The tent map is :math:`t(x) = 2x` for :math:`x \le \frac12` and :math:`2 - 2x` after,
    on :math:`[0, 1]`. The learner returns ``(W1, b1, W2, b2)``, shapes ``(N, 1)``,
    ``(N,)``, ``(1, N)``, ``(1,)``; the checker evaluates
    :math:`W_2\,\mathrm{relu}(W_1 x + b_1) + b_2` on :math:`[0, 1]`, so any correct set of
    weights passes. Recognises: a slope change of −2 or −8 instead of −4, a peak of ½ or 2,
    the bend on the wrong side or at 1, an upside-down tent.

    Args:
        fn: The learner's function (no arguments).

    Example:
        >>> import numpy as np
        >>> def tent_params():
        ...     return (np.array([[1.0], [1.0]]), np.array([0.0, -0.5]),
        ...             np.array([[2.0, -4.0]]), np.array([0.0]))
        >>> check_tent_params(tent_params)  # doctest: +ELLIPSIS
        ✓ tent_params: correct on all 1 cases (...

    Taught in chapter 9 (The universal approximation theorem).
    """
    _TENT(_tent_net(fn) if callable(fn) else fn)


# ------------------------------------------------------------------ sawtooth_counts
def _counts_cases() -> list[Case]:
    # k = 5 first: there every usual wrong count differs from every other one.
    return [Case(f"k = {k}", (k,)) for k in (5, 1, 2, 3, 10)]


def _counts_reference(k: int) -> tuple[np.ndarray, np.ndarray]:
    return np.array(2**k), np.array(2**k - 1)


_COUNTS = Checker(
    title="sawtooth_counts",
    cases=_counts_cases,
    reference=_counts_reference,
    output_names=("pieces", "units"),
    float_output=False,
    mistakes=(
        Mistake(
            "each tent layer FOLDS [0, 1] onto itself, so every piece becomes two: the pieces "
            "double with each layer (1 → 2 → 4 → …), they do not grow by a constant.",
            any_of(
                same_as(lambda k: (2 * k, 2 * k - 1), output=0),
                same_as(lambda k: (k + 1, k), output=0),
                same_as(lambda k: (2 * k, 2**k - 1), output=0),
                same_as(lambda k: (k + 1, 2**k - 1), output=0),
            ),
        ),
        Mistake(
            "count straight pieces, not bends or teeth: k layers make 2^k pieces, with "
            "2^k − 1 bends between them and 2^(k−1) teeth.",
            any_of(
                same_as(lambda k: (2**k - 1, 2**k - 1), output=0),
                same_as(lambda k: (2 ** (k - 1), 2**k - 1), output=0),
                same_as(lambda k: (2 ** (k + 1), 2**k - 1), output=0),
            ),
        ),
        Mistake(
            "a hidden unit relu(w·x + b) bends at ONE point, so n units give at most n bends, "
            "n + 1 pieces: just having 2^k pieces needs at least 2^k − 1 units (the counting "
            "bound asked for; the sawtooth itself needs one more, as the text shows next).",
            any_of(
                same_as(lambda k: (2**k, 2**k), output=1),
                same_as(lambda k: (2**k, 2**k + 1), output=1),
                same_as(lambda k: (2**k, 2 ** (k - 1)), output=1),
            ),
        ),
        Mistake(
            "that is what the DEEP network uses (2 units per layer); the question is how many "
            "units ONE hidden layer needs: at least (pieces − 1), since each unit bends once.",
            any_of(
                same_as(lambda k: (2**k, 2 * k), output=1),
                same_as(lambda k: (2**k, 7 * k), output=1),
            ),
        ),
    ),
    default_hint="pieces double with each layer; n units of one hidden layer bend at most n "
    "times, so they make at most n + 1 pieces.",
    success="Depth doubles the pieces with 2 units per layer; width adds one piece per unit.",
)


def check_sawtooth_counts(fn: Callable[[int], Any]) -> None:
    r"""Check ``sawtooth_counts(k)``: ``(pieces, units)`` for ``k`` composed tent layers.

    ``pieces`` is the number of linear pieces of :math:`t \circ t \circ \dots \circ t`
    (``k`` times) on :math:`[0, 1]`, :math:`2^k`; ``units`` the counting bound on the hidden
    units a one-hidden-layer ReLU network needs to have that many pieces, :math:`2^k - 1`.
    Recognises: linear growth, counting bends or teeth, one unit per piece, the deep
    network's own count.

    Args:
        fn: The learner's function.

    Example:
        >>> check_sawtooth_counts(lambda k: (2**k, 2**k - 1))  # doctest: +ELLIPSIS
        ✓ sawtooth_counts: correct on all 5 cases (...

    Taught in chapter 9 (The universal approximation theorem).
    """
    _COUNTS(fn)
