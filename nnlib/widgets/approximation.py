r"""Chapter 9's demos: approximating a curve with :math:`N` hidden units, and depth's sawtooth.

:func:`approximation_explorer` draws a target curve on :math:`[-1, 1]` and two networks of
the same shape, :math:`F(x) = c + \sum_{i=1}^{N} v_i\,\sigma(w_i x + b_i)`: one *constructed*
(a staircase of :math:`N` steep sigmoid steps at the midpoints of a grid, each as high as the
target's change across its cell) and one *trained* (full-batch Adam on the mean squared
error at 101 evenly spaced points, from a seeded PyTorch-style initialisation). It prints
the largest error of each on a fine grid. The step target is discontinuous, so the theorem
does not apply to it: any continuous :math:`F` misses it by at least half the jump.

:func:`sawtooth_depth` composes the tent map :math:`t(x) = 2\,\mathrm{relu}(x) -
4\,\mathrm{relu}(x - \tfrac12)` :math:`k` times. Each layer of two ReLU units folds
:math:`[0, 1]` onto itself and doubles the number of linear pieces: :math:`2^k` pieces from
:math:`2k` units (the construction's count), where one hidden layer needs :math:`2^k` units
(:math:`2^k - 1` bends, one per unit, plus one unit for the first slope).

The training here is a NumPy transcription of nnlib's loop (``nn.Linear`` → ``nn.Sigmoid``
→ ``nn.Linear``, ``F.mse_loss``, ``optim.Adam``), so that one update of the demo stays under
100 ms; a test checks that it matches nnlib step for step.

Taught in chapter 9 (The universal approximation theorem).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass

import ipywidgets as widgets
import numpy as np

from nnlib import plot
from nnlib.widgets.demo import Demo, register

#: The domain of the approximation demo.
DOMAIN = (-1.0, 1.0)
#: The target curves the demo offers, by the name shown in the dropdown.
TARGETS: dict[str, Callable[[np.ndarray], np.ndarray]] = {
    "smooth bump": lambda x: np.exp(-8.0 * x**2),
    "sine, 3 periods": lambda x: np.sin(3.0 * np.pi * x),
    "|x| (a kink)": np.abs,
    "step (not continuous)": lambda x: (x >= 0.0).astype(np.float64),
}
#: The numbers of hidden units the website offers.
STATIC_UNITS = (1, 2, 3, 4, 6, 8, 12, 16, 24, 32)
#: Steepness of each constructed step, times the grid spacing (chapter 9 chose it by measuring
#: the error for several values): σ(3) ≈ 0.95 half a cell away.
SHARPNESS = 6.0
#: The training recipe of the demo's trained network (one fixed recipe: the chapter sweeps).
TRAIN_POINTS, TRAIN_STEPS, TRAIN_LR = 101, 1000, 0.05
#: Points on which the largest error is measured.
EVAL_POINTS = 801


def _sigmoid(z: np.ndarray) -> np.ndarray:
    # exp(-|z|) never overflows; the two branches agree where both are finite.
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def staircase_params(
    f: Callable[[np.ndarray], np.ndarray], lo: float, hi: float, n: int, s: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    r"""Weights of a one-hidden-layer sigmoid network that climbs ``f`` in ``n`` steps.

    On the grid :math:`x_i = \text{lo} + i(\text{hi}-\text{lo})/n`, step :math:`i` sits at
    the midpoint :math:`a_i = (x_{i-1} + x_i)/2` with steepness :math:`s` and height
    :math:`f(x_i) - f(x_{i-1})`; the output bias is :math:`f(x_0)`.

    Args:
        f: The target, a NumPy function.
        lo: Left end of the interval.
        hi: Right end.
        n: Number of hidden units (steps).
        s: Steepness of each step.

    Returns:
        ``(W1, b1, W2, b2)`` with ``nn.Linear``'s shapes ``(n, 1)``, ``(n,)``, ``(1, n)``,
        ``(1,)``.

    Example:
        >>> W1, b1, W2, b2 = staircase_params(np.abs, -1.0, 1.0, 2, 10.0)
        >>> b1.tolist(), W2.tolist(), b2.tolist()
        ([5.0, -5.0], [[-1.0, 1.0]], [1.0])
    """
    grid = lo + (hi - lo) * np.arange(n + 1) / n
    values = np.asarray(f(grid), dtype=np.float64)
    mid = (grid[:-1] + grid[1:]) / 2
    return np.full((n, 1), float(s)), -s * mid, np.diff(values)[None, :], values[:1].copy()


def sigmoid_net(params: tuple[np.ndarray, ...], x: np.ndarray) -> np.ndarray:
    r""":math:`F(x) = W_2\,\sigma(W_1 x + b_1) + b_2` for a 1-D input array ``x``.

    Example:
        >>> params = (np.ones((1, 1)), np.zeros(1), np.ones((1, 1)), np.zeros(1))
        >>> sigmoid_net(params, np.array([0.0])).tolist()
        [0.5]
    """
    W1, b1, W2, b2 = params
    return (_sigmoid(x[:, None] @ W1.T + b1) @ W2.T + b2)[:, 0]


def init_params(n: int, seed: int) -> tuple[np.ndarray, ...]:
    r"""PyTorch's default initialisation of ``Linear(1, n)`` and ``Linear(n, 1)``, seeded.

    Every weight and bias of a layer with ``fan_in`` inputs is uniform on
    :math:`\pm 1/\sqrt{\text{fan\_in}}`, drawn from ``np.random.default_rng(seed)`` in the
    order W1, b1, W2, b2.

    Example:
        >>> [p.shape for p in init_params(3, seed=0)]
        [(3, 1), (3,), (1, 3), (1,)]
    """
    rng = np.random.default_rng(seed)
    bound = 1.0 / np.sqrt(n)
    return (
        rng.uniform(-1.0, 1.0, (n, 1)),
        rng.uniform(-1.0, 1.0, n),
        rng.uniform(-bound, bound, (1, n)),
        rng.uniform(-bound, bound, 1),
    )


def train_sigmoid_net(
    x: np.ndarray, y: np.ndarray, params: tuple[np.ndarray, ...], lr: float, steps: int
) -> tuple[np.ndarray, ...]:
    r"""Full-batch Adam on :math:`J = \frac1m \sum_i (F(x_i) - y_i)^2`, in NumPy.

    The same computation as ``optim.Adam(net.parameters(), lr)`` with PyTorch's defaults
    (:math:`\beta = (0.9, 0.999)`, :math:`\epsilon = 10^{-8}`) on ``nn.Sequential(
    nn.Linear(1, n), nn.Sigmoid(), nn.Linear(n, 1))`` and ``F.mse_loss``.

    Args:
        x: Inputs, shape ``(m,)``.
        y: Targets, shape ``(m,)``.
        params: Starting ``(W1, b1, W2, b2)`` (not modified).
        lr: Learning rate.
        steps: Number of Adam steps.

    Returns:
        The trained ``(W1, b1, W2, b2)``.

    Example:
        >>> x = np.linspace(-1, 1, 11)
        >>> start = init_params(4, seed=0)
        >>> trained = train_sigmoid_net(x, x**2, start, lr=0.05, steps=200)
        >>> bool(np.mean((sigmoid_net(trained, x) - x**2) ** 2)
        ...      < np.mean((sigmoid_net(start, x) - x**2) ** 2))
        True
    """
    n = params[0].shape[0]
    # One flat vector holds every parameter (and one its gradient), so that Adam's update
    # is a handful of NumPy calls per step; W1, b1, W2 are views into it.
    theta = np.concatenate([np.ravel(p) for p in params]).astype(np.float64)
    grad = np.empty_like(theta)
    w1, b1, w2, b2 = theta[:n], theta[n : 2 * n], theta[2 * n : 3 * n], theta[3 * n :]
    g_w1, g_b1, g_w2, g_b2 = grad[:n], grad[n : 2 * n], grad[2 * n : 3 * n], grad[3 * n :]
    m1, m2 = np.zeros_like(theta), np.zeros_like(theta)
    beta1, beta2, eps = 0.9, 0.999, 1e-8
    xc, m = x[:, None], len(x)
    for t in range(1, steps + 1):
        h = _sigmoid(xc * w1 + b1)  # (m, n)
        g_out = (2.0 / m) * (h @ w2 + b2 - y)  # dJ/dF, (m,)
        g_z = np.outer(g_out, w2) * h * (1.0 - h)  # (m, n)
        g_w1[:] = x @ g_z
        g_b1[:] = g_z.sum(axis=0)
        g_w2[:] = g_out @ h
        g_b2[:] = g_out.sum()
        m1 *= beta1
        m1 += (1 - beta1) * grad
        m2 *= beta2
        m2 += (1 - beta2) * grad * grad
        denom = np.sqrt(m2) / np.sqrt(1 - beta2**t) + eps
        theta -= (lr / (1 - beta1**t)) * m1 / denom
    return w1.reshape(n, 1).copy(), b1.copy(), w2.reshape(1, n).copy(), b2.copy()


@dataclass(frozen=True)
class ApproximationView:
    """Everything one frame of :func:`approximation_explorer` draws.

    Attributes:
        target: The target's name.
        n: Number of hidden units.
        x: The evaluation grid on :data:`DOMAIN`.
        f: The target on ``x``.
        constructed: The staircase network on ``x``.
        trained: The trained network on ``x``.
        error_constructed: :math:`\\max_x |F(x) - f(x)|` of the construction.
        error_trained: The same for the trained network.
    """

    target: str
    n: int
    x: np.ndarray
    f: np.ndarray
    constructed: np.ndarray
    trained: np.ndarray
    error_constructed: float
    error_trained: float


@functools.lru_cache(maxsize=256)
def _trained(target: str, n: int) -> tuple[np.ndarray, ...]:
    x = np.linspace(*DOMAIN, TRAIN_POINTS)
    return train_sigmoid_net(x, TARGETS[target](x), init_params(n, seed=0), TRAIN_LR, TRAIN_STEPS)


def approximation_view(target: str = "smooth bump", n: int = 8) -> ApproximationView:
    """Construct and train an ``n``-unit sigmoid network for one of :data:`TARGETS`.

    Args:
        target: A name from :data:`TARGETS`.
        n: Number of hidden units, at least 1.

    Returns:
        An :class:`ApproximationView`.

    Example:
        >>> v = approximation_view("|x| (a kink)", 16)
        >>> v.error_constructed < approximation_view("|x| (a kink)", 4).error_constructed
        True
    """
    if target not in TARGETS:
        raise ValueError(
            f"approximation_view: expected a target in {sorted(TARGETS)}, got {target!r}.\n"
            "help: pick one of nnlib.widgets.approximation.TARGETS."
        )
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
        raise ValueError(
            f"approximation_view: expected n to be a positive integer, got {n!r}.\n"
            "help: pass the number of hidden units, e.g. n=8."
        )
    lo, hi = DOMAIN
    x = np.linspace(lo, hi, EVAL_POINTS)
    f = TARGETS[target]
    built = sigmoid_net(staircase_params(f, lo, hi, int(n), SHARPNESS * n / (hi - lo)), x)
    trained = sigmoid_net(_trained(target, int(n)), x)
    fx = f(x)
    return ApproximationView(
        target,
        int(n),
        x,
        fx,
        built,
        trained,
        float(np.max(np.abs(built - fx))),
        float(np.max(np.abs(trained - fx))),
    )


@register
def approximation_explorer() -> Demo:
    """The live demo: pick a target and a number of hidden units :math:`N`.

    Returns:
        The :class:`~nnlib.widgets.Demo`; make it the last line of a cell.

    Example:
        >>> demo = approximation_explorer()
        >>> demo.controls["n"].value = 4
        >>> demo.data.n
        4

    Taught in chapter 9 (The universal approximation theorem).
    """
    controls = {
        "target": widgets.Dropdown(
            options=list(TARGETS), value="smooth bump", description="target"
        ),
        "n": widgets.IntSlider(value=8, min=1, max=32, description="units N"),
    }
    fig, ax = plot.figure(width=6.4, height=3.6)
    with plot.style():
        (target_line,) = ax.plot([], [], color=plot.INK, lw=2.5, label="target f")
        (built_line,) = ax.plot([], [], color=plot.ORANGE, lw=1.6, label="constructed (steps)")
        (trained_line,) = ax.plot([], [], color=plot.BLUE, lw=1.6, ls="--", label="trained (Adam)")
        ax.set_xlim(*DOMAIN)
        ax.set_ylim(-1.35, 1.6)
        ax.set_xlabel("input x")
        ax.set_ylabel("output")
        ax.legend(loc="lower right", fontsize=8)
        title = ax.set_title(" ", fontsize=9)
    for artist in (target_line, built_line, trained_line, title):
        artist.set_animated(True)

    def render(view: ApproximationView) -> object:
        target_line.set_data(view.x, view.f)
        built_line.set_data(view.x, view.constructed)
        trained_line.set_data(view.x, view.trained)
        title.set_text(
            f"N = {view.n} sigmoid units. Largest error: constructed "
            f"{view.error_constructed:.3f}, trained {view.error_trained:.3f}"
        )
        return fig

    return Demo(
        controls,
        approximation_view,
        render,
        "Approximating a curve with N hidden units, by construction and by training",
        static={"target": list(TARGETS), "n": list(STATIC_UNITS)},
    )


# ------------------------------------------------------------------------ sawtooth
#: The depths the sawtooth demo offers.
DEPTHS = tuple(range(1, 11))


def tent_layers(k: int) -> list[tuple[np.ndarray, ...]]:
    r"""``k`` copies of the tent map's weights: ``Linear(1, 2)``, ReLU, ``Linear(2, 1)``.

    Example:
        >>> [p.tolist() for p in tent_layers(1)[0]]
        [[[1.0], [1.0]], [0.0, -0.5], [[2.0, -4.0]], [0.0]]
    """
    W1, b1 = np.array([[1.0], [1.0]]), np.array([0.0, -0.5])
    W2, b2 = np.array([[2.0, -4.0]]), np.array([0.0])
    return [(W1, b1, W2, b2)] * k


def deep_sawtooth(x: np.ndarray, k: int) -> np.ndarray:
    r"""The tent map composed ``k`` times: a ReLU network of ``k`` layers of 2 units.

    Example:
        >>> deep_sawtooth(np.array([0.0, 0.125, 0.25]), 2).tolist()
        [0.0, 0.5, 1.0]
    """
    a = np.asarray(x, dtype=np.float64)
    for W1, b1, W2, b2 in tent_layers(k):
        a = (np.maximum(a[:, None] @ W1.T + b1, 0.0) @ W2.T + b2)[:, 0]
    return a


def count_pieces(x: np.ndarray, y: np.ndarray, tol: float = 1e-6) -> int:
    """The number of linear pieces of a piecewise-linear curve sampled at ``x``.

    Counts the changes of slope between neighbouring intervals, plus one; every piece must
    span at least two sample intervals for the count to be exact.

    Example:
        >>> x = np.linspace(0, 1, 9)
        >>> count_pieces(x, np.abs(x - 0.5))
        2
    """
    slopes = np.diff(y) / np.diff(x)
    return int(np.sum(np.abs(np.diff(slopes)) > tol * max(1.0, float(np.abs(slopes).max())))) + 1


@dataclass(frozen=True)
class SawtoothView:
    """Everything one frame of :func:`sawtooth_depth` draws.

    Attributes:
        k: Number of composed tent layers.
        x: Grid on :math:`[0, 1]`.
        y: The deep network's output.
        pieces: Linear pieces counted on the grid.
        deep_units: Hidden units of the deep network, :math:`2k`.
        deep_params: Its parameters, :math:`7k`.
        shallow_units: The fewest units one hidden layer needs for that many pieces,
            :math:`2^k` (chapter 9 proves it: one unit per bend, plus one).
    """

    k: int
    x: np.ndarray
    y: np.ndarray
    pieces: int
    deep_units: int
    deep_params: int
    shallow_units: int


def sawtooth_view(k: int = 3) -> SawtoothView:
    """The sawtooth after ``k`` tent layers, with its pieces counted.

    Example:
        >>> v = sawtooth_view(4)
        >>> v.pieces, v.deep_units, v.shallow_units
        (16, 8, 16)
    """
    if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or not 1 <= k <= 12:
        raise ValueError(
            f"sawtooth_view: expected an integer depth 1 <= k <= 12, got {k!r}.\n"
            "help: pass the number of composed tent layers, e.g. k=3."
        )
    x = np.linspace(0.0, 1.0, 2 ** (int(k) + 2) + 1)
    y = deep_sawtooth(x, int(k))
    return SawtoothView(int(k), x, y, count_pieces(x, y), 2 * int(k), 7 * int(k), 2 ** int(k))


@register
def sawtooth_depth() -> Demo:
    """The live demo: compose the tent map ``k`` times and count the pieces.

    Returns:
        The :class:`~nnlib.widgets.Demo`; make it the last line of a cell.

    Example:
        >>> demo = sawtooth_depth()
        >>> demo.controls["k"].value = 5
        >>> demo.data.pieces
        32

    Taught in chapter 9 (The universal approximation theorem).
    """
    controls = {"k": widgets.IntSlider(value=3, min=1, max=DEPTHS[-1], description="layers k")}
    fig, (ax, ax_units) = plot.figure(
        1, 2, width=8.4, height=3.4, gridspec_kw={"width_ratios": [1.5, 1.0]}
    )
    depths = np.array(DEPTHS)
    with plot.style():
        (saw,) = ax.plot([], [], color=plot.BLUE, lw=1.0)
        ax.set_xlim(0.0, 1.0)
        ax.set_ylim(-0.05, 1.15)
        ax.set_xlabel("input x")
        ax.set_ylabel("output of layer k")
        title = ax.set_title(" ", fontsize=9)
        ax_units.semilogy(depths, 2 * depths, "o-", color=plot.BLUE, ms=3, label="deep: 2k units")
        ax_units.semilogy(
            depths,
            2.0**depths,
            "s-",
            color=plot.VERMILLION,
            ms=3,
            label="one hidden layer: 2ᵏ (the fewest)",
        )
        (marker,) = ax_units.plot([], [], "o", ms=11, mfc="none", mec=plot.INK, mew=1.5)
        ax_units.set_xlabel("layers k")
        ax_units.set_ylabel("ReLU units for the sawtooth")
        ax_units.legend(loc="upper left", fontsize=8)
    for artist in (saw, title, marker):
        artist.set_animated(True)

    def render(view: SawtoothView) -> object:
        saw.set_data(view.x, view.y)
        marker.set_data([view.k, view.k], [view.deep_units, view.shallow_units])
        title.set_text(
            f"k = {view.k}: {view.pieces} pieces counted, from {view.deep_units} units "
            f"({view.deep_params} parameters)"
        )
        return fig

    return Demo(
        controls,
        sawtooth_view,
        render,
        "Depth folds: the tent map composed k times",
        static={"k": list(DEPTHS)},
    )
