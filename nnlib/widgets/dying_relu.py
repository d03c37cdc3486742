r"""Dying ReLU, live: train a small rectifier network and count the units that die.

A hidden unit is *dead* when its pre-activation :math:`z` is :math:`\le 0` for every example
in the data set: a ReLU unit then outputs 0 everywhere and receives a gradient of exactly 0,
so gradient descent never moves its weights again. The demo trains chapter 3's 2-64-64-1
network (float64) on its 300 spiral points with full-batch Adam in short chunks (at the
defaults, after 300 epochs, it is exactly the chapter's run at lr = 0.1). A learning rate
that is too high, or hidden biases started far below zero, kill units, and the bars show,
for every hidden unit, the fraction of the training points on which it is active
(:math:`z > 0`). With Leaky ReLU or PReLU a unit that is off everywhere still gets a
gradient, so it can come back.

The pure parts (:func:`dying_init`, :func:`dying_step`, :func:`dying_frame`,
:func:`active_fraction`) are tested directly; :func:`dying_relu` wires them to a
:class:`~nnlib.widgets.demo.TrainingDemo`.

Taught in chapter 3 (activation functions and output heads).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import ipywidgets as widgets
import numpy as np

import nnlib
from nnlib import nn
from nnlib.plot import (
    BLUE,
    ORANGE,
    VERMILLION,
    decision_boundary,
    figure,
)
from nnlib.random import fork_rng
from nnlib.widgets.classifier import (
    full_batch_steps,
    grid_probabilities,
    loss_and_accuracy,
    render_from_first_state,
)
from nnlib.widgets.demo import TrainingDemo, register

#: The activations offered, by name.
ACTIVATIONS = {
    "relu": nn.ReLU,
    "leaky_relu": lambda: nn.LeakyReLU(0.01),
    "prelu": nn.PReLU,
}
WIDTH = 64
LIMITS = (-1.2, 1.2)
RESOLUTION = 41
#: Full-batch Adam epochs per Step (one chunk of training).
EPOCHS_PER_STEP = 10


class RectifierNet(nn.Module):
    """2 inputs, two hidden layers of ``width`` units with ``activation``, 1 output (a logit).

    Example:
        >>> import nnlib
        >>> net = RectifierNet("relu")
        >>> X = nnlib.zeros(5, 2, dtype=nnlib.float64)  # the net is float64, like chapter 3's
        >>> net(X).shape, len(net.pre_activations(X))
        ((5,), 2)
    """

    def __init__(self, activation: str, width: int = WIDTH) -> None:
        super().__init__()
        # Drawn in float32 and then converted, in the chapter's order: the same seed gives
        # the same initial weights as the chapter's ``make_net``.
        self.fc1 = nn.Linear(2, width)
        self.act1 = ACTIVATIONS[activation]()
        self.fc2 = nn.Linear(width, width)
        self.act2 = ACTIVATIONS[activation]()
        self.out = nn.Linear(width, 1)
        self.double()

    def forward(self, X: nnlib.Tensor) -> nnlib.Tensor:
        return self.out(self.act2(self.fc2(self.act1(self.fc1(X))))).reshape(-1)

    def pre_activations(self, X: nnlib.Tensor) -> list[np.ndarray]:
        """The pre-activations :math:`Z^{[1]}` and :math:`Z^{[2]}`, each ``(m, width)``."""
        with nnlib.no_grad():
            z1 = self.fc1(X)
            z2 = self.fc2(self.act1(z1))
        return [z1.data, z2.data]


def active_fraction(Z: np.ndarray) -> np.ndarray:
    """For each unit (column of ``Z``), the fraction of examples with :math:`z > 0`.

    A unit with fraction 0 is off on every example: for ReLU, dead.

    Example:
        >>> active_fraction(np.array([[1.0, -1.0], [2.0, 0.0]])).tolist()
        [1.0, 0.0]
    """
    return (np.asarray(Z) > 0).mean(axis=0)


@dataclass
class DyingState:
    """Everything the demo trains and draws."""

    activation: str
    net: RectifierNet
    opt: Any
    X: nnlib.Tensor
    y: nnlib.Tensor
    epoch: int = 0
    losses: list[float] = field(default_factory=list)
    #: ``(epoch, dead in layer 1, dead in layer 2)`` after every chunk, from epoch 0.
    dead_history: list[tuple[int, int, int]] = field(default_factory=list)


_DATA: dict[str, tuple[nnlib.Tensor, nnlib.Tensor]] = {}


def spirals() -> tuple[nnlib.Tensor, nnlib.Tensor]:
    """The demo's data: chapter 3's 300 spiral points (seed 0), in float64."""
    if "spirals" not in _DATA:
        X, y = nnlib.data.make_spirals(300, noise=0.05, seed=0)
        _DATA["spirals"] = (
            nnlib.tensor(X.data, dtype=nnlib.float64),
            nnlib.tensor(y.data, dtype=nnlib.float64),
        )
    return _DATA["spirals"]


def dead_counts(state: DyingState) -> tuple[int, int]:
    """How many units of each hidden layer are off on every training example."""
    z1, z2 = state.net.pre_activations(state.X)
    return int((active_fraction(z1) == 0).sum()), int((active_fraction(z2) == 0).sum())


def dying_init(
    activation: str = "relu", lr: float = 0.1, bias_shift: float = 0.0, seed: int = 0
) -> DyingState:
    """A fresh network, its hidden biases shifted by ``bias_shift``, and an Adam optimizer.

    Args:
        activation: ``'relu'``, ``'leaky_relu'`` (slope 0.01) or ``'prelu'``.
        lr: Adam's learning rate.
        bias_shift: Added to both hidden layers' initial biases (negative: units start off).
        seed: Seed of the initial weights.
    """
    X, y = spirals()
    with fork_rng():  # the demo's own seed must not move the notebook's random stream
        nnlib.manual_seed(int(seed))
        net = RectifierNet(activation)
    for layer in (net.fc1, net.fc2):
        layer.bias.data += float(bias_shift)
    opt = nnlib.optim.Adam(net.parameters(), lr=float(lr))
    state = DyingState(activation, net, opt, X, y)
    state.dead_history.append((0, *dead_counts(state)))
    return state


def dying_step(state: DyingState, epochs: int = EPOCHS_PER_STEP, **controls: Any) -> DyingState:
    """Train ``state`` in place for ``epochs`` full-batch Adam steps, then count the dead.

    ``controls`` are the widget's values; changing any of them restarts from
    :func:`dying_init`, so they are unused here.
    """
    state.losses += full_batch_steps(state.net, state.opt, state.X, state.y, epochs)
    state.epoch += epochs
    state.dead_history.append((state.epoch, *dead_counts(state)))
    return state


def dying_frame(state: DyingState) -> dict[str, Any]:
    """What to draw: class-1 probabilities on a grid, each unit's active fraction, history."""
    probs = grid_probabilities(state.net, LIMITS, RESOLUTION, nnlib.float64)
    loss, accuracy = loss_and_accuracy(state.net, state.X, state.y)
    z1, z2 = state.net.pre_activations(state.X)
    fractions = np.stack([active_fraction(z1), active_fraction(z2)])
    history = np.array(state.dead_history, dtype=float)
    return {
        "probs": probs,
        "fractions": fractions,  # (2, WIDTH)
        "dead": tuple(int(d) for d in (fractions == 0).sum(axis=1)),
        "history": history,  # (chunks + 1, 3): epoch, dead 1, dead 2
        "accuracy": accuracy,
        "loss": loss,
        "epoch": state.epoch,
    }


class _Renderer:
    """One figure made once; each frame changes only the data of its animated artists."""

    def __init__(self, state: DyingState) -> None:
        self.fig, axes = figure(1, 3, width=11.5, height=3.6)
        self.ax_data, self.ax_units, self.ax_hist = axes
        frame = dying_frame(state)
        self.boundary = decision_boundary(
            self.ax_data, frame["probs"], state.X, state.y, xlim=LIMITS, ylim=LIMITS,
            resolution=RESOLUTION, animated=True,
        )  # fmt: skip
        self.ax_data.legend().remove()
        positions = np.concatenate([np.arange(WIDTH), WIDTH + 2 + np.arange(WIDTH)])
        self.bars = self.ax_units.bar(
            positions, np.zeros(2 * WIDTH), width=0.8, color=BLUE, animated=True
        )
        (self.dead_marks,) = self.ax_units.plot(
            [], [], "x", color=VERMILLION, markersize=5, mew=1.5, animated=True, label="dead"
        )
        self.ax_units.set(
            ylim=(0, 1.05), xlim=(-1, 2 * WIDTH + 2), ylabel="fraction of points with $z > 0$"
        )
        self.ax_units.set_xticks([WIDTH / 2 - 0.5, WIDTH + 1.5 + WIDTH / 2])
        self.ax_units.set_xticklabels(["layer 1 units", "layer 2 units"])
        self.ax_units.tick_params(axis="x", length=0)
        self.ax_units.grid(False, axis="x")
        self.positions = positions
        (self.line1,) = self.ax_hist.plot([], [], color=BLUE, label="layer 1", animated=True)
        (self.line2,) = self.ax_hist.plot(
            [], [], color=ORANGE, linestyle="--", label="layer 2", animated=True
        )
        self.ax_hist.set(
            xlabel="epoch",
            ylabel=f"dead units per layer (of {WIDTH})",
            ylim=(-1, WIDTH + 1),
            xlim=(0, 50),
        )
        self.ax_hist.legend(loc="upper left").set_animated(True)
        for ax in (self.ax_units, self.ax_hist, self.ax_data):
            ax.set_title(" ", fontsize=9)
            ax.title.set_animated(True)

    def __call__(self, state: DyingState) -> Any:
        frame = dying_frame(state)
        self.boundary.update(frame["probs"])
        heights = frame["fractions"].reshape(-1)
        for bar, h in zip(self.bars, heights, strict=True):
            bar.set_height(h)
            bar.set_color(BLUE)
        dead = heights == 0
        self.dead_marks.set_data(self.positions[dead], np.full(dead.sum(), 0.03))
        hist = frame["history"]
        self.line1.set_data(hist[:, 0], hist[:, 1])
        self.line2.set_data(hist[:, 0], hist[:, 2])
        right = max(50, int(np.ceil(frame["epoch"] / 50)) * 50)
        if self.ax_hist.get_xlim()[1] != right:
            self.ax_hist.set_xlim(0, right)
        self.ax_data.title.set_text(
            f"epoch {frame['epoch']} · loss {frame['loss']:.3f} · "
            f"accuracy {100 * frame['accuracy']:.0f} %"
        )
        d1, d2 = frame["dead"]
        self.ax_units.title.set_text(f"off on every point (×): {d1} + {d2} (of {WIDTH} per layer)")
        lr = state.opt.param_groups[0]["lr"]  # shown: a new lr restarts from epoch 0
        self.ax_hist.title.set_text(f"{state.activation}, Adam lr {lr:.3f}: dead units")
        return self.fig


@register
def dying_relu(
    activation: str = "relu",
    lr: float = 0.1,
    bias_shift: float = 0.0,
    seed: int = 0,
    warmup: int = 0,
) -> TrainingDemo:
    """The demo: activation, Adam's learning rate, a shift of the hidden biases, a seed.

    Play/Step train 10 epochs per tick; any control change restarts from scratch.

    Args:
        activation: Initial activation (``'relu'``, ``'leaky_relu'``, ``'prelu'``).
        lr: Initial learning rate (0.001 to 0.3, log scale).
        bias_shift: Initial shift of the hidden biases (-3 to 1).
        seed: Initial seed of the weights (0 to 9).
        warmup: Steps trained before the first frame (so the page shows a trained net).

    Returns:
        A :class:`~nnlib.widgets.demo.TrainingDemo`; end the cell with it.

    Example:
        >>> demo = dying_relu()
        >>> demo.tick(); demo.data.epoch
        10

    Taught in chapter 3 (activation functions and output heads).
    """
    wide = {"description_width": "initial"}
    controls = {
        "activation": widgets.Dropdown(
            options=list(ACTIVATIONS), value=activation, description="activation", style=wide
        ),
        "lr": widgets.FloatLogSlider(
            value=lr,
            base=10,
            min=-3,
            max=-0.5,
            step=0.25,
            description="Adam lr",
            readout_format=".3f",
            style=wide,
        ),
        "bias_shift": widgets.FloatSlider(
            value=bias_shift, min=-3.0, max=1.0, step=0.25, description="bias shift", style=wide
        ),
        "seed": widgets.IntSlider(seed, min=0, max=9, description="seed", style=wide),
    }
    render = render_from_first_state(_Renderer)
    demo = TrainingDemo(controls, dying_init, dying_step, render,
                        title="Dying ReLU: which units are still alive?",
                        static={"activation": list(ACTIVATIONS)}, static_steps=(16, 2),
                        step_label=lambda ticks: f"{EPOCHS_PER_STEP * ticks} epochs")  # fmt: skip
    for _ in range(warmup):
        demo.tick()
    return demo
