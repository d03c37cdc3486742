r"""Chapter 5's second demo: an exponentially weighted average, with and without bias correction.

A noisy series :math:`q_1, q_2, \dots` is averaged by
:math:`\bar q_t = \beta \bar q_{t-1} + (1-\beta) q_t` from :math:`\bar q_0 = 0`.
Move :math:`\beta`:
a small one follows every wiggle, a large one is smooth but lags and averages roughly the
last :math:`1/(1-\beta)` values. Because :math:`\bar q_0 = 0`, the first averages sit far below
the data; dividing by :math:`1-\beta^t` (bias correction, as Adam does) removes that dip.
Momentum, RMSprop and Adam all keep averages of exactly this kind.

:func:`ewa_view` is the pure function the tests call; :func:`ewa_explorer` is the widget.

Taught in chapter 5 (optimizers).
"""

from __future__ import annotations

from dataclasses import dataclass

import ipywidgets as widgets
import numpy as np

from nnlib import plot
from nnlib.widgets.demo import Demo, register

#: Number of values in each series.
LENGTH = 100


def _series() -> dict[str, np.ndarray]:
    rng = np.random.default_rng(5)
    t = np.arange(1, LENGTH + 1)
    noise = rng.normal(0.0, 2.0, LENGTH)
    return {
        "noisy constant": 10.0 + noise,
        "seasonal": 10.0 + 6.0 * np.sin(2 * np.pi * t / LENGTH) + noise,
        "step at t = 50": np.where(t <= 50, 4.0, 14.0) + noise,
    }


#: The series to average, by the name shown in the dropdown (fixed seed, so the same every run).
SERIES: dict[str, np.ndarray] = _series()


@dataclass(frozen=True)
class EwaView:
    """Everything one frame draws.

    Attributes:
        t: Steps :math:`1 \\dots T`.
        values: The series :math:`q_t`.
        raw: The averages :math:`\\bar q_t` (biased toward 0 early on).
        corrected: :math:`\\bar q_t / (1 - \\beta^t)`.
        beta: The smoothing constant.
        bias_correction: Whether the corrected averages are the ones shown.
        window: :math:`1/(1-\\beta)`, roughly how many recent values the average spans.
    """

    t: np.ndarray
    values: np.ndarray
    raw: np.ndarray
    corrected: np.ndarray
    beta: float
    bias_correction: bool
    window: float


def ewa_view(
    beta: float = 0.9, bias_correction: bool = False, series: str = "noisy constant"
) -> EwaView:
    """Average one of :data:`SERIES` with smoothing constant ``beta``.

    Args:
        beta: The smoothing constant, in ``[0, 1)``.
        bias_correction: Show :math:`\\bar q_t / (1 - \\beta^t)` instead of :math:`\\bar q_t`.
        series: A name from :data:`SERIES`.

    Returns:
        An :class:`EwaView` with both the raw and the corrected averages.

    Example:
        >>> view = ewa_view(0.9)
        >>> round(float(view.raw[0] / view.values[0]), 6), round(view.window, 6)
        (0.1, 10.0)
    """
    if not 0.0 <= beta < 1.0:
        raise ValueError(
            f"ewa_view: expected 0 <= beta < 1, got {beta!r}.\n"
            "help: pass a smoothing constant such as 0.9."
        )
    if series not in SERIES:
        raise ValueError(
            f"ewa_view: expected a series in {sorted(SERIES)}, got {series!r}.\n"
            "help: pick one of nnlib.widgets.ewa.SERIES."
        )
    values = SERIES[series]
    raw = np.empty(LENGTH)
    v = 0.0
    for k, q_t in enumerate(values):
        v = beta * v + (1 - beta) * q_t
        raw[k] = v
    t = np.arange(1, LENGTH + 1)
    corrected = raw / (1 - beta**t)
    return EwaView(t, values, raw, corrected, beta, bias_correction, 1 / (1 - beta))


@register
def ewa_explorer() -> Demo:
    """The live demo: move β, switch bias correction on and off, pick a series.

    Returns:
        The :class:`~nnlib.widgets.Demo`; make it the last line of a cell.

    Example:
        >>> demo = ewa_explorer()
        >>> demo.controls["bias_correction"].value = True
        >>> demo.data.bias_correction
        True

    Taught in chapter 5 (optimizers).
    """
    controls = {
        "beta": widgets.FloatSlider(
            value=0.9, min=0.0, max=0.99, step=0.01, description="β", readout_format=".2f"
        ),
        "bias_correction": widgets.Checkbox(value=False, description="bias correction"),
        "series": widgets.Dropdown(
            options=list(SERIES), value="noisy constant", description="series"
        ),
    }
    fig, ax = plot.figure(width=6.0, height=3.4)
    with plot.style():
        points = ax.scatter([], [], s=9, color=plot.MUTED, label=r"data $q_t$", zorder=1)
        (raw_line,) = ax.plot(
            [], [], color=plot.VERMILLION, lw=2, label=r"$\bar q_t$ (no correction)"
        )
        (cor_line,) = ax.plot(
            [], [], color=plot.BLUE, lw=2, label=r"$\bar q_t / (1-\beta^t)$ (corrected)"
        )
        ax.set_xlim(0, LENGTH + 1)
        ax.set_ylim(-1, 22)
        ax.set_xlabel("step $t$")
        ax.set_ylabel("value")
        ax.legend(loc="lower right")
        title = ax.set_title(" ")
    for artist in (points, raw_line, cor_line, title):
        artist.set_animated(True)

    def render(view: EwaView) -> object:
        points.set_offsets(np.column_stack([view.t, view.values]))
        raw_line.set_data(view.t, view.raw)
        raw_line.set_alpha(0.35 if view.bias_correction else 1.0)
        cor_line.set_data(view.t, view.corrected)
        cor_line.set_visible(view.bias_correction)
        title.set_text(
            f"β = {view.beta:.2f}: about the last {view.window:.0f} values; "
            f"q̄₁ = {1 - view.beta:.2f}·q₁"
        )
        return fig

    betas = [*np.round(np.arange(0.0, 0.951, 0.05), 2), 0.98, 0.99]
    return Demo(
        controls,
        ewa_view,
        render,
        "Exponentially weighted average and bias correction",
        static={"beta": [float(b) for b in betas], "bias_correction": [False, True]},
    )
