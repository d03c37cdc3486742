r"""Chapter 7's demos: dropout and weight decay on a few noisy points, and dropout as an ensemble.

Both demos fit a small network :math:`1 \to H \to H \to 1` (ReLU, dropout after each hidden
layer) to a dozen noisy samples of :math:`\sin \pi x`, with AdamW on the whole batch. The
training is written out in NumPy (forward, backward, AdamW with PyTorch's conventions), so a
whole run takes a few tens of milliseconds and a control can retrain from scratch while you
watch:

- :func:`regularization_playground`: move the dropout rate :math:`p` and the weight decay
  :math:`\lambda`; the fitted function and the train and validation curves update.
- :func:`polynomial_fit`: the degree of a polynomial and the number of points it is fitted
  to, with training and validation error for every degree.
- :func:`dropout_ensemble`: a network trained with dropout is an ensemble of the
  sub-networks its masks select. Sample :math:`K` of them, average their predictions
  (Monte-Carlo dropout) and compare with the one evaluation-mode network (the weight-scaling
  rule).

:func:`fit_sine` and :func:`ensemble_view` are the pure functions the tests call.

Taught in chapter 7 (dropout and regularization).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import ipywidgets as widgets
import numpy as np

from nnlib import plot
from nnlib.widgets.demo import Demo, register

#: Hidden width, training steps, points and the AdamW learning rate of every fit.
HIDDEN, STEPS, LR = 64, 800, 0.02
N_TRAIN, N_VAL, NOISE = 12, 40, 0.3
#: Steps between two points of the training curves.
EVERY = 20
GRID = np.linspace(-1.0, 1.0, 121)


def _sine_points() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(3)
    x_tr = np.sort(rng.uniform(-1, 1, N_TRAIN))
    x_va = np.sort(rng.uniform(-1, 1, N_VAL))
    y_tr = np.sin(np.pi * x_tr) + NOISE * rng.normal(size=N_TRAIN)
    y_va = np.sin(np.pi * x_va) + NOISE * rng.normal(size=N_VAL)
    return x_tr, y_tr, x_va, y_va


#: The demo's data: a dozen training points and 40 validation points (fixed seed).
X_TRAIN, Y_TRAIN, X_VAL, Y_VAL = _sine_points()


def _init(seed: int) -> list[np.ndarray]:
    """PyTorch's default ``Linear`` init: U(-1/sqrt(n_in), 1/sqrt(n_in)) for W and b."""
    rng = np.random.default_rng(seed)
    params = []
    for n_in, n_out in ((1, HIDDEN), (HIDDEN, HIDDEN), (HIDDEN, 1)):
        bound = 1 / np.sqrt(n_in)
        params.append(rng.uniform(-bound, bound, (n_out, n_in)))
        params.append(rng.uniform(-bound, bound, n_out))
    return params


def _views(flat: np.ndarray) -> list[np.ndarray]:
    """``[W1, b1, W2, b2, W3, b3]`` as views into one flat vector (one Adam update for all)."""
    views, start = [], 0
    for n_in, n_out in ((1, HIDDEN), (HIDDEN, HIDDEN), (HIDDEN, 1)):
        views.append(flat[start : start + n_out * n_in].reshape(n_out, n_in))
        start += n_out * n_in
        views.append(flat[start : start + n_out])
        start += n_out
    return views


def predict(params: list[np.ndarray], x: np.ndarray, masks: tuple = (None, None)) -> np.ndarray:
    """The network's output at ``x`` (shape ``(n,)``), with optional dropout masks.

    A mask is already scaled (kept units hold :math:`1/(1-p)`), shape ``(n, HIDDEN)`` or
    ``(HIDDEN,)`` for one sub-network applied to every input; ``None`` means evaluation mode.
    """
    W1, b1, W2, b2, W3, b3 = params
    a1 = np.maximum(x[:, None] @ W1.T + b1, 0.0)
    if masks[0] is not None:
        a1 = a1 * masks[0]
    a2 = np.maximum(a1 @ W2.T + b2, 0.0)
    if masks[1] is not None:
        a2 = a2 * masks[1]
    return (a2 @ W3.T + b3)[:, 0]


@dataclass(frozen=True)
class Fit:
    r"""One training run.

    Attributes:
        params: The trained ``[W1, b1, W2, b2, W3, b3]``.
        steps: The steps at which the curves were measured.
        train_mse: Training MSE (evaluation mode, no dropout) at each of ``steps``.
        val_mse: Validation MSE at each of ``steps``.
        curve: The fitted function on :data:`GRID`.
        p: Dropout rate.
        weight_decay: AdamW's decoupled weight decay :math:`\lambda`.
    """

    params: list[np.ndarray]
    steps: np.ndarray
    train_mse: np.ndarray
    val_mse: np.ndarray
    curve: np.ndarray
    p: float
    weight_decay: float


@functools.lru_cache(maxsize=128)
def fit_sine(p: float = 0.0, weight_decay: float = 0.0, seed: int = 0) -> Fit:
    r"""Train the :math:`1 \to 64 \to 64 \to 1` ReLU network on the demo's 12 points.

    Results are cached: the demo computes its whole grid of controls once, when it is built,
    so moving a control only redraws.

    Full-batch AdamW (``lr=0.02``, PyTorch's betas and eps, decay
    :math:`\theta \leftarrow \theta(1-\eta\lambda)` on every weight and bias, as
    ``torch.optim.AdamW`` does by default) for 800 steps on the MSE, with inverted dropout
    of rate ``p`` after each hidden layer while training. Everything is seeded, so the same
    arguments give the same run (and a cached result).

    Args:
        p: Dropout rate in ``[0, 1)``.
        weight_decay: :math:`\lambda \ge 0`.
        seed: Seeds the initial weights and the dropout masks.

    Returns:
        A :class:`Fit`.

    Example:
        >>> fit = fit_sine(0.0, 0.0)
        >>> bool(fit.train_mse[-1] < 0.01 < fit.val_mse[-1])  # it memorises the 12 points
        True
    """
    if not 0.0 <= p < 1.0 or weight_decay < 0:
        raise ValueError(
            f"fit_sine: expected 0 <= p < 1 and weight_decay >= 0, got p={p!r}, "
            f"weight_decay={weight_decay!r}.\nhelp: p is a drop probability such as 0.2."
        )
    flat = np.concatenate([t.ravel() for t in _init(seed)])
    params = _views(flat)
    rng = np.random.default_rng(seed + 1000)
    m, v = np.zeros_like(flat), np.zeros_like(flat)
    grad = np.zeros_like(flat)
    grads = _views(grad)
    beta1, beta2, eps = 0.9, 0.999, 1e-8
    x, y = X_TRAIN[:, None], Y_TRAIN
    n = len(y)
    keep = 1 - p
    record_steps, tr, va = [], [], []
    for step in range(STEPS + 1):
        if step % EVERY == 0:
            record_steps.append(step)
            tr.append(np.mean((predict(params, X_TRAIN) - Y_TRAIN) ** 2))
            va.append(np.mean((predict(params, X_VAL) - Y_VAL) ** 2))
        if step == STEPS:
            break
        W1, b1, W2, b2, W3, b3 = params
        z1 = x @ W1.T + b1
        d1 = (z1 > 0) * ((rng.random(z1.shape) >= p) / keep if p > 0 else 1.0)
        h1 = z1 * d1  # ReLU and dropout in one mask
        z2 = h1 @ W2.T + b2
        d2 = (z2 > 0) * ((rng.random(z2.shape) >= p) / keep if p > 0 else 1.0)
        h2 = z2 * d2
        g_out = (2.0 / n) * ((h2 @ W3.T)[:, 0] + b3 - y)[:, None]
        gW1, gb1, gW2, gb2, gW3, gb3 = grads
        gW3[...] = g_out.T @ h2
        gb3[...] = g_out.sum(0)
        g_z2 = (g_out @ W3) * d2
        gW2[...] = g_z2.T @ h1
        gb2[...] = g_z2.sum(0)
        g_z1 = (g_z2 @ W2) * d1
        gW1[...] = g_z1.T @ x
        gb1[...] = g_z1.sum(0)
        t = step + 1
        flat *= 1 - LR * weight_decay  # AdamW: decoupled decay, then the Adam step
        m *= beta1
        m += (1 - beta1) * grad
        v *= beta2
        v += (1 - beta2) * grad * grad
        flat -= (LR / (1 - beta1**t)) * m / (np.sqrt(v / (1 - beta2**t)) + eps)
    return Fit(
        [t.copy() for t in params],
        np.array(record_steps),
        np.array(tr),
        np.array(va),
        predict(params, GRID),
        p,
        weight_decay,
    )


#: The values the website offers (a product of the two: 30 frames).
PLAYGROUND_P = (0.0, 0.1, 0.2, 0.3, 0.5)
PLAYGROUND_WD = (0.0, 0.1, 0.3, 1.0, 3.0, 10.0)


def _draw_points(ax: object) -> None:
    ax.plot(GRID, np.sin(np.pi * GRID), color=plot.MUTED, lw=1.5, ls="--", label=r"$\sin \pi x$")
    ax.scatter(X_TRAIN, Y_TRAIN, s=22, color=plot.BLUE, label="train (12)", zorder=3)
    ax.scatter(
        X_VAL, Y_VAL, s=12, color=plot.ORANGE, marker="s", label="validation (40)", zorder=2
    )
    ax.set_xlim(-1.05, 1.05)
    ax.set_ylim(-2.0, 2.0)
    ax.set_xlabel("input $x$")
    ax.set_ylabel("output $y$")


@register
def regularization_playground() -> Demo:
    """Dropout rate and weight decay on a network fitting 12 noisy points.

    Returns:
        The :class:`~nnlib.widgets.Demo`; make it the last line of a cell.

    Example:
        >>> demo = regularization_playground()
        >>> demo.controls["p"].value = 0.3
        >>> demo.data.p
        0.3

    Taught in chapter 7 (dropout and regularization).
    """
    controls = {
        "p": widgets.SelectionSlider(
            options=list(PLAYGROUND_P), value=0.0, description="dropout p"
        ),
        "weight_decay": widgets.SelectionSlider(
            options=list(PLAYGROUND_WD), value=0.0, description="weight decay λ"
        ),
    }
    fig, (ax_f, ax_c) = plot.figure(1, 2, width=8.4, height=3.4)
    with plot.style():
        _draw_points(ax_f)
        (fit_line,) = ax_f.plot([], [], color=plot.VERMILLION, lw=2.2, label="network")
        ax_f.legend(loc="upper left", fontsize=6.5)
        (tr_line,) = ax_c.plot([], [], color=plot.BLUE, lw=2, label="train MSE")
        (va_line,) = ax_c.plot([], [], color=plot.ORANGE, lw=2, label="validation MSE")
        ax_c.plot([0, STEPS], [NOISE**2] * 2, color=plot.MUTED, ls=":", label="noise variance")
        ax_c.set_yscale("log")
        ax_c.set_xlim(0, STEPS)
        ax_c.set_ylim(1e-4, 3.0)
        ax_c.set_xlabel("training step")
        ax_c.set_ylabel("MSE (evaluation mode)")
        ax_c.legend(loc="lower left", fontsize=7)
        title = fig.suptitle(" ", fontsize=9)
    for artist in (fit_line, tr_line, va_line, title):
        artist.set_animated(True)

    def render(fit: Fit) -> object:
        fit_line.set_data(GRID, fit.curve)
        tr_line.set_data(fit.steps, np.maximum(fit.train_mse, 1e-4))
        va_line.set_data(fit.steps, fit.val_mse)
        title.set_text(
            f"p = {fit.p:.1f}, λ = {fit.weight_decay:g}: train MSE {fit.train_mse[-1]:.3f}, "
            f"validation MSE {fit.val_mse[-1]:.3f}"
        )
        return fig

    for p in PLAYGROUND_P:  # train every combination once: moving a control only redraws
        for weight_decay in PLAYGROUND_WD:
            fit_sine(p, weight_decay)
    return Demo(
        controls,
        lambda p, weight_decay: fit_sine(float(p), float(weight_decay)),
        render,
        "Dropout and weight decay on 12 noisy points",
        static={"p": list(PLAYGROUND_P), "weight_decay": list(PLAYGROUND_WD)},
    )


# ------------------------------------------------------------------ dropout as an ensemble
ENSEMBLE_P = (0.1, 0.3, 0.5)
ENSEMBLE_K = (1, 2, 3, 5, 8, 12, 20, 30, 50, 100)
#: How many sampled sub-networks the picture draws (the average uses all K).
SHOWN = 12


@dataclass(frozen=True)
class EnsembleView:
    """One frame of :func:`dropout_ensemble`.

    Attributes:
        p: Dropout rate the network was trained with.
        k: Number of sampled sub-networks averaged.
        members: The first ``min(k, SHOWN)`` sub-networks' curves on :data:`GRID`.
        mc_curve: The average of all ``k`` sub-networks (Monte-Carlo dropout).
        scaled_curve: The evaluation-mode network (the weight-scaling rule).
        ks: ``1 … k``.
        mc_val: Validation MSE of the average of the first ``j`` sub-networks, ``j`` in ``ks``.
        scaled_val: Validation MSE of the evaluation-mode network.
        gap: Largest distance on :data:`GRID` between ``mc_curve`` and ``scaled_curve``.
    """

    p: float
    k: int
    members: np.ndarray
    mc_curve: np.ndarray
    scaled_curve: np.ndarray
    ks: np.ndarray
    mc_val: np.ndarray
    scaled_val: float
    gap: float


def ensemble_view(p: float = 0.3, k: int = 12) -> EnsembleView:
    """Average ``k`` sub-networks of the network trained with dropout ``p`` (no decay).

    Sub-network ``j`` keeps each hidden unit with probability :math:`1-p` (one mask per
    sub-network, used for every input, drawn from a fixed seed), scaled as in training.

    Args:
        p: One of :data:`ENSEMBLE_P` (or any rate in ``(0, 1)``; it trains on first use).
        k: Number of sub-networks, at least 1.

    Returns:
        An :class:`EnsembleView`.

    Example:
        >>> view = ensemble_view(0.3, 100)
        >>> bool(view.mc_val[-1] < 2 * view.scaled_val)
        True
    """
    if not 0.0 < p < 1.0 or int(k) < 1:
        raise ValueError(
            f"ensemble_view: expected 0 < p < 1 and k >= 1, got p={p!r}, k={k!r}.\n"
            "help: pass a dropout rate such as 0.3 and a number of sub-networks such as 10."
        )
    k = int(k)
    params = fit_sine(float(p), 0.0).params
    rng = np.random.default_rng(77)
    scale = 1 / (1 - p)
    grid_preds, val_preds = [], []
    for _ in range(k):
        masks = ((rng.random(HIDDEN) >= p) * scale, (rng.random(HIDDEN) >= p) * scale)
        grid_preds.append(predict(params, GRID, masks))
        val_preds.append(predict(params, X_VAL, masks))
    grid_arr, val_arr = np.array(grid_preds), np.array(val_preds)
    running = np.cumsum(val_arr, axis=0) / np.arange(1, k + 1)[:, None]
    mc_val = np.mean((running - Y_VAL) ** 2, axis=1)
    scaled = predict(params, GRID)
    mc_curve = grid_arr.mean(0)
    return EnsembleView(
        float(p),
        k,
        grid_arr[:SHOWN],
        mc_curve,
        scaled,
        np.arange(1, k + 1),
        mc_val,
        float(np.mean((predict(params, X_VAL) - Y_VAL) ** 2)),
        float(np.max(np.abs(mc_curve - scaled))),
    )


@register
def dropout_ensemble() -> Demo:
    """Sample sub-networks of a dropout network and average them; compare with eval mode.

    Returns:
        The :class:`~nnlib.widgets.Demo`; make it the last line of a cell.

    Example:
        >>> demo = dropout_ensemble()
        >>> demo.controls["k"].value = 5
        >>> demo.data.members.shape
        (5, 121)

    Taught in chapter 7 (dropout and regularization).
    """
    controls = {
        "p": widgets.SelectionSlider(
            options=list(ENSEMBLE_P), value=0.3, description="trained with p"
        ),
        "k": widgets.SelectionSlider(
            options=list(ENSEMBLE_K), value=12, description="sub-networks K"
        ),
    }
    fig, (ax_f, ax_c) = plot.figure(1, 2, width=8.4, height=3.4)
    with plot.style():
        _draw_points(ax_f)
        member_lines = [
            ax_f.plot([], [], color=plot.SKY_BLUE, lw=0.8, alpha=0.6)[0] for _ in range(SHOWN)
        ]
        member_lines[0].set_label("sampled sub-networks")
        (mc_line,) = ax_f.plot([], [], color=plot.BLUE, lw=2.4, label="average of K (MC)")
        (scaled_line,) = ax_f.plot(
            [], [], color=plot.VERMILLION, lw=1.8, ls="--", label="eval mode (weight scaling)"
        )
        ax_f.legend(loc="upper left", fontsize=6.5)
        (mc_val_line,) = ax_c.plot(
            [], [], color=plot.BLUE, lw=2, marker="o", ms=2.5, label="average of the first k"
        )
        (scaled_val_line,) = ax_c.plot(
            [], [], color=plot.VERMILLION, lw=1.8, ls="--", label="eval mode"
        )
        ax_c.set_xscale("log")
        ax_c.set_xlim(0.9, 110)
        ax_c.set_ylim(0.0, 0.6)
        ax_c.set_xlabel("sub-networks averaged $k$")
        ax_c.set_ylabel("validation MSE")
        ax_c.legend(loc="upper right", fontsize=7)
        title = fig.suptitle(" ", fontsize=9)
    animated = [*member_lines, mc_line, scaled_line, mc_val_line, scaled_val_line, title]
    for artist in animated:
        artist.set_animated(True)

    def render(view: EnsembleView) -> object:
        for j, line in enumerate(member_lines):
            if j < len(view.members):
                line.set_data(GRID, view.members[j])
            else:
                line.set_data([], [])
        mc_line.set_data(GRID, view.mc_curve)
        scaled_line.set_data(GRID, view.scaled_curve)
        mc_val_line.set_data(view.ks, view.mc_val)
        scaled_val_line.set_data([0.9, 110], [view.scaled_val] * 2)
        title.set_text(
            f"trained with p = {view.p:.1f}, K = {view.k}: validation MSE "
            f"{view.mc_val[-1]:.3f} (average) vs {view.scaled_val:.3f} (eval mode)"
        )
        return fig

    return Demo(
        controls,
        lambda p, k: ensemble_view(float(p), int(k)),
        render,
        "Dropout as an ensemble: sampled sub-networks vs the evaluation-mode network",
        static={"p": list(ENSEMBLE_P), "k": list(ENSEMBLE_K)},
    )


# ----------------------------------------------------------------- polynomial degree
POLY_DEGREES = tuple(range(1, 10))
POLY_SIZES = (10, 20, 40)


def _poly_points() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(11)
    x = rng.uniform(-1, 1, max(POLY_SIZES))
    xv = rng.uniform(-1, 1, 200)
    return (
        x,
        np.sin(np.pi * x) + NOISE * rng.normal(size=x.size),
        xv,
        np.sin(np.pi * xv) + NOISE * rng.normal(size=xv.size),
    )


POLY_X, POLY_Y, POLY_XV, POLY_YV = _poly_points()


@dataclass(frozen=True)
class PolyView:
    """One frame of :func:`polynomial_fit`.

    Attributes:
        degree: The polynomial's degree.
        n: Number of training points (the first ``n`` of :data:`POLY_X`).
        curve: The fitted polynomial on :data:`GRID`.
        train_mse: Training MSE for each degree in :data:`POLY_DEGREES`.
        val_mse: Validation MSE (200 fresh points) for each degree.
    """

    degree: int
    n: int
    curve: np.ndarray
    train_mse: np.ndarray
    val_mse: np.ndarray


def poly_view(degree: int = 3, n: int = 10) -> PolyView:
    """Least-squares polynomials of degree 1–9 on the first ``n`` noisy sine points.

    Example:
        >>> view = poly_view(9, 10)
        >>> bool(view.train_mse[-1] < view.train_mse[0] and view.val_mse[-1] > view.val_mse[2])
        True
    """
    if int(degree) not in POLY_DEGREES or int(n) < 2 or int(n) > len(POLY_X):
        raise ValueError(
            f"poly_view: expected a degree in 1..9 and 2 <= n <= {len(POLY_X)}, got "
            f"degree={degree!r}, n={n!r}.\nhelp: pass degree=3, n=10 for example."
        )
    degree, n = int(degree), int(n)
    x, y = POLY_X[:n], POLY_Y[:n]
    tr, va, curve = [], [], GRID
    for d in POLY_DEGREES:
        coefs = np.polyfit(x, y, d)
        tr.append(np.mean((np.polyval(coefs, x) - y) ** 2))
        va.append(np.mean((np.polyval(coefs, POLY_XV) - POLY_YV) ** 2))
        if d == degree:
            curve = np.polyval(coefs, GRID)
    return PolyView(degree, n, curve, np.array(tr), np.array(va))


@register
def polynomial_fit() -> Demo:
    """Move the degree of a polynomial fitted to noisy sine points, and the number of points.

    Returns:
        The :class:`~nnlib.widgets.Demo`; make it the last line of a cell.

    Example:
        >>> demo = polynomial_fit()
        >>> demo.controls["degree"].value = 9
        >>> demo.data.degree
        9

    Taught in chapter 7 (dropout and regularization).
    """
    controls = {
        "degree": widgets.IntSlider(value=3, min=1, max=9, description="degree"),
        "n": widgets.SelectionSlider(
            options=list(POLY_SIZES), value=10, description="train points"
        ),
    }
    fig, (ax_f, ax_c) = plot.figure(1, 2, width=8.4, height=3.4)
    with plot.style():
        ax_f.plot(GRID, np.sin(np.pi * GRID), color=plot.MUTED, lw=1.5, ls="--",
                  label=r"$\sin \pi x$")  # fmt: skip
        points = ax_f.scatter([], [], s=20, color=plot.BLUE, label="train", zorder=3)
        (fit_line,) = ax_f.plot([], [], color=plot.VERMILLION, lw=2.2, label="polynomial")
        ax_f.set(xlim=(-1.05, 1.05), ylim=(-2.0, 2.0), xlabel="input $x$", ylabel="output $y$")
        ax_f.legend(loc="lower right", fontsize=7)
        (tr_line,) = ax_c.plot([], [], "o-", color=plot.BLUE, ms=3, label="train MSE")
        (va_line,) = ax_c.plot([], [], "s-", color=plot.ORANGE, ms=3, label="validation MSE")
        marker = ax_c.axvline(3, color=plot.VERMILLION, ls=":", lw=1.5)
        ax_c.axhline(NOISE**2, color=plot.MUTED, ls="--", lw=1, label="noise variance")
        ax_c.set(xlim=(0.5, 9.5), ylim=(1e-4, 1e3), yscale="log", xlabel="degree",
                 ylabel="MSE")  # fmt: skip
        ax_c.legend(loc="upper left", fontsize=7)
        title = fig.suptitle(" ", fontsize=9)
    for artist in (points, fit_line, tr_line, va_line, marker, title):
        artist.set_animated(True)

    def render(view: PolyView) -> object:
        points.set_offsets(np.column_stack([POLY_X[: view.n], POLY_Y[: view.n]]))
        fit_line.set_data(GRID, view.curve)
        tr_line.set_data(POLY_DEGREES, np.maximum(view.train_mse, 1e-4))
        va_line.set_data(POLY_DEGREES, view.val_mse)
        marker.set_xdata([view.degree, view.degree])
        k = view.degree - 1
        title.set_text(
            f"degree {view.degree}, {view.n} points: train MSE {view.train_mse[k]:.3f}, "
            f"validation MSE {view.val_mse[k]:.3f}"
        )
        return fig

    return Demo(
        controls,
        lambda degree, n: poly_view(int(degree), int(n)),
        render,
        "Polynomial degree and the number of points",
        static={"degree": list(POLY_DEGREES), "n": list(POLY_SIZES)},
    )
