r"""Chapter 4's demos: a loss and its gradient side by side, and the asymmetry of KL divergence.

:func:`loss_explorer` draws a loss as a function of the network's output :math:`z` for a
chosen target, beside its slope :math:`\partial L / \partial z`, which is what
backpropagation sends into the network. Classification losses read the output as a logit
:math:`z`, with :math:`\hat y = \sigma(z)`; regression losses read it as the prediction
:math:`\hat y` itself, and the axes, slider and titles say so. The slopes come from
nnlib's autograd, so the picture also checks the backward rules.

:func:`kl_asymmetry` fits a single Gaussian :math:`Q` to a mixture of two Gaussians
:math:`P` and shows both :math:`\mathrm{KL}(P\,\|\,Q)` and :math:`\mathrm{KL}(Q\,\|\,P)`, with
the :math:`Q` that minimises each: the first spreads over both modes (mode-covering), the
second sits on one (mode-seeking).

Taught in chapter 4 (loss functions).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

import ipywidgets as widgets
import numpy as np
from matplotlib.ticker import FuncFormatter

import nnlib
from nnlib import plot
from nnlib.nn import functional as F
from nnlib.widgets.demo import Demo, register

#: The losses :func:`loss_explorer` offers. The last three read ``z`` as a logit.
LOSS_NAMES = ("MSE", "MAE (L1)", "Huber", "BCE", "MSE on σ(z)", "focal")
CLASSIFICATION = ("BCE", "MSE on σ(z)", "focal")
Z_MAX = 6.0


@dataclass
class LossView:
    """What the loss explorer draws.

    Attributes:
        name: The loss's name.
        z: Network outputs, shape ``(n,)``.
        loss: :math:`L(z, y)` for each ``z``.
        grad: :math:`\\partial L / \\partial z` for each ``z`` (from autograd).
        ref_loss: BCE on the same logits, for comparison (``None`` for regression losses).
        ref_grad: Its slope (``None`` for regression losses).
        z0: The marked output.
        loss0: The loss there.
        grad0: The slope there.
        target: The target :math:`y`.
        classification: Whether ``z`` is a logit.
    """

    name: str
    z: np.ndarray
    loss: np.ndarray
    grad: np.ndarray
    ref_loss: np.ndarray | None
    ref_grad: np.ndarray | None
    z0: float
    loss0: float
    grad0: float
    target: float
    classification: bool


def _loss_and_grad(
    name: str, z: np.ndarray, target: float, delta: float, gamma: float
) -> tuple[np.ndarray, np.ndarray]:
    """Per-element losses and their autograd slopes ``dL/dz`` for the outputs ``z``."""
    zt = nnlib.tensor(z, dtype=nnlib.float64, requires_grad=True)
    y = nnlib.full(z.shape, float(target), dtype=nnlib.float64)
    if name == "MSE":
        loss = F.mse_loss(zt, y, reduction="none")
    elif name == "MAE (L1)":
        loss = F.l1_loss(zt, y, reduction="none")
    elif name == "Huber":
        loss = F.huber_loss(zt, y, reduction="none", delta=delta)
    elif name == "BCE":
        loss = F.binary_cross_entropy_with_logits(zt, y, reduction="none")
    elif name == "MSE on σ(z)":
        loss = F.mse_loss(nnlib.sigmoid(zt), y, reduction="none")
    elif name == "focal":
        loss = F.sigmoid_focal_loss(zt, y, alpha=-1.0, gamma=gamma, reduction="none")
    else:
        raise ValueError(
            f"loss_view: expected one of {LOSS_NAMES}, got {name!r}.\n"
            "help: choose a name from nnlib.widgets.losses.LOSS_NAMES."
        )
    # Each loss depends on its own z only, so the gradient of the sum is dL/dz elementwise.
    loss.sum().backward()
    return loss.data.copy(), zt.grad.data.copy()


def loss_view(
    loss: str = "BCE",
    target: float = 1.0,
    prediction: float = -3.0,
    delta: float = 1.0,
    gamma: float = 2.0,
    n: int = 241,
) -> LossView:
    r"""Compute a loss and its slope over the outputs :math:`z \in [-6, 6]` for one target.

    Args:
        loss: A name from :data:`LOSS_NAMES`.
        target: The target :math:`y` (for the classification losses, in :math:`[0, 1]`).
        prediction: The output :math:`z` to mark.
        delta: Huber's :math:`\delta`.
        gamma: The focal loss's :math:`\gamma` (0 is BCE).
        n: Number of outputs on the grid.

    Returns:
        A :class:`LossView`.

    Example:
        >>> v = loss_view("MSE on σ(z)", target=1.0, prediction=-6.0)
        >>> abs(v.grad0) < 0.01                 # saturated: almost no gradient
        True
        >>> round(loss_view("BCE", 1.0, -6.0).grad0, 3)   # BCE: σ(z) - y
        -0.998
    """
    classification = loss in CLASSIFICATION
    if classification:
        target = min(max(float(target), 0.0), 1.0)
    z = np.linspace(-Z_MAX, Z_MAX, n)
    values, grads = _loss_and_grad(loss, np.append(z, prediction), target, delta, gamma)
    ref_loss = ref_grad = None
    if classification:
        ref_loss, ref_grad = _loss_and_grad("BCE", z, target, delta, gamma)
    return LossView(
        loss,
        z,
        values[:-1],
        grads[:-1],
        ref_loss,
        ref_grad,
        float(prediction),
        float(values[-1]),
        float(grads[-1]),
        float(target),
        classification,
    )


def _limits(*arrays: np.ndarray | None, symmetric: bool = False) -> tuple[float, float]:
    values = np.concatenate([a for a in arrays if a is not None])
    lo, hi = float(values.min()), float(values.max())
    # Rounded up to 1, 2 or 5 times a power of ten, so that small changes keep the axes.
    top = max(abs(lo), abs(hi), 0.05) * 1.1
    scale = 10 ** np.floor(np.log10(top))
    top = float(scale * next(f for f in (1, 1.5, 2, 3, 4, 5, 6, 8, 10) if f * scale >= top))
    if symmetric:
        return -top, top
    return (-0.05 * top if lo >= -1e-12 else -top), top


@register
def loss_explorer(loss: str = "MSE on σ(z)", target: float = 1.0) -> Demo:
    """The live demo: choose a loss, the target and an output; see the loss and its slope.

    Args:
        loss: The loss shown first (a name from :data:`LOSS_NAMES`).
        target: The target shown first.

    Returns:
        The :class:`~nnlib.widgets.Demo`; make it the last line of a cell to show it.

    Example:
        >>> demo = loss_explorer()
        >>> demo.controls["loss"].value = "BCE"
        >>> demo.data.name, demo.data.classification
        ('BCE', True)

    Taught in chapter 4 (loss functions).
    """
    wide = {"description_width": "initial"}
    controls = {
        "loss": widgets.Dropdown(options=list(LOSS_NAMES), value=loss, description="loss"),
        "target": widgets.FloatSlider(
            value=target, min=0.0, max=1.0, step=0.05, description="target y"
        ),
        "prediction": widgets.FloatSlider(
            value=-3.0, min=-Z_MAX, max=Z_MAX, step=0.1, description="logit z"
        ),
        # Each applies to one loss only: disabled (greyed) under the others, and the label
        # says which loss it belongs to.
        "delta": widgets.FloatSlider(
            value=1.0, min=0.1, max=3.0, step=0.1, description="δ (Huber only)", style=wide
        ),
        "gamma": widgets.FloatSlider(
            value=2.0, min=0.0, max=5.0, step=0.5, description="γ (focal only)", style=wide
        ),
    }

    def applies(change: object = None) -> None:
        controls["delta"].disabled = controls["loss"].value != "Huber"
        controls["gamma"].disabled = controls["loss"].value != "focal"
        # A logit z for the classification losses, the prediction ŷ itself for regression.
        logit = controls["loss"].value in CLASSIFICATION
        controls["prediction"].description = "logit z" if logit else "prediction ŷ"

    applies()
    controls["loss"].observe(applies, names="value")
    # One figure per loss: switching losses then redraws only the curves over that loss's
    # cached picture (< 100 ms) instead of the whole figure with its new axes.
    panels: dict[str, tuple[Any, Any, Any, dict[str, Any]]] = {}

    def new_panel() -> tuple[Any, Any, Any, dict[str, Any]]:
        fig, (ax_l, ax_g) = plot.figure(1, 2, width=9.0, height=3.4)
        # The layout is solved once, at the first frame: tick labels padded to one width
        # (figure spaces are as wide as digits) keep every later range inside it.
        padded = FuncFormatter(
            lambda v, _pos: f"{v + 0.0:g}".replace("-", "\u2212").rjust(5, "\u2007")
        )
        for ax in (ax_l, ax_g):
            ax.yaxis.set_major_formatter(padded)
        return fig, ax_l, ax_g, {}

    def render(view: LossView) -> object:
        if view.name not in panels:
            panels[view.name] = new_panel()
        fig, ax_l, ax_g, artists = panels[view.name]
        if not artists:
            for ax in (ax_l, ax_g):
                ax.axhline(0.0, color=plot.MUTED, lw=0.8, zorder=0)
                ax.set_xlim(-Z_MAX, Z_MAX)
            line = dict(animated=True)
            artists["ref_l"] = ax_l.plot([], [], "--", color=plot.MUTED, lw=1.5, **line)[0]
            artists["ref_g"] = ax_g.plot([], [], "--", color=plot.MUTED, lw=1.5, **line)[0]
            artists["l"] = ax_l.plot([], [], color=plot.BLUE, lw=2.0, **line)[0]
            artists["g"] = ax_g.plot([], [], color=plot.VERMILLION, lw=2.0, **line)[0]
            dot = dict(color=plot.INK, ms=6, zorder=4, animated=True)
            artists["p_l"] = ax_l.plot([], [], "o", **dot)[0]
            artists["p_g"] = ax_g.plot([], [], "o", **dot)[0]
            artists["note"] = ax_l.text(
                0.5, 0.97, "", transform=ax_l.transAxes, ha="center", va="top", fontsize=9,
                color=plot.INK, animated=True,
            )  # fmt: skip
            wrt = "z" if view.classification else r"\hat y"
            ax_g.set_ylabel(rf"slope $\partial L / \partial {wrt}$")
            ax_l.set_ylabel("loss $L$")
            for ax in (ax_l, ax_g):
                ax.title.set_animated(True)
        artists["l"].set_data(view.z, view.loss)
        artists["g"].set_data(view.z, view.grad)
        for key, values in (("ref_l", view.ref_loss), ("ref_g", view.ref_grad)):
            artists[key].set_data(
                view.z, values if values is not None else np.full_like(view.z, np.nan)
            )
        artists["p_l"].set_data([view.z0], [view.loss0])
        artists["p_g"].set_data([view.z0], [view.grad0])
        artists["note"].set_text("grey dashed: BCE, for comparison" if view.classification else "")
        # Changing the axes redraws the whole figure; moving only the output does not.
        xlabel = r"logit $z$ (prediction σ(z))" if view.classification else r"prediction $\hat y$"
        limits = (
            xlabel,
            _limits(view.loss, view.ref_loss),
            _limits(view.grad, view.ref_grad, symmetric=True),
        )
        if artists.get("limits") != limits:
            artists["limits"] = limits
            ax_l.set_xlabel(xlabel)
            ax_g.set_xlabel(xlabel)
            ax_l.set_ylim(*limits[1])
            ax_g.set_ylim(*limits[2])
        ax_l.title.set_text(f"{view.name}, y = {view.target:.2f}: L = {view.loss0:.4f}")
        at = "z" if view.classification else "ŷ"
        ax_g.title.set_text(f"slope at {at} = {view.z0:.1f}: {view.grad0:+.4f}")
        return fig

    for name in LOSS_NAMES:  # draw each loss's figure once now, so a switch is quick
        plot.to_png(render(loss_view(name, target)), compress_level=1)
    return Demo(
        controls,
        loss_view,
        render,
        "A loss and its gradient",
        static={
            "loss": list(LOSS_NAMES),
            "prediction": [float(z) for z in np.arange(-6.0, 6.01, 1.0)],
        },
    )


# ------------------------------------------------------------------ KL asymmetry
X_GRID = np.linspace(-8.0, 8.0, 641)
_DX = float(X_GRID[1] - X_GRID[0])
MODE_STD = 0.6  # the standard deviation of each of P's two modes


def _log_normal(x: np.ndarray, mean: np.ndarray | float, std: np.ndarray | float) -> np.ndarray:
    return -0.5 * ((x - mean) / std) ** 2 - np.log(std) - 0.5 * np.log(2 * np.pi)


def mixture_log_density(x: np.ndarray, separation: float, weight: float) -> np.ndarray:
    r"""The mixture's log-density :math:`\log p(x)`.

    :math:`P = w\,\mathcal N(-d/2, 0.6^2) + (1-w)\,\mathcal N(d/2, 0.6^2)`.

    Example:
        >>> p = np.exp(mixture_log_density(X_GRID, 3.0, 0.5))
        >>> round(float(p.sum() * (X_GRID[1] - X_GRID[0])), 4)
        1.0
    """
    a = np.log(weight) + _log_normal(x, -separation / 2, MODE_STD)
    b = np.log1p(-weight) + _log_normal(x, separation / 2, MODE_STD)
    return np.logaddexp(a, b)


def _kl(log_a: np.ndarray, log_b: np.ndarray) -> np.ndarray:
    """KL(A ‖ B) = ∫ a (log a − log b) dx on the grid, along the last axis."""
    return np.sum(np.exp(log_a) * (log_a - log_b), axis=-1) * _DX


@dataclass
class KLView:
    """What the KL-asymmetry demo draws.

    Attributes:
        x: The grid.
        p: The mixture's density :math:`p(x)`.
        q: The Gaussian's density :math:`q(x)`.
        kl_pq: :math:`\\mathrm{KL}(P \\| Q)` (nats).
        kl_qp: :math:`\\mathrm{KL}(Q \\| P)` (nats).
        forward_best: ``(mean, std)`` of the Gaussian minimising :math:`\\mathrm{KL}(P\\|Q)`.
        reverse_best: ``(mean, std)`` of the Gaussian minimising :math:`\\mathrm{KL}(Q\\|P)`.
        show_best: Whether to draw the two best fits.
        forward_min: :math:`\\mathrm{KL}(P\\|Q)` of the forward best fit.
        reverse_min: :math:`\\mathrm{KL}(Q\\|P)` of the reverse best fit.
    """

    x: np.ndarray
    p: np.ndarray
    q: np.ndarray
    kl_pq: float
    kl_qp: float
    forward_best: tuple[float, float]
    reverse_best: tuple[float, float]
    show_best: bool
    forward_min: float
    reverse_min: float


def _reverse_kl_grid(
    log_p: np.ndarray, x: np.ndarray, means: np.ndarray, stds: np.ndarray
) -> tuple[float, float]:
    """The (mean, std) pair of the grid with the smallest KL(Q ‖ P)."""
    log_q = _log_normal(x[None, None, :], means[:, None, None], stds[None, :, None])
    kls = np.sum(np.exp(log_q) * (log_q - log_p), axis=-1)
    i, j = np.unravel_index(int(np.argmin(kls)), kls.shape)
    return float(means[i]), float(stds[j])


@functools.lru_cache(maxsize=512)
def reverse_kl_fit(separation: float, weight: float) -> tuple[float, float]:
    r"""The Gaussian :math:`(\mu, \sigma)` minimising :math:`\mathrm{KL}(Q \| P)`, by grid search.

    A coarse grid of means and standard deviations first, then a fine one around the best
    coarse point. A symmetric mixture has two equally good fits, one on each mode.

    Example:
        >>> mean, std = reverse_kl_fit(6.0, 0.7)     # sits on the heavier, left mode
        >>> round(mean, 1), round(std, 1)
        (-3.0, 0.6)
    """
    log_p = mixture_log_density(X_GRID, separation, weight)
    mean, std = _reverse_kl_grid(
        log_p[::2],
        X_GRID[::2],
        np.linspace(-5.0, 5.0, 41),
        np.exp(np.linspace(np.log(0.3), np.log(5.0), 17)),
    )
    step = np.log(5.0 / 0.3) / 16
    return _reverse_kl_grid(
        log_p,
        X_GRID,
        mean + np.linspace(-0.25, 0.25, 11),
        std * np.exp(np.linspace(-step, step, 9)),
    )


def forward_kl_fit(separation: float, weight: float) -> tuple[float, float]:
    r"""The Gaussian minimising :math:`\mathrm{KL}(P \| Q)`: it has :math:`P`'s mean and variance.

    Example:
        >>> mean, std = forward_kl_fit(4.0, 0.5)     # std² = 0.6² + 2²
        >>> round(mean, 4), round(std, 4)
        (0.0, 2.0881)
    """
    m1, m2 = -separation / 2, separation / 2
    mean = weight * m1 + (1 - weight) * m2
    second = weight * (MODE_STD**2 + m1**2) + (1 - weight) * (MODE_STD**2 + m2**2)
    return float(mean), float(np.sqrt(second - mean**2))


def kl_view(
    separation: float = 4.0,
    weight: float = 0.5,
    q_mean: float = 0.0,
    q_std: float = 1.0,
    show_best: bool = True,
) -> KLView:
    r"""Both KL divergences between the mixture :math:`P` and the Gaussian :math:`Q`.

    Args:
        separation: Distance :math:`d` between :math:`P`'s two modes.
        weight: Weight :math:`w` of the left mode.
        q_mean: :math:`Q`'s mean.
        q_std: :math:`Q`'s standard deviation.
        show_best: Whether the best fits are to be drawn (they are always computed).

    Returns:
        A :class:`KLView`.

    Example:
        >>> v = kl_view(4.0, 0.5, 0.0, 1.0)
        >>> v.kl_pq != v.kl_qp                    # not symmetric
        True
    """
    log_p = mixture_log_density(X_GRID, separation, weight)
    log_q = _log_normal(X_GRID, q_mean, q_std)
    forward = forward_kl_fit(separation, weight)
    reverse = reverse_kl_fit(float(separation), float(weight))
    return KLView(
        X_GRID,
        np.exp(log_p),
        np.exp(log_q),
        float(_kl(log_p, log_q)),
        float(_kl(log_q, log_p)),
        forward,
        reverse,
        bool(show_best),
        float(_kl(log_p, _log_normal(X_GRID, *forward))),
        float(_kl(_log_normal(X_GRID, *reverse), log_p)),
    )


@register
def kl_asymmetry() -> Demo:
    """The live demo: shape the mixture P and the Gaussian Q; read both KL divergences.

    Returns:
        The :class:`~nnlib.widgets.Demo`; make it the last line of a cell to show it.

    Example:
        >>> demo = kl_asymmetry()
        >>> demo.controls["q_mean"].value = -2.0
        >>> demo.data.kl_qp < demo.data.kl_pq     # on one mode: reverse KL is small
        True

    Taught in chapter 4 (loss functions).
    """
    wide = {"description_width": "initial"}  # show the whole label
    controls = {
        "separation": widgets.FloatSlider(
            value=4.0, min=0.0, max=7.0, step=0.25, description="P: gap between modes",
            style=wide,
        ),
        "weight": widgets.FloatSlider(
            value=0.5, min=0.1, max=0.9, step=0.05, description="P: left mode's weight",
            style=wide,
        ),
        "q_mean": widgets.FloatSlider(
            value=0.0, min=-5.0, max=5.0, step=0.1, description="Q: mean", style=wide
        ),
        "q_std": widgets.FloatSlider(
            value=1.0, min=0.4, max=4.0, step=0.05, description="Q: std", style=wide
        ),
        "show_best": widgets.Checkbox(value=True, description="show the best Q for each"),
    }  # fmt: skip
    fig, ax = plot.figure(width=8.0, height=3.8)
    ax.set(xlim=(-8, 8), ylim=(0, 1.25), xlabel="$x$", ylabel="density")
    artists: dict[str, object] = {}

    def render(view: KLView) -> object:
        if not artists:
            style = dict(animated=True)
            artists["p"] = ax.plot([], [], color=plot.BLUE, lw=2.5, label="P (mixture)", **style)[
                0
            ]
            artists["q"] = ax.plot(
                [], [], color=plot.ORANGE, lw=2.5, label="Q (your Gaussian)", **style
            )[0]
            artists["fwd"] = ax.plot(
                [], [], "--", color=plot.BLUISH_GREEN, lw=1.6, label="Q minimising KL(P‖Q)",
                **style,
            )[0]  # fmt: skip
            artists["rev"] = ax.plot(
                [], [], ":", color=plot.REDDISH_PURPLE, lw=2.2, label="Q minimising KL(Q‖P)",
                **style,
            )[0]  # fmt: skip
            ax.legend(loc="upper right", fontsize=8.5)
            artists["text"] = ax.text(
                0.02, 0.97, "", transform=ax.transAxes, va="top", fontsize=9,
                family="monospace", animated=True,
            )  # fmt: skip
            ax.set_title("KL divergence is not symmetric")
        artists["p"].set_data(view.x, view.p)
        artists["q"].set_data(view.x, view.q)
        for key, (mean, std) in (("fwd", view.forward_best), ("rev", view.reverse_best)):
            line = artists[key]
            if view.show_best:
                line.set_data(view.x, np.exp(_log_normal(view.x, mean, std)))
            else:
                line.set_data([], [])
        text = (
            f"your Q:   KL(P‖Q) = {view.kl_pq:6.3f}            KL(Q‖P) = {view.kl_qp:6.3f}  nats"
        )
        if view.show_best:
            text += (
                f"\nsmallest: KL(P‖Q) = {view.forward_min:6.3f} (dashed)   "
                f"KL(Q‖P) = {view.reverse_min:6.3f} (dotted)"
            )
        artists["text"].set_text(text)
        return fig

    return Demo(
        controls,
        kl_view,
        render,
        "Fitting one Gaussian to two modes: KL(P‖Q) vs KL(Q‖P)",
        static={
            "separation": [float(s) for s in np.arange(0.0, 7.01, 0.5)],
            "weight": [0.2, 0.35, 0.5, 0.65, 0.8],
        },
    )
