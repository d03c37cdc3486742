r"""Checkers for chapter 8 (vanishing and exploding gradients).

Four exercises: derive the weight scale that keeps the variance of pre-activations constant
(:func:`check_init_std`); read per-layer statistics with module hooks
(:func:`check_layer_stats`); predict which of four deep networks has vanishing, healthy or
exploding gradients (:func:`check_gradient_health`); and clip gradients by their joint norm as
``torch.nn.utils.clip_grad_norm_`` does (:func:`check_clip_by_norm`). The references are
nnlib's: :func:`nnlib.nn.init.calculate_gain`, module hooks, and
:func:`nnlib.nn.utils.clip_grad_norm_`; the four networks of the prediction are measured in
NumPy with a private generator, so checking leaves the notebook's random state untouched.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable
from typing import Any

import numpy as np

import nnlib
from nnlib.exercises.core import (
    Attempt,
    Case,
    Checker,
    Mistake,
    close,
    raised,
    same_as,
    shape_is,
    when,
)
from nnlib.nn import functional as F
from nnlib.nn import init
from nnlib.nn.modules.activation import ReLU, Sigmoid, Tanh
from nnlib.nn.modules.container import Sequential
from nnlib.nn.modules.linear import Linear
from nnlib.nn.modules.module import Module
from nnlib.nn.parameter import Parameter
from nnlib.nn.utils import clip_grad_norm_
from nnlib.random import fork_rng

__all__ = [
    "check_clip_by_norm",
    "check_gradient_health",
    "check_init_std",
    "check_layer_stats",
]


# ---------------------------------------------------------------------- init_std (derive)
def _init_cases() -> list[Case]:
    return [
        Case("relu, fan_in 64", (64, "relu", 0.0)),
        Case("linear (no activation), fan_in 100", (100, "linear", 0.0)),
        Case("leaky_relu with slope 0.2, fan_in 50", (50, "leaky_relu", 0.2)),
        Case("leaky_relu with slope 1 (the identity), fan_in 30", (30, "leaky_relu", 1.0)),
        Case("relu, fan_in 1", (1, "relu", 0.0)),
    ]


def _init_reference(fan_in: int, activation: str, negative_slope: float) -> float:
    """PyTorch's ``kaiming_normal_`` std: ``gain / sqrt(fan_in)``."""
    gain = init.calculate_gain(activation, negative_slope if activation == "leaky_relu" else None)
    return gain / math.sqrt(fan_in)


def _slope(activation: str, slope: float) -> float:
    return {"linear": 1.0, "relu": 0.0}.get(activation, slope)


def _gain2(activation: str, slope: float, *, leaky: Callable[[float], float]) -> float:
    return {"linear": 1.0, "relu": 2.0}.get(activation, leaky(slope))


_INIT = Checker(
    title="init_std",
    cases=_init_cases,
    reference=_init_reference,
    mistakes=(
        Mistake(
            "that is the VARIANCE Var(w); the function returns the standard deviation, its "
            "square root.",
            same_as(lambda n, a, s: _gain2(a, s, leaky=lambda s: 2 / (1 + s * s)) / n),
        ),
        Mistake(
            "with ReLU only half of the pre-activation's second moment survives: "
            "E[a²] = Var(z)/2, so Var(w) must be 2/fan_in, not 1/fan_in.",
            when("relu", same_as(lambda n, a, s: 1 / math.sqrt(n))),
        ),
        Mistake(
            "the factor 2 belongs in the numerator: E[a²] = Var(z)/2 means Var(w)·fan_in/2 = 1, "
            "so Var(w) = 2/fan_in, std = sqrt(2/fan_in).",
            same_as(lambda n, a, s: math.sqrt((1 + _slope(a, s) ** 2) / 2 / n)),
        ),
        Mistake(
            "without an activation (linear) nothing is lost: E[a²] = Var(z), so "
            "std = 1/sqrt(fan_in), without the ReLU's factor 2.",
            when("linear", same_as(lambda n, a, s: math.sqrt(2 / n))),
        ),
        Mistake(
            "for leaky ReLU the negative side keeps slope² of its second moment (the slope is "
            "squared): E[a²] = (1 + slope²)/2 · Var(z).",
            same_as(lambda n, a, s: math.sqrt(2 / ((1 + s) * n))),
        ),
        Mistake(
            "leaky ReLU is not ReLU: its negative side keeps slope²·Var(z)/2, so "
            "Var(w) = 2 / ((1 + slope²)·fan_in).",
            when("leaky", same_as(lambda n, a, s: math.sqrt(2 / n))),
        ),
        Mistake(
            "(1 + slope²)/2 is the fraction of the second moment that survives: divide by it, "
            "Var(w) = 2 / ((1 + slope²)·fan_in).",
            when("leaky", same_as(lambda n, a, s: math.sqrt((1 + s * s) / (2 * n)))),
        ),
        Mistake(
            "fan_in goes in the denominator: the more inputs a unit sums, the smaller each "
            "weight must be.",
            same_as(lambda n, a, s: math.sqrt(_gain2(a, s, leaky=lambda s: 2 / (1 + s * s)) * n)),
        ),
        Mistake(
            "that is the bound a of a uniform U(-a, a), which is sqrt(3) times its standard "
            "deviation; return the standard deviation itself.",
            same_as(lambda n, a, s: math.sqrt(3) * _init_reference(n, a, s)),
        ),
        Mistake(
            "the square root: Var(w) = gain²/fan_in gives std = gain/sqrt(fan_in), not "
            "gain/fan_in.",
            same_as(lambda n, a, s: math.sqrt(_gain2(a, s, leaky=lambda s: 2 / (1 + s * s))) / n),
        ),
    ),
    default_hint="require Var(z_next) = Var(z): fan_in · Var(w) · E[φ(z)²] = Var(z), with "
    "E[φ(z)²] = Var(z) for linear, Var(z)/2 for ReLU, (1 + slope²)/2 · Var(z) for leaky ReLU.",
    success="The same scale as nn.init.kaiming_normal_(w, nonlinearity=...).",
)


def check_init_std(fn: Callable[..., Any]) -> None:
    r"""Check ``init_std(fan_in, activation, negative_slope)``: the weight standard deviation
    that keeps :math:`\mathrm{Var}(z)` the same from layer to layer.

    ``activation`` is ``'linear'``, ``'relu'`` or ``'leaky_relu'`` (with ``negative_slope``);
    the answer is :math:`\sqrt{2 / ((1 + \alpha^2) n_{in})}` for leaky ReLU, which gives
    :math:`\sqrt{2/n_{in}}` for ReLU and :math:`1/\sqrt{n_{in}}` for the identity. Recognises:
    returning the variance, forgetting ReLU's factor 2 (or putting it in the denominator),
    an unsquared slope, fan_in in the numerator, a missing square root.

    Args:
        fn: The learner's function.

    Example:
        >>> def init_std(fan_in, activation, negative_slope=0.0):
        ...     slope = {"linear": 1.0, "relu": 0.0}.get(activation, negative_slope)
        ...     return (2 / ((1 + slope**2) * fan_in)) ** 0.5
        >>> check_init_std(init_std)  # doctest: +ELLIPSIS
        ✓ init_std: correct on all 5 cases (...

    Taught in chapter 8 (Vanishing and exploding gradients).
    """
    _INIT(fn)


# ----------------------------------------------------------------- layer_stats (build)
def _small_net(seed: int, sizes: tuple[int, ...], act: type[Module]) -> Sequential:
    with fork_rng():
        nnlib.manual_seed(seed)
        layers: list[Module] = []
        for n_in, n_out in itertools.pairwise(sizes[:-1]):
            layers += [Linear(n_in, n_out), act()]
        layers.append(Linear(sizes[-2], sizes[-1]))
        net = Sequential(*layers)
        net.double()  # in place, as in PyTorch
        return net


def _stats_cases() -> list[Case]:
    rng = np.random.default_rng(801)

    def data(m: int, d: int, c: int) -> tuple[nnlib.Tensor, nnlib.Tensor]:
        X = nnlib.tensor(rng.normal(size=(m, d)))
        y = nnlib.tensor(rng.integers(0, c, size=m))
        return X, y

    X1, y1 = data(16, 5, 3)
    X2, y2 = data(32, 8, 4)
    X3, y3 = data(8, 3, 2)
    return [
        Case("a 3-layer tanh net, batch of 16", (_small_net(1, (5, 6, 6, 3), Tanh), X1, y1)),
        Case(
            "a 5-layer sigmoid net, batch of 32",
            (_small_net(2, (8, 10, 10, 10, 10, 4), Sigmoid), X2, y2),
        ),
        Case("a 2-layer ReLU net, batch of 8", (_small_net(3, (3, 4, 2), ReLU), X3, y3)),
    ]


def _stats(
    net: Module,
    X: nnlib.Tensor,
    y: nnlib.Tensor,
    *,
    what: str = "z",
    grad: str = "output",
    reduce: Callable[[np.ndarray], float] = np.std,
    reduction: str = "mean",
    reverse_grads: bool = False,
) -> np.ndarray:
    """Per-Linear (activation statistic, gradient statistic), with switches for mistakes."""
    linears = [m for m in net.modules() if isinstance(m, Linear)]
    acts: list[float] = []
    grads: list[float] = []
    handles = []
    for lin in linears:
        handles.append(lin.register_forward_hook(lambda m, a, out: acts.append(reduce(out.data))))
        handles.append(
            lin.register_full_backward_hook(
                lambda m, gin, gout: grads.append(reduce(gout[0].data))
            )
        )
    with nnlib.enable_grad():
        out = net(X)
        F.cross_entropy(out, y, reduction=reduction).backward()
    for h in handles:
        h.remove()
    if what == "a":  # after the activation that follows each Linear (the output: itself)
        mods = list(net.children())
        acts = []
        with nnlib.no_grad():
            x = X
            for k, m in enumerate(mods):
                x = m(x)
                nxt = mods[k + 1] if k + 1 < len(mods) else None
                if isinstance(m, Linear) and isinstance(nxt, Linear | None):
                    acts.append(reduce(x.data))
                elif not isinstance(m, Linear):
                    acts.append(reduce(x.data))
    if grad == "weight":
        grads = [reduce(lin.weight.grad.data) for lin in linears if lin.weight.grad is not None]
    else:
        grads = grads[::-1]  # hooks fire from the last layer to the first
    if reverse_grads:
        grads = grads[::-1]
    net.zero_grad()
    return np.column_stack([acts, grads])


def _stats_reference(net: Module, X: nnlib.Tensor, y: nnlib.Tensor) -> np.ndarray:
    """Column 0: std of each Linear's output z; column 1: std of dJ/dz (hooks)."""
    return _stats(net, X, y)


def _n_linear(net: Module, *_: Any) -> int:
    return sum(isinstance(m, Linear) for m in net.modules())


def _all_modules_shape(net: Module, *_: Any) -> tuple[int, int]:
    return (len(list(net.children())), 2)


_STATS = Checker(
    title="layer_stats",
    cases=_stats_cases,
    reference=_stats_reference,
    mistakes=(
        Mistake(
            "backward hooks fire from the LAST layer to the first: reverse the gradient list "
            "(grads[::-1]) so that row l is layer l.",
            same_as(_stats, reverse_grads=True),
        ),
        Mistake(
            "column 1 should be the gradient with respect to the layer's OUTPUT z "
            "(grad_output[0] in a full backward hook), not the weight's gradient.",
            same_as(_stats, grad="weight"),
        ),
        Mistake(
            "record the Linear layer's own output z (a forward hook on the nn.Linear), not the "
            "activation after it.",
            same_as(_stats, what="a"),
        ),
        Mistake(
            "a spread is the standard deviation (np.std), not the mean.",
            same_as(_stats, reduce=np.mean),
        ),
        Mistake(
            "the mean absolute value is not the standard deviation: use np.std.",
            same_as(_stats, reduce=lambda a: np.mean(np.abs(a))),
        ),
        Mistake(
            "use the population standard deviation, np.std(a) (ddof=0); a tensor's .std() "
            "divides by N - 1 as PyTorch does.",
            same_as(_stats, reduce=lambda a: np.std(a, ddof=1)),
        ),
        Mistake(
            "use the mean cross-entropy, F.cross_entropy(net(X), y) (reduction='mean'): "
            "with a sum every gradient is m times larger.",
            same_as(_stats, reduction="sum"),
        ),
        Mistake(
            "grad_input[0] is None for the first layer (its input X needs no gradient): the "
            "gradient at the layer's output is grad_output[0].",
            raised(AttributeError, "NoneType"),
        ),
        Mistake(
            "the spread over ALL entries of the tensor, np.std(out.data), not the spread of "
            "each unit averaged over units.",
            same_as(_stats, reduce=lambda a: float(a.std(axis=0).mean())),
        ),
        Mistake(
            "the two columns have different lengths: the backward hooks only fire during "
            "backward(), so run F.cross_entropy(net(X), y).backward() before reading them, "
            "and hook the same layers for both.",
            raised(ValueError, "dimension|same number|same length|shape"),
        ),
        Mistake(
            "one row per nn.Linear: hook only the Linear layers "
            "(isinstance(m, nn.Linear)), not the activations too.",
            shape_is(_all_modules_shape),
        ),
        Mistake(
            "grad_input holds the gradient with respect to the layer's INPUT; the gradient at "
            "its output z is grad_output[0].",
            same_as(lambda n, X, y: _grad_input_stats(n, X, y)),
        ),
    ),
    default_hint="register a forward hook and a full backward hook on every nn.Linear, run "
    "F.cross_entropy(net(X), y).backward(), then return [[std(z), std(dJ/dz)], ...] "
    "layer by layer (the backward hooks fire last layer first).",
    success="The same statistics as the chapter's hooks.",
)


def _grad_input_stats(net: Module, X: nnlib.Tensor, y: nnlib.Tensor) -> np.ndarray:
    """What hooking ``grad_input[0]`` gives, with the first layer's None taken as zero."""
    linears = [m for m in net.modules() if isinstance(m, Linear)]
    z: list[float] = []
    grads: list[float] = []
    handles = [lin.register_forward_hook(lambda m, a, out: z.append(np.std(out.data)))
               for lin in linears]  # fmt: skip
    handles += [
        lin.register_full_backward_hook(
            lambda m, gin, gout: grads.append(0.0 if gin[0] is None else np.std(gin[0].data))
        )
        for lin in linears
    ]
    with nnlib.enable_grad():
        F.cross_entropy(net(X), y).backward()
    for h in handles:
        h.remove()
    return np.column_stack([z, grads[::-1]])


def check_layer_stats(fn: Callable[..., Any]) -> None:
    r"""Check ``layer_stats(net, X, y)``: per-layer statistics read with module hooks.

    For every ``nn.Linear`` in ``net``, in order: the standard deviation of its output
    :math:`z^{[l]}` and of the gradient :math:`\partial J/\partial z^{[l]}` of the mean
    cross-entropy :math:`J`, returned as an array of shape ``(L, 2)``. Recognises: gradients
    in backward (reversed) order, the weight's gradient instead of the output's, activations
    after the nonlinearity, the mean instead of the spread, ``ddof=1``, a summed loss,
    ``grad_input`` instead of ``grad_output``, hooks on every module.

    Args:
        fn: The learner's function.

    Example:
        >>> import numpy as np
        >>> from nnlib import nn
        >>> from nnlib.nn import functional as F
        >>> def layer_stats(net, X, y):
        ...     z, g = [], []
        ...     hs = [m.register_forward_hook(lambda m, a, o: z.append(np.std(o.data)))
        ...           for m in net if isinstance(m, nn.Linear)]
        ...     hs += [m.register_full_backward_hook(
        ...         lambda m, gi, go: g.insert(0, np.std(go[0].data)))
        ...         for m in net if isinstance(m, nn.Linear)]
        ...     F.cross_entropy(net(X), y).backward()
        ...     for h in hs:
        ...         h.remove()
        ...     return np.column_stack([z, g])
        >>> check_layer_stats(layer_stats)  # doctest: +ELLIPSIS
        ✓ layer_stats: correct on all 3 cases (...

    Taught in chapter 8 (Vanishing and exploding gradients).
    """
    _STATS(fn)


# ------------------------------------------------------------ gradient health (predict)
#: The four networks of the prediction exercise: (activation, weight std rule, residual).
HEALTH_NETS = (
    ("sigmoid", "pytorch", False),
    ("relu", "he", False),
    ("relu", "normal1", False),
    ("relu", "he", True),
)
HEALTH_DEPTH, HEALTH_WIDTH = 30, 64


def gradient_ratio(
    activation: str,
    weights: str,
    residual: bool,
    depth: int = HEALTH_DEPTH,
    width: int = HEALTH_WIDTH,
    seed: int = 0,
) -> float:
    r"""How much the gradient grows from the last hidden layer back to the first.

    A NumPy network of ``depth`` hidden layers of ``width`` units (biases zero) on a batch of
    128 standard-normal inputs with random labels (10 classes); the result is
    :math:`\mathrm{std}(\partial J/\partial \mathbf{z}^{[1]}) /
    \mathrm{std}(\partial J/\partial \mathbf{z}^{[L]})` for the mean cross-entropy
    :math:`J`. ``weights`` is ``'pytorch'`` (PyTorch's default, uniform with std
    :math:`1/\sqrt{3 n_{in}}`), ``'he'`` (:math:`\sqrt{2/n_{in}}`) or ``'normal1'`` (std 1).
    With ``residual`` each hidden layer adds its input: :math:`\mathbf{a}^{[l]} =
    \mathbf{a}^{[l-1]} + \varphi(\mathbf{z}^{[l]})`.

    Example:
        >>> gradient_ratio("relu", "he", False) > 1e-2
        True

    Taught in chapter 8 (Vanishing and exploding gradients).
    """
    rng = np.random.default_rng(seed)
    m = 128
    X = rng.normal(size=(m, width))
    labels = rng.integers(0, 10, size=m)

    def weight(n_in: int, n_out: int) -> np.ndarray:
        if weights == "pytorch":
            bound = 1 / math.sqrt(n_in)
            return rng.uniform(-bound, bound, size=(n_out, n_in))
        std = math.sqrt(2 / n_in) if weights == "he" else 1.0
        return rng.normal(0.0, std, size=(n_out, n_in))

    Ws = [weight(width, width) for _ in range(depth)]
    W_out = weight(width, 10)
    acts: dict[str, Callable[[np.ndarray], np.ndarray]] = {
        "sigmoid": lambda z: 1 / (1 + np.exp(-z)),
        "relu": lambda z: np.maximum(z, 0.0),
        "tanh": np.tanh,
    }
    act = acts[activation]
    with np.errstate(all="ignore"):
        a, zs = X, []
        for W in Ws:
            z = a @ W.T
            zs.append(z)
            a = a + act(z) if residual else act(z)
        logits = a @ W_out.T
        logits = logits - logits.max(axis=1, keepdims=True)
        p = np.exp(logits)
        p /= p.sum(axis=1, keepdims=True)
        p[np.arange(m), labels] -= 1
        g_a = (p / m) @ W_out  # dJ/da^[L]
        deltas = []
        for W, z in zip(Ws[::-1], zs[::-1], strict=True):
            s = act(z)
            dphi = {"sigmoid": s * (1 - s), "relu": (z > 0).astype(float),
                    "tanh": 1 - s * s}[activation]  # fmt: skip
            delta = g_a * dphi
            deltas.append(delta)
            g_a = (g_a if residual else 0.0) + delta @ W
        return float(np.std(deltas[-1]) / np.std(deltas[0]))


def _verdict(ratio: float) -> int:
    """-1 (vanishing, ratio < 1e-3), 0 (healthy), +1 (exploding, ratio > 1e3)."""
    if not np.isfinite(ratio) or ratio > 1e3:
        return 1
    return -1 if ratio < 1e-3 else 0


def _health_reference() -> tuple[int, int, int, int]:
    verdicts = [_verdict(gradient_ratio(*spec)) for spec in HEALTH_NETS]
    return verdicts[0], verdicts[1], verdicts[2], verdicts[3]


_WHY = (
    "net A: every sigmoid layer multiplies the gradient by σ'(z) ≤ 1/4 and by a weight "
    "matrix of std 1/sqrt(3n) (PyTorch's default), so the product shrinks layer after layer: "
    "vanishing (-1).",
    "net B: He init makes each ReLU layer keep the variance (the factor 2 makes up for the "
    "half of the units that are off), backward as well as forward: healthy (0).",
    "net C: weights of std 1 are sqrt(n/2) ≈ 5.7 times too large for width 64, and each "
    "layer multiplies the gradient by about that: exploding (+1).",
    "net D: a skip passes the gradient on unchanged AND the branch adds its own share on top; "
    "with He init the branch is as large as the skip, so the gradient grows at every block "
    "and 30 blocks compound it (about a million times here): exploding (+1). Residual nets "
    "need a small branch (a scaled or zero-initialised last layer, or normalisation).",
)


def _wrong_at(k: int) -> Callable[[Attempt], bool]:
    def detect(attempt: Attempt) -> bool:
        return attempt.got is not None and attempt.index == k

    return detect


_HEALTH = Checker(
    title="gradient_health",
    cases=lambda: [Case("your predictions for nets A, B, C, D", ())],
    reference=_health_reference,
    output_names=("A", "B", "C", "D"),
    mistakes=tuple(Mistake(why, _wrong_at(k)) for k, why in enumerate(_WHY)),
    default_hint="return four numbers: -1 (vanishing), 0 (healthy) or +1 (exploding).",
    success="Measured: A vanishes, B is healthy, C and D explode.",
)


def check_gradient_health(fn: Callable[..., Any]) -> None:
    r"""Check the prediction ``gradient_health() -> (A, B, C, D)``, each -1, 0 or +1.

    The four networks are ``HEALTH_NETS`` (30 hidden layers of 64 units): A sigmoid with
    PyTorch's default init, B ReLU with He init, C ReLU with weights of std 1, D ReLU with He
    init and a skip around every layer. Each is measured by ``gradient_ratio``: below
    :math:`10^{-3}` is vanishing (-1), above :math:`10^{3}` exploding (+1), between healthy
    (0). A wrong prediction gets the reason for that network.

    Args:
        fn: The learner's function of no arguments.

    Example:
        >>> check_gradient_health(lambda: (-1, 0, 1, 1))  # doctest: +ELLIPSIS
        ✓ gradient_health: correct on all 1 cases (...

    Taught in chapter 8 (Vanishing and exploding gradients).
    """
    _HEALTH(fn)


# -------------------------------------------------------------- clip_by_norm (transcribe)
def _clip_cases() -> list[Case]:
    rng = np.random.default_rng(802)
    big_W = rng.normal(0.0, 3.0, size=(3, 4))
    return [
        Case("a joint norm of 13 clipped to 1", (np.array([[3.0, 4.0]]), np.array([12.0]), 1.0)),
        Case(
            "a norm below max_norm: unchanged",
            (np.array([[0.1, -0.2], [0.05, 0.0]]), np.array([0.1, 0.1]), 5.0),
        ),
        Case(
            "a small bias gradient beside a large weight gradient",
            (big_W, np.array([0.01, -0.02, 0.03]), 2.0),
        ),
        Case("max_norm 0.5", (rng.normal(size=(2, 3)), rng.normal(size=2), 0.5)),
    ]


def _clip_reference(
    grad_W: np.ndarray, grad_b: np.ndarray, max_norm: float
) -> tuple[np.ndarray, np.ndarray]:
    """``nn.utils.clip_grad_norm_`` on two parameters holding these gradients."""
    params = []
    for g in (grad_W, grad_b):
        p = Parameter(np.zeros_like(g, dtype=np.float64))
        p.grad = nnlib.tensor(np.array(g, dtype=np.float64))
        params.append(p)
    clip_grad_norm_(params, max_norm)
    clipped = [p.grad.data for p in params if p.grad is not None]
    return clipped[0], clipped[1]


def _both_as(wrong: Callable[..., Any]) -> Callable[[Attempt], bool]:
    """The learner's two outputs both match ``wrong`` (and the reference does not)."""

    def detect(attempt: Attempt) -> bool:
        if attempt.got is None:
            return False
        made = wrong(*attempt.case.args)
        return all(close(g, m) for g, m in zip(attempt.got, made, strict=True)) and not all(
            close(e, m) for e, m in zip(attempt.expected, made, strict=True)
        )

    return detect


def _joint(gW: np.ndarray, gb: np.ndarray) -> float:
    return float(np.sqrt(np.sum(gW**2) + np.sum(gb**2)))


def _scale_each(gW: np.ndarray, gb: np.ndarray, c: float) -> tuple[np.ndarray, np.ndarray]:
    """Each gradient clipped by its own norm (the per-tensor mistake)."""
    fW = min(1.0, c / max(float(np.linalg.norm(gW)), 1e-12))
    fb = min(1.0, c / max(float(np.linalg.norm(gb)), 1e-12))
    return gW * fW, gb * fb


_CLIP = Checker(
    title="clip_by_norm",
    cases=_clip_cases,
    reference=_clip_reference,
    output_names=("grad_W", "grad_b"),
    mistakes=(
        Mistake(
            "clip_grad_norm_ treats ALL gradients as one vector: compute one total norm "
            "sqrt(‖grad_W‖² + ‖grad_b‖²) and scale both by the same factor (scaling each "
            "tensor by its own norm changes the direction of the step).",
            _both_as(_scale_each),
        ),
        Mistake(
            "the total norm includes the bias's gradient too: sqrt(‖grad_W‖² + ‖grad_b‖²).",
            same_as(
                lambda gW, gb, c: tuple(g * min(1.0, c / np.linalg.norm(gW)) for g in (gW, gb))
            ),
        ),
        Mistake(
            "norms do not add: the joint norm is sqrt(‖grad_W‖² + ‖grad_b‖²), not "
            "‖grad_W‖ + ‖grad_b‖.",
            same_as(
                lambda gW, gb, c: tuple(
                    g * min(1.0, c / (np.linalg.norm(gW) + np.linalg.norm(gb))) for g in (gW, gb)
                )
            ),
        ),
        Mistake(
            "the norm uses the SUM of the squares, not their mean.",
            same_as(
                lambda gW, gb, c: tuple(
                    g
                    * min(1.0, c / np.sqrt(np.mean(np.concatenate([gW.ravel(), gb.ravel()]) ** 2)))
                    for g in (gW, gb)
                )
            ),
        ),
        Mistake(
            "only shrink: when the norm is already below max_norm the gradients stay as "
            "they are (the factor is min(1, max_norm / norm)).",
            same_as(lambda gW, gb, c: (gW * c / _joint(gW, gb), gb * c / _joint(gW, gb))),
        ),
        Mistake(
            "that clips each entry to [-max_norm, max_norm] (clip_grad_value_); clipping by "
            "norm rescales the whole gradient and keeps its direction.",
            same_as(lambda gW, gb, c: (np.clip(gW, -c, c), np.clip(gb, -c, c))),
        ),
        Mistake(
            "the norm is the square root of the sum of squares; without the square root the "
            "factor is wrong.",
            same_as(
                lambda gW, gb, c: tuple(
                    g * min(1.0, c / (np.sum(gW**2) + np.sum(gb**2))) for g in (gW, gb)
                )
            ),
        ),
        Mistake(
            "multiply by max_norm / norm: dividing by the norm alone gives a unit vector.",
            same_as(
                lambda gW, gb, c: tuple(
                    g / _joint(gW, gb) if _joint(gW, gb) > c else g for g in (gW, gb)
                )
            ),
        ),
        Mistake(
            "the factor is max_norm / norm (it shrinks a long gradient), not norm / max_norm.",
            same_as(
                lambda gW, gb, c: tuple(
                    g * _joint(gW, gb) / c if _joint(gW, gb) > c else g for g in (gW, gb)
                )
            ),
        ),
    ),
    default_hint="total = sqrt(sum of all squared entries of both gradients); if "
    "total > max_norm multiply both by max_norm / total; return (grad_W, grad_b).",
    success="The same as nn.utils.clip_grad_norm_ (and torch.nn.utils.clip_grad_norm_).",
)


def check_clip_by_norm(fn: Callable[..., Any]) -> None:
    r"""Check ``clip_by_norm(grad_W, grad_b, max_norm) -> (grad_W, grad_b)``.

    As ``torch.nn.utils.clip_grad_norm_``: the two gradients are one vector :math:`g`; if
    :math:`\|g\|_2 > \text{max\_norm}` both are multiplied by
    :math:`\text{max\_norm}/\|g\|_2`, otherwise returned unchanged. Recognises: clipping each
    tensor by its own norm, scaling up short gradients, clipping by value, a missing square
    root, a missing ``max_norm``, the inverted factor, in-place changes.

    Args:
        fn: The learner's function.

    Example:
        >>> import numpy as np
        >>> def clip_by_norm(grad_W, grad_b, max_norm):
        ...     total = np.sqrt(np.sum(grad_W**2) + np.sum(grad_b**2))
        ...     c = min(1.0, max_norm / total)
        ...     return grad_W * c, grad_b * c
        >>> check_clip_by_norm(clip_by_norm)  # doctest: +ELLIPSIS
        ✓ clip_by_norm: correct on all 4 cases (...

    Taught in chapter 8 (Vanishing and exploding gradients).
    """
    _CLIP(fn)
