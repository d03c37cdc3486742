r"""Chapter 3's demo: pick an activation, see it, its derivative, and where it saturates.

The derivative is not typed in by hand: it is what nnlib's autograd returns for
``f(x).sum().backward()``, so the picture also checks the backward rules. Where
:math:`|f'(x)| <` the threshold the background is shaded: a gradient passing through a
unit there is multiplied by almost nothing, which is how sigmoid and tanh networks stop
learning and how a ReLU unit "dies".

Taught in chapter 3 (activation functions and output heads).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import ipywidgets as widgets
import numpy as np
from matplotlib.figure import Figure

import nnlib
from nnlib import plot
from nnlib._tensor import Tensor
from nnlib.widgets.demo import Demo, register

#: The activations the explorer offers, in this order, when nnlib has them.
ACTIVATION_NAMES = ("relu", "leaky_relu", "sigmoid", "tanh", "softplus", "gelu", "silu")


#: The fixed vertical range, so that switching activations compares them on one scale.
YLIM = (-1.25, 2.5)


def available_activations() -> dict[str, Callable[[Tensor], Tensor]]:
    """The activations of ``ACTIVATION_NAMES`` that ``nnlib.nn.functional`` provides.

    ``relu``, ``sigmoid`` and ``tanh`` fall back to the top-level ``nnlib`` functions, so
    the explorer works even with an older ``functional``.

    Example:
        >>> list(available_activations())[:4]
        ['relu', 'leaky_relu', 'sigmoid', 'tanh']
    """
    from nnlib.nn import functional as F

    found = {}
    for name in ACTIVATION_NAMES:
        fn = getattr(F, name, None) or getattr(nnlib, name, None)
        if callable(fn):
            found[name] = fn
    return found


@dataclass
class ActivationView:
    """What the activation explorer draws.

    Attributes:
        name: The activation's name.
        x: Inputs, shape ``(n,)``.
        y: :math:`f(x)`, shape ``(n,)``.
        dy: :math:`f'(x)` from autograd, shape ``(n,)``.
        saturated: Where :math:`|f'(x)| <` ``threshold``, shape ``(n,)``.
        threshold: The saturation threshold.
    """

    name: str
    x: np.ndarray
    y: np.ndarray
    dy: np.ndarray
    saturated: np.ndarray
    threshold: float

    @property
    def saturated_fraction(self) -> float:
        """The fraction of the plotted inputs where the unit is saturated."""
        return float(self.saturated.mean())


def activation_view(
    activation: str, x_max: float = 6.0, threshold: float = 0.05, n: int = 401
) -> ActivationView:
    r"""Compute an activation and its autograd derivative on :math:`[-x_{max}, x_{max}]`.

    Args:
        activation: A name from :func:`available_activations`.
        x_max: Half-width of the input range.
        threshold: Inputs with :math:`|f'(x)|` below it count as saturated.
        n: Number of inputs.

    Returns:
        An :class:`ActivationView`.

    Example:
        >>> v = activation_view("sigmoid", x_max=6.0)
        >>> round(float(v.dy.max()), 3)                 # σ'(0) = 1/4
        0.25
        >>> bool(v.saturated[0]), bool(v.saturated[200])  # far left yes, at 0 no
        (True, False)
    """
    functions = available_activations()
    if activation not in functions:
        raise ValueError(
            f"activation_view: expected one of {sorted(functions)}, got {activation!r}.\n"
            "help: choose a name from nnlib.widgets.available_activations()."
        )
    x = nnlib.tensor(np.linspace(-x_max, x_max, n), dtype=nnlib.float64, requires_grad=True)
    y = functions[activation](x)
    # Each output depends on its own input only, so the gradient of the sum is f'(x).
    y.sum().backward()
    dy = x.grad.data
    return ActivationView(
        activation, x.data.copy(), y.data.copy(), dy.copy(), np.abs(dy) < threshold, threshold
    )


@register
def activation_explorer() -> Demo:
    """The live demo: a dropdown of activations, the input range and the saturation threshold.

    Returns:
        The :class:`~nnlib.widgets.Demo`; make it the last line of a cell to show it.

    Example:
        >>> demo = activation_explorer()
        >>> demo.controls["activation"].value = "tanh"
        >>> demo.data.name, demo.data.saturated_fraction > 0.3
        ('tanh', True)

    Taught in chapter 3 (activation functions and output heads).
    """
    names = list(available_activations())
    controls = {
        "activation": widgets.Dropdown(options=names, value=names[0], description="f"),
        "x_max": widgets.FloatSlider(
            value=6.0, min=2.0, max=10.0, step=0.5, description="x range ±"
        ),
        "threshold": widgets.FloatSlider(
            value=0.05,
            min=0.005,
            max=0.25,
            step=0.005,
            description="|φ′| below",
            readout_format=".3f",
        ),
    }
    fig, ax = plot.figure()
    artists: dict[str, plot.FunctionAndDerivative] = {}

    def render(view: ActivationView) -> Figure:
        if "curves" not in artists:
            artists["curves"] = plot.function_and_derivative(
                ax,
                view.x,
                view.y,
                view.dy,
                name="φ",
                var="z",
                xlabel=r"pre-activation $z$",
                ylabel="activation",
                saturated=view.saturated,
                ylim=YLIM,
                animated=True,
            )
            ax.title.set_animated(True)
        else:
            artists["curves"].update(view.x, view.y, view.dy, view.saturated, YLIM)
        ax.title.set_text(
            f"{view.name}: |φ′| < {view.threshold:g} (grey) on {view.saturated_fraction:.0%}"
        )
        return fig

    return Demo(
        controls,
        activation_view,
        render,
        "Activation functions and their slopes",
        static={"activation": names, "x_max": [float(x) for x in range(2, 11)]},
    )
