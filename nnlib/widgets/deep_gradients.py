r"""Chapter 8's demos: how signals and gradients grow or fade through a deep network.

:func:`gradient_flow` (the syllabus's demo) builds a deep network on a fixed batch of the
digits from the controls (depth, activation, initialisation, residual connections,
normalisation), reads each layer's activation and gradient spread with module hooks, and
trains it for a few steps. :func:`signal_propagation` sends a random batch through 50 random
layers and shows, layer by layer, the spread of the pre-activations going forward and of
the gradients coming back, for any weight scale: a scale that is too small makes both fade
geometrically, one that is too large makes both grow, and only the critical scale
(:math:`1/\sqrt{n}` without activation, :math:`\sqrt{2/n}` with ReLU) keeps them level.

The pure parts (:func:`flow_view`, :func:`propagation_view`) are what the tests call.

Taught in chapter 8 (Vanishing and exploding gradients).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache
from typing import Any

import ipywidgets as widgets
import numpy as np

import nnlib
from nnlib import nn, optim
from nnlib.nn import functional as F
from nnlib.nn import init
from nnlib.plot import BLUE, MUTED, ORANGE, VERMILLION, figure
from nnlib.random import fork_rng
from nnlib.widgets.demo import Demo, register

__all__ = [
    "ACTIVATIONS",
    "INITS",
    "NORMS",
    "gradient_flow",
    "signal_propagation",
]

#: Activations offered by :func:`gradient_flow`.
ACTIVATIONS = {"sigmoid": nn.Sigmoid, "tanh": nn.Tanh, "relu": nn.ReLU}
#: Initialisations offered: PyTorch's default, Xavier (normal), He (normal), N(0, 1).
INITS = ("pytorch default", "xavier", "he", "normal(0, 1)")
#: Normalisations offered, inserted between each hidden Linear and its activation.
NORMS = ("none", "batch norm", "layer norm")
WIDTH = 32
#: SGD steps shown in the loss panel (momentum 0.9, learning rate LR, batches of BATCH).
STEPS, LR, BATCH = 8, 0.05, 128
#: Plotted range of the per-layer spreads; values beyond it are drawn at the edge.
FLOOR, CEILING = 1e-30, 1e20


class _Block(nn.Module):
    """One hidden layer: Linear, optional normalisation, activation; optionally + input."""

    def __init__(self, n_in: int, activation: str, norm: str, residual: bool) -> None:
        super().__init__()
        self.linear = nn.Linear(n_in, WIDTH)
        norms = {"none": nn.Identity, "batch norm": nn.BatchNorm1d, "layer norm": nn.LayerNorm}
        self.norm = norms[norm](WIDTH)
        self.act = ACTIVATIONS[activation]()
        self.skip = nn.Identity() if residual and n_in == WIDTH else None

    def forward(self, x: nnlib.Tensor) -> nnlib.Tensor:
        out = self.act(self.norm(self.linear(x)))
        return out if self.skip is None else self.skip(x) + out


def deep_net(
    depth: int,
    activation: str = "sigmoid",
    init_name: str = "pytorch default",
    residual: bool = False,
    norm: str = "none",
    seed: int = 0,
) -> nn.Sequential:
    """``depth`` hidden blocks of 32 units on the 64 digit pixels, then 10 logits (float64).

    Drawn with its own seed: nnlib's random stream is left where it was.

    Example:
        >>> net = deep_net(3, "relu", "he")
        >>> sum(isinstance(m, nn.Linear) for m in net.modules())
        4
    """
    with fork_rng():
        nnlib.manual_seed(seed)
        blocks = [_Block(64 if k == 0 else WIDTH, activation, norm, residual)
                  for k in range(depth)]  # fmt: skip
        net = nn.Sequential(*blocks, nn.Linear(WIDTH, 10)).double()
        for m in net.modules():
            if isinstance(m, nn.Linear) and init_name != "pytorch default":
                if init_name == "xavier":
                    init.xavier_normal_(m.weight)
                elif init_name == "he":
                    init.kaiming_normal_(m.weight, nonlinearity="relu")
                else:
                    init.normal_(m.weight, 0.0, 1.0)
                init.zeros_(m.bias)
    return net


@cache
def _digits() -> tuple[nnlib.Tensor, nnlib.Tensor]:
    from nnlib.data import load_digits

    X_train, _, y_train, _ = load_digits(standardize=True)
    return X_train.double()[: BATCH * 4], y_train[: BATCH * 4]


@dataclass(frozen=True)
class FlowView:
    """One frame of :func:`gradient_flow`.

    Attributes:
        layers: Layer numbers 1..L (the hidden Linear layers and the output layer).
        act_std: Spread (standard deviation) of each Linear's output :math:`z^{[l]}`.
        grad_std: Spread of :math:`\\partial J/\\partial z^{[l]}` at initialisation.
        losses: Training cost on the batch before each of the first steps (NaN once it
            overflowed).
        title: A one-line summary of the configuration.
        ratio: grad_std of layer 1 over that of layer L.
    """

    layers: np.ndarray
    act_std: np.ndarray
    grad_std: np.ndarray
    losses: np.ndarray
    title: str
    ratio: float


def _layer_stats(net: nn.Module, X: nnlib.Tensor, y: nnlib.Tensor) -> tuple[Any, Any]:
    linears = [m for m in net.modules() if isinstance(m, nn.Linear)]
    acts: list[float] = []
    grads: list[float] = []
    handles = [m.register_forward_hook(lambda m, a, out: acts.append(float(np.std(out.data))))
               for m in linears]  # fmt: skip
    handles += [
        m.register_full_backward_hook(
            lambda m, gin, gout: grads.append(float(np.std(gout[0].data)))
        )
        for m in linears
    ]
    with np.errstate(all="ignore"), nnlib.enable_grad():
        F.cross_entropy(net(X), y).backward()
    for h in handles:
        h.remove()
    return np.array(acts), np.array(grads[::-1])


def flow_view(
    depth: int = 20,
    activation: str = "sigmoid",
    init_name: str = "pytorch default",
    residual: bool = False,
    norm: str = "none",
) -> FlowView:
    """Per-layer spreads at initialisation and the cost over the first SGD steps.

    Example:
        >>> view = flow_view(10, "relu", "he")
        >>> view.act_std.shape, view.losses.shape
        ((11,), (9,))
    """
    X, y = _digits()
    net = deep_net(depth, activation, init_name, residual, norm)
    act_std, grad_std = _layer_stats(net, X[:BATCH], y[:BATCH])
    opt = optim.SGD(net.parameters(), lr=LR, momentum=0.9)
    losses = []
    with np.errstate(all="ignore"):
        for step in range(STEPS + 1):
            k = step % 4
            Xb, yb = X[k * BATCH : (k + 1) * BATCH], y[k * BATCH : (k + 1) * BATCH]
            opt.zero_grad()
            loss = F.cross_entropy(net(Xb), yb)
            losses.append(loss.item())
            if not math.isfinite(losses[-1]) or step == STEPS:
                break
            loss.backward()
            opt.step()
    losses += [math.nan] * (STEPS + 1 - len(losses))
    ratio = float(grad_std[0] / grad_std[-1]) if grad_std[-1] > 0 else math.inf
    parts = [f"{depth} layers", activation, init_name]
    parts += ["residual"] if residual else []
    parts += [norm] if norm != "none" else []
    return FlowView(np.arange(1, len(act_std) + 1), act_std, grad_std, np.array(losses),
                    ", ".join(parts), ratio)  # fmt: skip


def _clip(v: np.ndarray) -> np.ndarray:
    out = np.where(np.isfinite(v), v, CEILING)
    return np.clip(out, FLOOR, CEILING)


@register
def gradient_flow() -> Demo:
    """The syllabus demo: per-layer activation and gradient spreads, and the first steps.

    Returns:
        The :class:`~nnlib.widgets.Demo`; make it the last line of a cell.

    Example:
        >>> demo = gradient_flow()
        >>> demo.controls["activation"].value = "relu"
        >>> demo.data.title.startswith("20 layers, relu")
        True

    Taught in chapter 8 (Vanishing and exploding gradients).
    """
    controls = {
        "depth": widgets.IntSlider(20, min=2, max=30, step=1, description="depth"),
        "activation": widgets.Dropdown(options=list(ACTIVATIONS), value="sigmoid",
                                       description="activation"),
        "init_name": widgets.Dropdown(options=list(INITS), value="pytorch default",
                                      description="init"),
        "residual": widgets.Checkbox(False, description="residual (skip) connections"),
        "norm": widgets.Dropdown(options=list(NORMS), value="none", description="normalise"),
    }  # fmt: skip
    fig, axes = figure(1, 3, width=9.6, height=3.3)
    ax_a, ax_g, ax_l = axes
    (a_line,) = ax_a.plot([], [], "o-", color=BLUE, ms=3, animated=True)
    (g_line,) = ax_g.plot([], [], "o-", color=VERMILLION, ms=3, animated=True)
    (l_line,) = ax_l.plot([], [], "o-", color=ORANGE, ms=3, animated=True)
    for ax in (ax_a, ax_g):
        ax.set(yscale="log", ylim=(FLOOR, CEILING), xlim=(0, 32), xlabel="layer l")
        ax.axhline(1.0, color=MUTED, lw=1, zorder=0)
    ax_a.set_ylabel("std of z^[l] (forward)")
    ax_g.set_ylabel("std of dJ/dz^[l] (backward)")
    ax_l.set(xlim=(-0.3, STEPS + 0.3), ylim=(0, 8), xlabel="SGD step", ylabel="cost J on batch")
    note = ax_l.text(0.5, 0.9, "", transform=ax_l.transAxes, ha="center", fontsize=8,
                     animated=True)  # fmt: skip
    title = fig.suptitle(" ", fontsize=10)
    title.set_animated(True)

    def render(view: FlowView) -> object:
        a_line.set_data(view.layers, _clip(view.act_std))
        g_line.set_data(view.layers, _clip(view.grad_std))
        steps = np.arange(len(view.losses))
        shown = np.clip(view.losses, 0, 7.9)
        l_line.set_data(steps[np.isfinite(shown)], shown[np.isfinite(shown)])
        bad = ~np.isfinite(view.losses)
        if bad.any():
            note.set_text(f"cost overflowed (NaN/inf) at step {int(np.argmax(bad))}")
        elif view.losses[0] > 7.9:
            note.set_text(f"cost starts at {view.losses[0]:.3g} (off the scale)")
        else:
            note.set_text(f"cost {view.losses[0]:.2f} → {view.losses[-1]:.2f}")
        title.set_text(
            f"{view.title}: layer-1 gradient / output-layer gradient = {view.ratio:.1e}"
        )
        return fig

    return Demo(
        controls,
        flow_view,
        render,
        "Gradient flow through a deep network",
        static={"activation": list(ACTIVATIONS), "init_name": list(INITS)},
    )


# ------------------------------------------------------------------ signal propagation
#: Activations offered by :func:`signal_propagation`, with the fraction of the second
#: moment E[φ(z)²]/Var(z) that survives for small z (1 for linear and tanh, 1/2 for ReLU).
PROPAGATION_ACTIVATIONS = {"linear": 1.0, "tanh": 1.0, "relu": 0.5}
PROP_DEPTH, PROP_WIDTH, PROP_BATCH = 50, 100, 200


@dataclass(frozen=True)
class PropagationView:
    """One frame of :func:`signal_propagation`.

    Attributes:
        layers: 1..50.
        forward: std of :math:`z^{[l]}` per layer.
        backward: std of :math:`\\partial J/\\partial z^{[l]}` per layer (a random unit-spread
            gradient enters at the top).
        theory: :math:`s_1 (g^2 c)^{(l-1)/2}`, the small-signal prediction from the measured
            spread :math:`s_1` at layer 1 (c = 1/2 for ReLU).
        gain: The weight std times :math:`\\sqrt{n}`.
        activation: Its name.
    """

    layers: np.ndarray
    forward: np.ndarray
    backward: np.ndarray
    theory: np.ndarray
    gain: float
    activation: str


def propagation_view(gain: float = 1.0, activation: str = "relu") -> PropagationView:
    """Send a batch through 50 random layers of 100 units with weights of std gain/√100.

    Example:
        >>> view = propagation_view(math.sqrt(2), "relu")
        >>> bool(0.2 < view.forward[-1] / view.forward[0] < 5)
        True
    """
    rng = np.random.default_rng(8)
    n = PROP_WIDTH
    phi = {"linear": lambda z: z, "tanh": np.tanh, "relu": lambda z: np.maximum(z, 0.0)}
    dphi = {"linear": lambda z: np.ones_like(z), "tanh": lambda z: 1 - np.tanh(z) ** 2,
            "relu": lambda z: (z > 0).astype(float)}  # fmt: skip
    Ws = rng.normal(0.0, 1.0, size=(PROP_DEPTH, n, n)) * (gain / math.sqrt(n))
    a = rng.normal(size=(PROP_BATCH, n))
    zs, fwd = [], []
    with np.errstate(all="ignore"):
        for W in Ws:
            z = a @ W.T
            zs.append(z)
            fwd.append(np.std(z))
            a = phi[activation](z)
        g = rng.normal(size=(PROP_BATCH, n))  # dJ/da at the top, spread 1
        bwd = []
        for W, z in zip(Ws[::-1], zs[::-1], strict=True):
            delta = g * dphi[activation](z)
            bwd.append(np.std(delta))
            g = delta @ W
    layers = np.arange(1, PROP_DEPTH + 1)
    c = PROPAGATION_ACTIVATIONS[activation]
    theory = fwd[0] * (gain * gain * c) ** ((layers - 1) / 2)
    return PropagationView(layers, np.array(fwd), np.array(bwd[::-1]), theory, gain, activation)


@register
def signal_propagation() -> Demo:
    """Move the weight scale and watch forward signals and backward gradients, layer by layer.

    Returns:
        The :class:`~nnlib.widgets.Demo`; make it the last line of a cell.

    Example:
        >>> demo = signal_propagation()
        >>> demo.controls["gain"].value = 2.0
        >>> demo.data.gain
        2.0

    Taught in chapter 8 (Vanishing and exploding gradients).
    """
    controls = {
        "gain": widgets.FloatSlider(1.0, min=0.5, max=2.0, step=0.01,
                                    description="std·√n", readout_format=".2f"),
        "activation": widgets.Dropdown(options=list(PROPAGATION_ACTIVATIONS), value="relu",
                                       description="activation"),
    }  # fmt: skip
    fig, ax = figure(width=6.4, height=3.6)
    (f_line,) = ax.plot([], [], "o-", color=BLUE, ms=2.5, label="forward: std of z^[l]",
                        animated=True)  # fmt: skip
    (b_line,) = ax.plot([], [], "s-", color=VERMILLION, ms=2.5,
                        label="backward: std of dJ/dz^[l]", animated=True)  # fmt: skip
    (t_line,) = ax.plot([], [], "--", color=ORANGE, lw=1.5,
                        label="theory s₁(g²c)^((l−1)/2), forward", animated=True)  # fmt: skip
    ax.set(yscale="log", ylim=(1e-12, 1e12), xlim=(0, PROP_DEPTH + 1), xlabel="layer l",
           ylabel="spread (log scale)")  # fmt: skip
    ax.axhline(1.0, color=MUTED, lw=1, zorder=0)
    ax.legend(loc="upper left", fontsize=7)
    title = ax.set_title(" ", fontsize=9)
    title.set_animated(True)

    def render(view: PropagationView) -> object:
        f_line.set_data(view.layers, np.clip(view.forward, 1e-13, 1e13))
        b_line.set_data(view.layers, np.clip(view.backward, 1e-13, 1e13))
        t_line.set_data(view.layers, np.clip(view.theory, 1e-13, 1e13))
        t_line.set_visible(view.activation != "tanh")
        c = PROPAGATION_ACTIVATIONS[view.activation]
        factor = view.gain * math.sqrt(c)
        critical = 1 / math.sqrt(c)
        if view.activation == "tanh":
            text = (
                f"tanh, weight std = {view.gain:.2f}/√n: near 0 each layer multiplies the "
                f"spread by ≈ {factor:.2f}; tanh's bend bounds the forward signal"
            )
        else:
            text = (
                f"{view.activation}, weight std = {view.gain:.2f}/√n: each layer multiplies "
                f"the spread by ≈ {factor:.2f} (critical: {critical:.2f}/√n)"
            )
        title.set_text(text)
        return fig

    gains = [0.5, 0.7, 0.8, 0.9, 1.0, 1.1, 1.2, 1.3, 1.41, 1.5, 1.7, 2.0]
    return Demo(
        controls,
        propagation_view,
        render,
        "Signal propagation: the weight scale decides",
        static={"gain": gains, "activation": list(PROPAGATION_ACTIVATIONS)},
    )
