r"""Chapter 6's training demo: the same network with and without batch norm, one learning rate.

Two copies of a 64-64-64-10 ReLU network, one plain and one with ``BatchNorm1d`` before
each ReLU, start from the same weights and train side by side on a fixed subset of the
handwritten digits with SGD (momentum 0.9, mini-batches of 32) at the learning rate you
choose. Each tick trains both for one epoch; the curves show the training cost and the
validation accuracy (evaluation mode: batch norm uses its running statistics). At small
rates both learn; as the rate grows the plain network's cost jumps and then diverges
(marked "diverged") while the batch-normalised one keeps learning over a wider range.

:func:`bn_race_init` and :func:`bn_race_step` are the pure parts the tests call;
:func:`bn_lr_race` wires them to a :class:`~nnlib.widgets.demo.TrainingDemo`.

Taught in chapter 6 (Normalization).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import ipywidgets as widgets
import numpy as np

import nnlib
from nnlib import nn, optim
from nnlib.data import DataLoader, TensorDataset, load_digits
from nnlib.nn import functional as F
from nnlib.plot import BLUE, ORANGE, figure
from nnlib.random import fork_rng
from nnlib.widgets.demo import TrainingDemo, register

#: Training examples used (a fixed, stratified subset of the digits' training split).
N_TRAIN = 320
#: Learning rates the website offers a precomputed run for.
STATIC_LRS = [0.01, 0.03, 0.1, 0.2, 0.3, 0.6, 1.0, 2.0, 4.0, 8.0]
#: Epochs per static run (frames 0..EPOCHS).
EPOCHS = 10


def make_net(batchnorm: bool, seed: int = 0) -> nn.Sequential:
    """A 64-64-64-10 ReLU network, with ``BatchNorm1d`` before each ReLU if asked (float64).

    The plain and the batch-normalised networks get the same ``Linear`` weights for a seed.

    Example:
        >>> len(make_net(True)), len(make_net(False))
        (7, 5)
    """
    with fork_rng():
        nnlib.manual_seed(seed)
        linears = [nn.Linear(64, 64), nn.Linear(64, 64), nn.Linear(64, 10)]
    layers: list[nn.Module] = []
    for linear in linears[:2]:
        layers.append(linear)
        if batchnorm:
            layers.append(nn.BatchNorm1d(64))
        layers.append(nn.ReLU())
    layers.append(linears[2])
    return nn.Sequential(*layers).double()


def _data() -> tuple[nnlib.Tensor, ...]:
    X_train, X_val, y_train, y_val = load_digits(test_size=0.25, seed=0, standardize=True)
    return X_train[:N_TRAIN].double(), y_train[:N_TRAIN], X_val.double(), y_val


@dataclass
class BnRaceState:
    """Both networks, their optimizers and their histories.

    Attributes:
        lr: The learning rate both train with.
        nets: ``{"plain": net, "batch norm": net}``.
        opts: Their SGD optimizers.
        epoch: Epochs trained.
        cost: Per network, the training cost after each epoch (``inf`` once diverged).
        val_acc: Per network, the validation accuracy after each epoch.
    """

    lr: float
    nets: dict[str, nn.Sequential]
    opts: dict[str, optim.SGD]
    loader: DataLoader
    data: tuple[nnlib.Tensor, ...]
    epoch: int = 0
    cost: dict[str, list[float]] = field(default_factory=dict)
    val_acc: dict[str, list[float]] = field(default_factory=dict)


def _measure(net: nn.Sequential, data: tuple[nnlib.Tensor, ...]) -> tuple[float, float]:
    X, y, X_val, y_val = data
    net.eval()
    with nnlib.no_grad(), np.errstate(all="ignore"):
        cost = F.cross_entropy(net(X), y).item()
        acc = float((net(X_val).data.argmax(axis=1) == y_val.data).mean())
    net.train()
    return (cost, acc) if np.isfinite(cost) else (float("inf"), 0.1)


def bn_race_init(lr: float = 0.3) -> BnRaceState:
    """Both networks at epoch 0, with the same first weights.

    Example:
        >>> state = bn_race_init(0.1)
        >>> state.cost["plain"][0] == state.cost["batch norm"][0]
        False
    """
    data = _data()
    nets = {"plain": make_net(False), "batch norm": make_net(True)}
    opts = {k: optim.SGD(net.parameters(), lr=lr, momentum=0.9) for k, net in nets.items()}
    loader = DataLoader(TensorDataset(data[0], data[1]), batch_size=32, shuffle=True, seed=0)
    state = BnRaceState(float(lr), nets, opts, loader, data)
    for name, net in nets.items():
        cost, acc = _measure(net, data)
        state.cost[name], state.val_acc[name] = [cost], [acc]
    return state


def bn_race_step(state: BnRaceState, lr: float = 0.3) -> BnRaceState:
    """Train both networks for one epoch on the same mini-batches (a diverged one stops).

    Example:
        >>> state = bn_race_step(bn_race_init(0.1))
        >>> state.epoch, len(state.cost["plain"])
        (1, 2)
    """
    batches = list(state.loader)
    for name, net in state.nets.items():
        if not np.isfinite(state.cost[name][-1]):
            state.cost[name].append(float("inf"))
            state.val_acc[name].append(0.1)
            continue
        opt = state.opts[name]
        with np.errstate(all="ignore"):
            for Xb, yb in batches:
                opt.zero_grad()
                F.cross_entropy(net(Xb), yb).backward()
                opt.step()
        cost, acc = _measure(net, state.data)
        state.cost[name].append(cost)
        state.val_acc[name].append(acc)
    state.epoch += 1
    return state


@register
def bn_lr_race(lr: float = 0.3, warmup: int = 0) -> TrainingDemo:
    """The demo: pick a learning rate, press Play, watch both networks train.

    Args:
        lr: The first learning rate, one of ``STATIC_LRS``.
        warmup: Epochs trained before the first frame (the page then opens on them).

    Returns:
        A :class:`~nnlib.widgets.demo.TrainingDemo`; end the cell with it.

    Example:
        >>> demo = bn_lr_race()
        >>> demo.tick(); demo.data.epoch
        1

    Taught in chapter 6 (Normalization).
    """
    controls = {
        "lr": widgets.SelectionSlider(
            options=STATIC_LRS, value=lr, description="SGD lr", continuous_update=False
        ),
    }
    fig, (ax_cost, ax_acc) = figure(1, 2, width=8.4, height=3.1)
    colors = {"plain": ORANGE, "batch norm": BLUE}
    styles = {"plain": "--", "batch norm": "-"}
    cost_lines, acc_lines = {}, {}
    for name in colors:
        (cost_lines[name],) = ax_cost.plot(
            [], [], styles[name], color=colors[name], marker="o", markersize=3,
            label=name, animated=True,
        )  # fmt: skip
        (acc_lines[name],) = ax_acc.plot(
            [], [], styles[name], color=colors[name], marker="o", markersize=3,
            label=name, animated=True,
        )  # fmt: skip
    ax_cost.set(xlabel="epoch", ylabel="training cost J", yscale="log", xlim=(-0.3, EPOCHS + 0.3),
                ylim=(3e-4, 30))  # fmt: skip
    ax_acc.set(xlabel="epoch", ylabel="validation accuracy", xlim=(-0.3, EPOCHS + 0.3),
               ylim=(0, 1.02))  # fmt: skip
    ax_cost.legend(loc="lower left")
    diverged = ax_cost.text(0.98, 0.95, " ", transform=ax_cost.transAxes, ha="right", va="top",
                            color=ORANGE, fontsize=9, animated=True)  # fmt: skip
    ax_cost.set_title(" ", fontsize=10)
    ax_acc.set_title(" ", fontsize=10)
    ax_cost.title.set_animated(True)
    ax_acc.title.set_animated(True)

    def render(state: BnRaceState) -> Any:
        epochs = np.arange(state.epoch + 1)
        for name in colors:
            cost = np.array(state.cost[name])
            ok = np.isfinite(cost) & (cost < 30)
            cost_lines[name].set_data(epochs[ok], np.clip(cost[ok], 3e-4, None))
            acc_lines[name].set_data(epochs, state.val_acc[name])
        gone = [n for n in colors if not np.isfinite(state.cost[n][-1]) or state.cost[n][-1] >= 30]
        diverged.set_text(" and ".join(gone) + " diverged" if gone else " ")
        ax_cost.title.set_text(f"SGD lr = {state.lr:g}, epoch {state.epoch}")
        ax_acc.title.set_text(
            f"plain {state.val_acc['plain'][-1]:.0%} · "
            f"batch norm {state.val_acc['batch norm'][-1]:.0%}"
        )
        return fig

    demo = TrainingDemo(
        controls, bn_race_init, bn_race_step, render,
        title="Training with and without batch norm at one learning rate",
        interval=300, max_ticks=EPOCHS * 3,
        static={"lr": STATIC_LRS}, static_steps=(EPOCHS + 1, 1),
        step_label=lambda ticks: f"{ticks} epochs",
    )  # fmt: skip
    for _ in range(warmup):
        demo.tick()
    return demo
