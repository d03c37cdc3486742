r"""Chapter 1's demo: drag the weights and bias of one sigmoid neuron, or let it learn.

The neuron is :math:`\hat y = \sigma(w_1 x_1 + w_2 x_2 + b)`. Its decision boundary is the
line :math:`w_1 x_1 + w_2 x_2 + b = 0`: the weights turn it, the bias shifts it. The loss is
the cost :math:`J = \frac{1}{m}\sum_i L^{(i)}`, binary cross-entropy averaged over the data.
"Train step" takes one gradient-descent step with nnlib's autograd and moves the sliders.

Taught in chapter 1 (the perceptron and the artificial neuron).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import ipywidgets as widgets
import numpy as np
from matplotlib.figure import Figure

import nnlib
from nnlib import data as datasets
from nnlib import plot
from nnlib._tensor import Tensor
from nnlib.widgets.demo import Demo, register

#: The data sets the demo offers: two blobs one line separates, and XOR, which none does.
NEURON_DATASETS = ("gaussians", "xor")
LIMITS = (-1.6, 1.6)
#: The values of w₁ and b the website offers.
STATIC_GRID = tuple(float(v) for v in np.arange(-2.0, 2.01, 0.5))


@functools.cache
def _dataset_arrays(name: str) -> tuple[np.ndarray, np.ndarray]:
    make = {"gaussians": datasets.make_gaussians, "xor": datasets.make_xor}[name]
    X, y = make(100, noise=0.25 if name == "gaussians" else 0.1, seed=0)
    return X.data.astype(np.float64), y.data


def neuron_dataset(name: str = "gaussians") -> tuple[Tensor, Tensor]:
    """The demo's seeded 2-D data set ``name`` (one of ``NEURON_DATASETS``), float64.

    Example:
        >>> X, y = neuron_dataset("xor")
        >>> X.shape, y.shape
        ((100, 2), (100,))
    """
    if name not in NEURON_DATASETS:
        raise ValueError(
            f"neuron_dataset: expected one of {NEURON_DATASETS}, got {name!r}.\n"
            "help: pick 'gaussians' (separable) or 'xor' (not separable by one line)."
        )
    X, y = _dataset_arrays(name)
    return nnlib.tensor(X), nnlib.tensor(y)


def _bce_with_logits(z: Tensor, y: Tensor) -> Tensor:
    # Stable form of -[y log σ(z) + (1 - y) log(1 - σ(z))]: never exponentiates a large z.
    return (nnlib.relu(z) - z * y + nnlib.log(1.0 + nnlib.exp(-nnlib.abs(z)))).mean()


def neuron_loss(X: Tensor, y: Tensor, w: Tensor, b: Tensor) -> Tensor:
    r"""The cost :math:`J(w, b)`: binary cross-entropy of :math:`\sigma(Xw + b)`, averaged.

    Args:
        X: Inputs, shape ``(m, 2)``.
        y: Labels 0 or 1, shape ``(m,)``.
        w: Weights, shape ``(2,)``.
        b: Bias, a scalar tensor.

    Returns:
        A scalar tensor, differentiable with respect to ``w`` and ``b``.

    Example:
        >>> import nnlib
        >>> X, y = neuron_dataset()
        >>> round(neuron_loss(X, y, nnlib.zeros(2, dtype=nnlib.float64),
        ...                   nnlib.tensor(0.0)).item(), 4)   # ln 2: a coin flip
        0.6931
    """
    return _bce_with_logits(X @ w + b, y.to(X.dtype))


def neuron_step(
    X: Tensor, y: Tensor, w1: float, w2: float, b: float, lr: float
) -> tuple[float, float, float]:
    r"""One gradient-descent step :math:`\theta \leftarrow \theta - \eta \nabla J(\theta)`.

    The gradient comes from nnlib's autograd (``loss.backward()``), exactly as in the
    chapter's training loop.

    Args:
        X: Inputs, shape ``(m, 2)``.
        y: Labels 0 or 1, shape ``(m,)``.
        w1: Weight of :math:`x_1`.
        w2: Weight of :math:`x_2`.
        b: Bias.
        lr: Learning rate :math:`\eta`.

    Returns:
        The new ``(w1, w2, b)``.

    Example:
        >>> X, y = neuron_dataset()
        >>> neuron_step(X, y, 0.0, 0.0, 0.0, lr=1.0)[0] > 0   # class 1 is up and right
        True
    """
    w = nnlib.tensor([w1, w2], dtype=nnlib.float64, requires_grad=True)
    bias = nnlib.tensor(float(b), dtype=nnlib.float64, requires_grad=True)
    neuron_loss(X, y, w, bias).backward()
    new_w = w.data - lr * w.grad.data
    return float(new_w[0]), float(new_w[1]), float(bias.data - lr * bias.grad.data)


@dataclass
class NeuronView:
    """What the neuron demo draws.

    Attributes:
        X: Inputs, shape ``(m, 2)``.
        y: Labels, shape ``(m,)``.
        w: Weights ``(w1, w2)``.
        b: Bias.
        loss: The cost :math:`J` on the data.
        accuracy: Fraction of points on the right side of the boundary.
        probs: :math:`\\sigma(w^\\top x + b)` on the plot's grid, shape ``(res, res)``.
    """

    X: np.ndarray
    y: np.ndarray
    w: tuple[float, float]
    b: float
    loss: float
    accuracy: float
    probs: np.ndarray

    def boundary_x1(self, x2: float) -> float:
        r"""Where the boundary crosses height :math:`x_2`: :math:`x_1 = -(w_2 x_2 + b)/w_1`."""
        return -(self.w[1] * x2 + self.b) / self.w[0]


def neuron_view(dataset: str, w1: float, w2: float, b: float, resolution: int = 40) -> NeuronView:
    """Compute everything the neuron demo draws, from the controls' values.

    Args:
        dataset: One of ``NEURON_DATASETS``.
        w1: Weight of :math:`x_1`.
        w2: Weight of :math:`x_2`.
        b: Bias.
        resolution: Grid points per axis of the shaded probabilities.

    Returns:
        A :class:`NeuronView`.

    Example:
        >>> v = neuron_view("gaussians", 1.0, 0.0, -0.5)
        >>> v.boundary_x1(0.0)        # w1 x1 + b = 0  →  x1 = 0.5
        0.5
    """
    X, y = neuron_dataset(dataset)
    w = nnlib.tensor([w1, w2], dtype=nnlib.float64)
    bias = nnlib.tensor(float(b), dtype=nnlib.float64)
    loss = neuron_loss(X, y, w, bias).item()
    z = X.data @ w.data + b
    accuracy = float(np.mean((z > 0) == (y.data == 1)))
    grid = plot.grid_points(LIMITS, LIMITS, resolution)
    probs = nnlib.sigmoid(nnlib.tensor(grid @ w.data + b)).data.reshape(resolution, resolution)
    return NeuronView(X.data, y.data, (float(w1), float(w2)), float(b), loss, accuracy, probs)


@register
def neuron_boundary(lr: float = 0.5) -> Demo:
    r"""The live demo of one sigmoid neuron: sliders for :math:`w_1, w_2, b` and a train step.

    Args:
        lr: Learning rate of the "Train step" button.

    Returns:
        The :class:`~nnlib.widgets.Demo`; make it the last line of a cell to show it.

    Example:
        >>> demo = neuron_boundary()
        >>> demo.controls["b"].value = 1.0
        >>> demo.buttons["Train step"].click()
        >>> demo.data.loss < neuron_view("gaussians", 1.0, 1.0, 1.0).loss
        True

    Taught in chapter 1 (the perceptron and the artificial neuron).
    """

    def slider(value: float, label: str) -> widgets.FloatSlider:
        return widgets.FloatSlider(
            value=value, min=-4.0, max=4.0, step=0.1, description=label, readout_format=".2f"
        )

    controls = {
        "dataset": widgets.Dropdown(
            options=NEURON_DATASETS, value="gaussians", description="data"
        ),
        "w1": slider(1.0, "w₁"),
        "w2": slider(1.0, "w₂"),
        "b": slider(0.0, "b"),
    }

    fig, ax = plot.figure()
    artists: dict[str, plot.DecisionBoundary] = {}

    def render(view: NeuronView) -> Figure:
        if "boundary" not in artists:
            artists["boundary"] = plot.decision_boundary(
                ax,
                view.probs,
                view.X,
                view.y,
                xlim=LIMITS,
                ylim=LIMITS,
                resolution=view.probs.shape[0],
                animated=True,
            )
            ax.title.set_animated(True)
        else:
            artists["boundary"].update(view.probs, view.X, view.y)
        ax.title.set_text(f"cost $J$ = {view.loss:.3f},   accuracy {view.accuracy:.0%}")
        return fig

    def train_step(demo: Demo) -> None:
        X, y = neuron_dataset(demo.controls["dataset"].value)
        v = demo.values()
        w1, w2, b = neuron_step(X, y, v["w1"], v["w2"], v["b"], lr)
        demo.set(w1=w1, w2=w2, b=b)

    return Demo(
        controls,
        neuron_view,
        render,
        "One neuron: drag the weights and the bias, or take a gradient step",
        buttons={"Train step": train_step},
        # The weight turns the boundary, the bias shifts it: the two together.
        static={"w1": STATIC_GRID, "b": STATIC_GRID},
    )
