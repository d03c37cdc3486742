r"""What the two demos that train a binary classifier while you watch share.

:func:`~nnlib.widgets.xor.xor_hidden_layer` and :func:`~nnlib.widgets.dying_relu.dying_relu`
both train a network with one logit per point on 2-D points with labels 0 or 1, full-batch,
on the binary cross-entropy of the logits, and show after every chunk of training the
probability of class 1 over a grid, the loss and the accuracy:

- :func:`full_batch_steps`: the training loop (forward, loss, zero the gradients, backward,
  step);
- :func:`grid_probabilities`: :math:`\sigma(\text{logit})` on a grid over the box drawn;
- :func:`loss_and_accuracy`: the loss of the network as drawn, and its accuracy;
- :func:`render_from_first_state`: a ``render`` whose figure is made from the first state
  it draws (the decision boundary needs the data points).

Taught in chapter 1 (the perceptron and the artificial neuron) and chapter 3 (activation
functions and output heads).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import numpy as np

import nnlib
from nnlib import nn
from nnlib.nn import functional as F
from nnlib.plot import grid_points

State = TypeVar("State")


def full_batch_steps(
    net: nn.Module, opt: Any, X: nnlib.Tensor, y: nnlib.Tensor, epochs: int
) -> list[float]:
    r"""Train ``net`` in place for ``epochs`` full-batch steps of ``opt``.

    Each step computes the loss :math:`J` (the binary cross-entropy of the logits
    ``net(X)`` against ``y``), zeroes the gradients, fills them with ``J.backward()`` and
    lets the optimizer step.

    Args:
        net: The network; ``net(X)`` gives one logit per point, shape ``(m,)``.
        opt: Its optimizer.
        X: The points, shape ``(m, 2)``.
        y: Their labels 0 or 1, shape ``(m,)``, as floats.
        epochs: Number of steps (each sees every point once).

    Returns:
        The loss before each step.

    Example:
        >>> net = nn.Sequential(nn.Linear(2, 1), nn.Flatten(0))
        >>> X, y = nnlib.tensor([[1.0, 0.0], [-1.0, 0.0]]), nnlib.tensor([1.0, 0.0])
        >>> losses = full_batch_steps(net, nnlib.optim.SGD(net.parameters(), lr=1.0), X, y, 20)
        >>> len(losses), losses[-1] < losses[0]
        (20, True)

    Taught in chapter 1 (the perceptron and the artificial neuron).
    """
    losses = []
    for _ in range(epochs):
        loss = F.binary_cross_entropy_with_logits(net(X), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(float(loss.item()))
    return losses


def grid_probabilities(
    net: nn.Module, limits: tuple[float, float], resolution: int, dtype: Any
) -> np.ndarray:
    r"""The probability of class 1, :math:`\sigma(\text{logit})`, on a square grid.

    Args:
        net: The network (one logit per point).
        limits: The box ``limits × limits`` the grid covers.
        resolution: Grid points per axis.
        dtype: The network's dtype (the grid is made in it).

    Returns:
        The probabilities, shape ``(resolution, resolution)`` (rows: the second input).

    Example:
        >>> net = nn.Sequential(nn.Linear(2, 1), nn.Flatten(0))
        >>> grid_probabilities(net, (-1.0, 1.0), 5, nnlib.float32).shape
        (5, 5)

    Taught in chapter 1 (the perceptron and the artificial neuron).
    """
    grid = nnlib.tensor(grid_points(limits, limits, resolution), dtype=dtype)
    with nnlib.no_grad():
        return nnlib.sigmoid(net(grid)).data.reshape(resolution, resolution)


def loss_and_accuracy(net: nn.Module, X: nnlib.Tensor, y: nnlib.Tensor) -> tuple[float, float]:
    """The loss of the network as drawn and its accuracy (also before any training: a frame
    computes its own loss, so it never says "nan").

    Args:
        net: The network (one logit per point).
        X: The points.
        y: Their labels 0 or 1, as floats.

    Returns:
        ``(loss, accuracy)``: the binary cross-entropy of the logits, and the fraction of
        points on the right side of the boundary (a positive logit for class 1).

    Example:
        >>> net = nn.Sequential(nn.Linear(2, 1), nn.Flatten(0))
        >>> X, y = nnlib.tensor([[1.0, 0.0], [-1.0, 0.0]]), nnlib.tensor([1.0, 0.0])
        >>> _ = full_batch_steps(net, nnlib.optim.SGD(net.parameters(), lr=1.0), X, y, 50)
        >>> loss, accuracy = loss_and_accuracy(net, X, y)
        >>> accuracy, loss < 0.05
        (1.0, True)

    Taught in chapter 1 (the perceptron and the artificial neuron).
    """
    with nnlib.no_grad():
        out = net(X)
        loss = float(F.binary_cross_entropy_with_logits(out, y).item())
    accuracy = float(((out.data > 0) == (y.data > 0.5)).mean())
    return loss, accuracy


def render_from_first_state(
    make_renderer: Callable[[State], Callable[[State], Any]],
) -> Callable[[State], Any]:
    """A ``render`` for a :class:`~nnlib.widgets.demo.TrainingDemo` whose one figure is
    made, by ``make_renderer(state)``, from the first state it draws; every later frame only
    updates that figure.

    Args:
        make_renderer: Makes the renderer (a callable ``state -> Figure``) from a state.

    Returns:
        The ``render`` function.

    Example:
        >>> made = []
        >>> render = render_from_first_state(lambda first: made.append(first) or str)
        >>> render(1), render(2), made
        ('1', '2', [1])

    Taught in chapter 1 (the perceptron and the artificial neuron).
    """
    renderer: dict[str, Callable[[State], Any]] = {}

    def render(state: State) -> Any:
        if "r" not in renderer:
            renderer["r"] = make_renderer(state)
        return renderer["r"](state)

    return render
