r"""XOR and the hidden layer: slide the number of hidden units, train, and watch the boundary.

With 0 hidden units the network is one sigmoid neuron, whose boundary is a straight line,
and XOR stays unsolved however long it trains. With hidden units each hidden neuron draws
its own line (dashed), and the output neuron combines the half-planes they detect into a
region no single line could make. The pure parts (:func:`xor_init`, :func:`xor_step`,
:func:`xor_frame`) are tested directly; :func:`xor_hidden_layer` wires them to a
:class:`~nnlib.widgets.demo.TrainingDemo`.

Taught in chapter 1 (the perceptron).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import ipywidgets as widgets
import numpy as np

import nnlib
from nnlib import nn
from nnlib.plot import PALETTE, decision_boundary, figure
from nnlib.widgets.classifier import (
    full_batch_steps,
    grid_probabilities,
    loss_and_accuracy,
    render_from_first_state,
)
from nnlib.widgets.demo import TrainingDemo, register

#: The box the demo shows, and its grid resolution.
LIMITS = (-1.3, 1.3)
RESOLUTION = 41
#: Full-batch gradient-descent epochs per Step (one chunk of training).
EPOCHS_PER_STEP = 25
LR = 1.0


class XorNet(nn.Module):
    """``hidden`` tanh units between the 2 inputs and 1 output; ``hidden=0``: one neuron.

    Example:
        >>> import nnlib
        >>> XorNet(3)(nnlib.zeros(5, 2)).shape
        (5,)
    """

    def __init__(self, hidden: int) -> None:
        super().__init__()
        self.hidden = nn.Linear(2, hidden) if hidden else None
        self.output = nn.Linear(hidden if hidden else 2, 1)

    def forward(self, X: nnlib.Tensor) -> nnlib.Tensor:
        a = nnlib.tanh(self.hidden(X)) if self.hidden is not None else X
        return self.output(a).reshape(-1)  # logits, shape (m,)


@dataclass
class XorState:
    """Everything the demo trains and draws."""

    hidden: int
    net: XorNet
    opt: Any
    X: nnlib.Tensor
    y: nnlib.Tensor
    epoch: int = 0
    losses: list[float] = field(default_factory=list)


_DATA: dict[str, tuple[nnlib.Tensor, nnlib.Tensor]] = {}


def xor_data() -> tuple[nnlib.Tensor, nnlib.Tensor]:
    """The demo's XOR points (200, seed 0), made once; ``y`` as float32 targets."""
    if "xor" not in _DATA:
        X, y = nnlib.data.make_xor(200, noise=0.05, seed=0)
        _DATA["xor"] = (X, nnlib.tensor(y.data, dtype=nnlib.float32))
    return _DATA["xor"]


def xor_init(hidden: int = 3, seed: int = 0) -> XorState:
    r"""A fresh network with ``hidden`` tanh units (0: a single neuron), seeded by ``seed``.

    The weights come from the demo's own generator, with PyTorch's default ranges
    :math:`U(-1/\sqrt{\text{in}}, 1/\sqrt{\text{in}})`; nnlib's global generator is left
    exactly as it was, so moving a slider never changes the random numbers of the notebook.
    """
    X, y = xor_data()
    generator = nnlib.random.default_generator()
    saved = generator.bit_generator.state
    try:
        net = XorNet(int(hidden))  # the layers draw from nnlib's generator ...
    finally:
        generator.bit_generator.state = saved  # ... which is put back as it was
    rng = np.random.default_rng(seed)
    for layer in (net.hidden, net.output):
        if layer is not None:
            bound = 1.0 / np.sqrt(layer.in_features)
            nn.init.uniform_(layer.weight, -bound, bound, generator=rng)
            nn.init.uniform_(layer.bias, -bound, bound, generator=rng)
    opt = nnlib.optim.SGD(net.parameters(), lr=LR)
    return XorState(int(hidden), net, opt, X, y)


def xor_step(
    state: XorState, hidden: int = 3, seed: int = 0, epochs: int = EPOCHS_PER_STEP
) -> XorState:
    """Train ``state`` in place for ``epochs`` full-batch gradient-descent steps.

    ``hidden`` and ``seed`` are the controls' values (a change of either restarts from
    :func:`xor_init` instead, so they are unused here).
    """
    state.losses += full_batch_steps(state.net, state.opt, state.X, state.y, epochs)
    state.epoch += epochs
    return state


def xor_frame(state: XorState) -> dict[str, Any]:
    """What to draw: class-1 probabilities on the grid, the hidden lines, the accuracy."""
    probs = grid_probabilities(state.net, LIMITS, RESOLUTION, nnlib.float32)
    loss, accuracy = loss_and_accuracy(state.net, state.X, state.y)
    lines = []
    if state.net.hidden is not None:
        W, b = state.net.hidden.weight.data, state.net.hidden.bias.data
        lines = [(W[k].astype(float), float(b[k])) for k in range(len(b))]
    return {"probs": probs, "lines": lines, "accuracy": accuracy, "loss": loss,
            "epoch": state.epoch}  # fmt: skip


def _line_points(w: np.ndarray, b: float) -> tuple[np.ndarray, np.ndarray]:
    """Two far-apart points of the line ``w·x + b = 0`` (for drawing, clipped by the axes)."""
    norm = float(np.hypot(*w)) or 1.0
    foot = -b * w / norm**2  # the point of the line closest to the origin
    along = np.array([-w[1], w[0]]) / norm
    ends = np.stack([foot - 5 * along, foot + 5 * along])
    return ends[:, 0], ends[:, 1]


class _Renderer:
    """One figure, drawn once; each frame changes only the data of its animated artists."""

    def __init__(self, state: XorState) -> None:
        self.fig, self.ax = figure(width=5.0, height=4.2)
        frame = xor_frame(state)
        self.boundary = decision_boundary(
            self.ax,
            frame["probs"],
            state.X,
            state.y,
            xlim=LIMITS,
            ylim=LIMITS,
            resolution=RESOLUTION,
            animated=True,
        )
        # Up to four hidden units' lines, dashed; the unused ones stay empty.
        self.hidden_lines = [
            self.ax.plot([], [], "--", color=PALETTE[(k + 2) % len(PALETTE)], lw=1.5,
                         zorder=3, animated=True)[0]
            for k in range(4)
        ]  # fmt: skip
        self.ax.set_xlim(*LIMITS)
        self.ax.set_ylim(*LIMITS)
        self.ax.set_title(" ", fontsize=9)
        self.ax.title.set_animated(True)

    def __call__(self, state: XorState) -> Any:
        frame = xor_frame(state)
        self.boundary.update(frame["probs"])
        for k, line in enumerate(self.hidden_lines):
            if k < len(frame["lines"]):
                line.set_data(*_line_points(*frame["lines"][k]))
            else:
                line.set_data([], [])
        units = state.hidden
        plural = "s" if units > 1 else ""
        what = "no hidden layer" if units == 0 else f"{units} hidden unit{plural} (dashed)"
        self.ax.title.set_text(
            f"{what} · epoch {frame['epoch']} · loss {frame['loss']:.3f} · "
            f"accuracy {100 * frame['accuracy']:.0f} %"
        )
        return self.fig


@register
def xor_hidden_layer(hidden: int = 3, seed: int = 0, warmup: int = 0) -> TrainingDemo:
    """The demo: hidden units 0–4 and an initialisation seed; Play/Step train 25 epochs.

    Args:
        hidden: Initial number of hidden tanh units (0 to 4).
        seed: Initial seed of the weights.
        warmup: Steps trained before the first frame (so the page shows a trained net).

    Returns:
        A :class:`~nnlib.widgets.demo.TrainingDemo`; end the cell with it.

    Example:
        >>> demo = xor_hidden_layer(hidden=2)
        >>> demo.tick(); demo.data.epoch
        25

    Taught in chapter 1 (the perceptron).
    """
    wide = {"description_width": "initial"}  # show the whole label
    controls = {
        "hidden": widgets.IntSlider(hidden, min=0, max=4, description="hidden units", style=wide),
        "seed": widgets.IntSlider(seed, min=0, max=9, description="init seed", style=wide),
    }
    render = render_from_first_state(_Renderer)
    demo = TrainingDemo(controls, xor_init, xor_step, render,
                        title="XOR: how many hidden units does it take?",
                        static={"hidden": [0, 1, 2, 3, 4]}, static_steps=(12, 3),
                        step_label=lambda ticks: f"{25 * ticks} epochs")  # fmt: skip
    for _ in range(warmup):
        demo.tick()
    return demo
