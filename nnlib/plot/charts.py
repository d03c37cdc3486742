r"""The charts the chapters share: decision regions, a function with its derivative,
learning curves, and a loss surface with optimizer paths.

Each helper draws on an ``Axes`` you give it (from :func:`nnlib.plot.figure`) and returns a
small handle whose ``update(...)`` changes only the data of the artists it made. Widget
demos draw once and call ``update`` on every change, which is several times faster than
drawing a new figure. Inputs may be nnlib ``Tensor`` objects or NumPy arrays.

Taught from chapter 1 (the perceptron and the artificial neuron) on.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import contourpy
import numpy as np
from matplotlib.axes import Axes
from matplotlib.collections import PolyCollection
from matplotlib.ticker import MaxNLocator

import nnlib
from nnlib.plot.style import (
    BLUE,
    CLASS_CMAP,
    CLASS_COLORS,
    CLASS_MARKERS,
    INK,
    MUTED,
    ORANGE,
    PALETTE,
    _tint,
    as_array,
    style,
)

Predict = Callable[[Any], Any]


def grid_points(
    xlim: tuple[float, float], ylim: tuple[float, float], resolution: int = 50
) -> np.ndarray:
    """The points of a ``resolution × resolution`` grid over a box, one per row.

    Row ``i * resolution + j`` is the point in grid row ``i`` (the ``y`` axis) and column
    ``j`` (the ``x`` axis), so ``values.reshape(resolution, resolution)`` puts them back.

    Example:
        >>> grid_points((0, 1), (0, 1), 2)
        array([[0., 0.],
               [1., 0.],
               [0., 1.],
               [1., 1.]])
    """
    xs = np.linspace(*xlim, resolution)
    ys = np.linspace(*ylim, resolution)
    xx, yy = np.meshgrid(xs, ys)
    return np.stack([xx.ravel(), yy.ravel()], axis=1)


def _level_line(
    xlim: tuple[float, float],
    ylim: tuple[float, float],
    values: np.ndarray,
    level: float,
    draw: bool = True,
) -> tuple[np.ndarray, np.ndarray]:
    """The ``level`` contour of grid ``values`` as x and y with NaN between pieces."""
    if not draw or not values.min() < level < values.max():
        return np.empty(0), np.empty(0)
    xs = np.linspace(*xlim, values.shape[1])
    ys = np.linspace(*ylim, values.shape[0])
    pieces = contourpy.contour_generator(xs, ys, values).lines(level)
    joined = np.concatenate([np.vstack([np.asarray(p), [[np.nan, np.nan]]]) for p in pieces])
    return joined[:, 0], joined[:, 1]


def _region_image(values: np.ndarray) -> tuple[np.ndarray, bool]:
    """An RGB image of the regions and whether ``values`` are class-1 probabilities."""
    if values.ndim == 2:  # (res, res) probabilities of class 1
        return CLASS_CMAP(np.clip(values, 0.0, 1.0))[..., :3], True
    # (res, res, C) class scores: tint of the winning class.
    winner = values.argmax(axis=-1)
    tints = np.array([_tint(c, 0.4) for c in CLASS_COLORS])
    return tints[winner % len(tints)], False


class DecisionBoundary:
    """The artists of :func:`decision_boundary`; ``update`` redraws the regions."""

    def __init__(
        self,
        ax: Axes,
        xlim: tuple[float, float],
        ylim: tuple[float, float],
        resolution: int,
        animated: bool = False,
    ) -> None:
        self.ax, self.xlim, self.ylim, self.resolution = ax, xlim, ylim, resolution
        self.animated = animated
        self.image: Any = None
        # The 0.5 boundary as one line (pieces split by NaN rows): updating its data is
        # cheaper than making a new contour set per frame, and keeps the artist animated.
        (self.line,) = ax.plot([], [], color=INK, linewidth=1.5, zorder=1, animated=animated)
        self.points: list[Any] = []

    def values(self, predict: Predict | Any) -> np.ndarray:
        """The model's output on the grid, shaped ``(res, res)`` or ``(res, res, C)``."""
        res = self.resolution
        if callable(predict):
            grid = nnlib.tensor(grid_points(self.xlim, self.ylim, res), dtype=nnlib.float32)
            with nnlib.no_grad():
                out = as_array(predict(grid))
        else:
            out = as_array(predict)
        out = np.asarray(out, dtype=np.float64)
        if out.ndim >= 2 and out.shape[-1] == 1:
            out = out[..., 0]
        if out.size == res * res:
            return out.reshape(res, res)
        if out.size % (res * res) == 0:
            return out.reshape(res, res, -1)
        raise ValueError(
            f"decision_boundary: expected {res * res} grid values (or {res * res} × C), got "
            f"shape {out.shape}.\nhelp: evaluate on plot.grid_points(xlim, ylim, {res})."
        )

    def update(self, predict: Predict | Any, X: Any = None, y: Any = None) -> None:
        """Shade the regions of a new ``predict`` (and move the points if given)."""
        values = self.values(predict)
        rgb, binary = _region_image(values)
        if self.image is None:
            self.image = self.ax.imshow(
                rgb,
                origin="lower",
                extent=(*self.xlim, *self.ylim),
                aspect="auto",
                interpolation="bilinear",
                zorder=0,
            )
            self.image.set_animated(self.animated)
        else:
            self.image.set_data(rgb)
        self.line.set_data(*_level_line(self.xlim, self.ylim, values, 0.5, binary))
        if X is not None and y is not None:
            X, y = as_array(X), as_array(y)
            for k, scatter in enumerate(self.points):
                scatter.set_offsets(X[y == k])


def decision_boundary(
    ax: Axes,
    predict: Predict | Any,
    X: Any,
    y: Any,
    *,
    xlim: tuple[float, float] = (-1.5, 1.5),
    ylim: tuple[float, float] = (-1.5, 1.5),
    resolution: int = 50,
    class_names: Sequence[str] | None = None,
    xlabel: str = r"input $x_1$",
    ylabel: str = r"input $x_2$",
    animated: bool = False,
) -> DecisionBoundary:
    r"""Decision regions of a 2-D classifier, with the data points on top.

    Regions are shaded by the predicted class (light tints of the class colours, white where
    the model is unsure), the 0.5 boundary of a binary classifier is a solid line, and each
    class's points have their own colour *and* marker.

    Args:
        ax: The axes to draw on.
        predict: A function from an ``(n, 2)`` float32 ``Tensor`` of points to class-1
            probabilities ``(n,)`` or class scores ``(n, C)`` (called under ``no_grad``), or
            those values already computed on :func:`grid_points` ``(xlim, ylim, resolution)``.
        X: Points, shape ``(N, 2)``.
        y: Integer labels, shape ``(N,)``.
        xlim: Range of :math:`x_1` shown.
        ylim: Range of :math:`x_2` shown.
        resolution: Grid points per axis; 40–60 is smooth enough and fast.
        class_names: Legend labels (default ``"class 0"``, ``"class 1"``, …).
        xlabel: Label of the horizontal axis.
        ylabel: Label of the vertical axis.
        animated: Mark the artists that ``update`` changes (and those drawn over them)
            as animated, for widget demos: :func:`~nnlib.plot.to_png` then redraws only
            them on each frame.

    Returns:
        A :class:`DecisionBoundary` whose ``update(predict, X=None, y=None)`` redraws.

    Example:
        >>> import nnlib
        >>> from nnlib import plot
        >>> from nnlib.data import make_gaussians
        >>> X, y = make_gaussians(100, seed=0)
        >>> fig, ax = plot.figure()
        >>> db = plot.decision_boundary(ax, lambda P: nnlib.sigmoid(3 * P[:, 0]), X, y)
        >>> db.update(lambda P: nnlib.sigmoid(3 * P[:, 1]))

    Taught in chapter 1 (the perceptron and the artificial neuron).
    """
    X, y = as_array(X), as_array(y).astype(int)
    with style():
        x_range = (float(xlim[0]), float(xlim[1]))
        y_range = (float(ylim[0]), float(ylim[1]))
        handle = DecisionBoundary(ax, x_range, y_range, int(resolution), animated)
        handle.update(predict)
        for k in range(int(y.max()) + 1 if y.size else 0):
            name = class_names[k] if class_names else f"class {k}"
            handle.points.append(
                ax.scatter(
                    X[y == k, 0],
                    X[y == k, 1],
                    s=22,
                    c=CLASS_COLORS[k % len(CLASS_COLORS)],
                    marker=CLASS_MARKERS[k % len(CLASS_MARKERS)],
                    edgecolors=INK,
                    linewidths=0.5,
                    label=name,
                    zorder=2,
                    animated=animated,
                )
            )
        ax.set_xlim(*xlim)
        ax.set_ylim(*ylim)
        ax.set_xlabel(xlabel)
        ax.set_ylabel(ylabel)
        ax.grid(False)
        legend = ax.legend(loc="upper right", handletextpad=0.2, borderaxespad=0.2)
    # The regions cover the whole axes: whatever lies on them must be drawn after them.
    for artist in [legend, *ax.spines.values()]:
        artist.set_animated(animated)
    return handle


class FunctionAndDerivative:
    """The artists of :func:`function_and_derivative`; ``update`` redraws the curves."""

    def __init__(self, ax: Axes, f_line: Any, df_line: Any, shading: PolyCollection) -> None:
        self.ax, self.f_line, self.df_line, self.shading = ax, f_line, df_line, shading

    def update(
        self,
        x: Any,
        y: Any,
        dy: Any,
        saturated: Any = None,
        ylim: tuple[float, float] | None = None,
    ) -> None:
        """New curves (and shaded ``saturated`` mask); keeps the labels and legend."""
        x, y, dy = as_array(x), as_array(y), as_array(dy)
        self.f_line.set_data(x, y)
        self.df_line.set_data(x, dy)
        self.shading.set_verts(_runs(x, as_array(saturated)) if saturated is not None else [])
        if ylim is None:
            lo, hi = min(y.min(), dy.min()), max(y.max(), dy.max())
            pad = 0.08 * (hi - lo or 1.0)
            ylim = (float(lo - pad), float(hi + pad))
        # Setting the same limits again would still mark the axes as changed (a full redraw).
        if not np.allclose(self.ax.get_xlim(), (x[0], x[-1])):
            self.ax.set_xlim(float(x[0]), float(x[-1]))
        if not np.allclose(self.ax.get_ylim(), ylim):
            self.ax.set_ylim(*ylim)


def _runs(x: np.ndarray, mask: np.ndarray) -> list[np.ndarray]:
    """Rectangles (in x-data, y-axes coordinates) over the runs of ``True`` in ``mask``,
    each reaching half-way to the neighbouring samples."""
    edges = np.concatenate([[x[0]], (x[1:] + x[:-1]) / 2, [x[-1]]])
    padded = np.concatenate([[False], mask.astype(bool), [False]])
    starts = np.flatnonzero(~padded[:-1] & padded[1:])
    stops = np.flatnonzero(padded[:-1] & ~padded[1:])
    return [
        np.array([[edges[a], 0.0], [edges[b], 0.0], [edges[b], 1.0], [edges[a], 1.0]])
        for a, b in zip(starts, stops, strict=True)
    ]


def function_and_derivative(
    ax: Axes,
    x: Any,
    y: Any,
    dy: Any,
    *,
    name: str = "f",
    var: str = "x",
    saturated: Any = None,
    xlabel: str = r"input $x$",
    ylabel: str = "output",
    ylim: tuple[float, float] | None = None,
    animated: bool = False,
) -> FunctionAndDerivative:
    r"""A function :math:`f(x)` and its derivative :math:`f'(x)` on the same axes.

    The function is a solid blue line, the derivative a dashed orange one; where
    ``saturated`` is true (for an activation: :math:`|f'(x)|` tiny, so almost no gradient
    gets through) the background is shaded grey.

    Args:
        ax: The axes to draw on.
        x: Inputs, increasing, shape ``(n,)``.
        y: :math:`f(x)`, shape ``(n,)``.
        dy: :math:`f'(x)`, shape ``(n,)``.
        name: The function's name in the legend (``"relu"`` gives ``relu(x)``, ``relu'(x)``).
        var: The input's name in the legend (``"z"`` for an activation's pre-activation).
        saturated: Optional boolean mask, shape ``(n,)``, of the inputs to shade.
        xlabel: Label of the horizontal axis.
        ylabel: Label of the vertical axis.
        ylim: Fixed vertical range; fitted to the curves when ``None``.
        animated: Mark the artists that ``update`` changes (and those drawn over them)
            as animated, for widget demos: :func:`~nnlib.plot.to_png` then redraws only
            them on each frame.

    Returns:
        A :class:`FunctionAndDerivative` whose ``update(x, y, dy, saturated, ylim)`` redraws.

    Example:
        >>> import numpy as np
        >>> from nnlib import plot
        >>> x = np.linspace(-4, 4, 101)
        >>> fig, ax = plot.figure()
        >>> h = plot.function_and_derivative(ax, x, np.tanh(x), 1 - np.tanh(x) ** 2, name="tanh")

    Taught in chapter 3 (activation functions and output heads).
    """
    with style():
        shading = PolyCollection(
            [],
            transform=ax.get_xaxis_transform(),
            facecolor=MUTED,
            alpha=0.45,
            linewidth=0,
            zorder=0,
            animated=animated,
        )
        ax.add_collection(shading, autolim=False)
        (f_line,) = ax.plot(
            [], [], color=BLUE, label=f"{name}$({var})$", zorder=3, animated=animated
        )
        (df_line,) = ax.plot(
            [],
            [],
            color=ORANGE,
            linestyle="--",
            label=f"{name}$'({var})$",
            zorder=3,
            animated=animated,
        )
        ax.axhline(0.0, color=INK, linewidth=0.6, zorder=1)
        ax.set_xlabel(xlabel)
        ax.set_ylabel(ylabel)
        ax.legend(loc="upper left").set_animated(animated)
    handle = FunctionAndDerivative(ax, f_line, df_line, shading)
    handle.update(x, y, dy, saturated, ylim)
    return handle


class LearningCurves:
    """The artists of :func:`learning_curves`; ``update`` extends the lines."""

    def __init__(self, ax: Axes, lines: dict[str, Any]) -> None:
        self.ax, self.lines = ax, lines

    def update(self, history: Mapping[str, Sequence[float]]) -> None:
        """Draw the new ``history`` (the same keys as when the chart was made)."""
        for key, line in self.lines.items():
            values = as_array(history.get(key, [])).astype(float)
            line.set_data(np.arange(1, len(values) + 1), values)
        self.ax.relim()
        self.ax.autoscale_view()


def learning_curves(
    ax: Axes,
    history: Mapping[str, Sequence[float]],
    *,
    xlabel: str = "epoch",
    ylabel: str = "loss",
    logy: bool = False,
    animated: bool = False,
) -> LearningCurves:
    r"""One line per entry of ``history`` (``{"train": [...], "validation": [...]}``).

    Entry ``i`` of each list is drawn at :math:`x = i + 1` (after the first epoch or step).

    Args:
        ax: The axes to draw on.
        history: Names mapped to lists of numbers (floats, or one-element tensors' values).
        xlabel: Label of the horizontal axis, with its unit (``"epoch"``, ``"step"``).
        ylabel: Label of the vertical axis (``"loss"``, ``"cross-entropy (nats)"``).
        logy: Use a logarithmic loss axis.
        animated: Mark the artists that ``update`` changes (and those drawn over them)
            as animated, for widget demos: :func:`~nnlib.plot.to_png` then redraws only
            them on each frame.

    Returns:
        A :class:`LearningCurves` whose ``update(history)`` redraws.

    Example:
        >>> from nnlib import plot
        >>> fig, ax = plot.figure()
        >>> lc = plot.learning_curves(ax, {"train": [1.0, 0.5], "validation": [1.1, 0.8]})
        >>> sorted(lc.lines)
        ['train', 'validation']

    Taught in chapter 5 (optimizers).
    """
    with style():
        lines = {}
        for k, key in enumerate(history):
            (lines[key],) = ax.plot(
                [], [], color=PALETTE[k % len(PALETTE)], label=key, animated=animated
            )
        if logy:
            ax.set_yscale("log")
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_xlabel(xlabel)
        ax.set_ylabel(ylabel)
        if lines:
            ax.legend(loc="upper right").set_animated(animated)
    handle = LearningCurves(ax, lines)
    handle.update(history)
    return handle


class SurfaceContour:
    """The artists of :func:`surface_contour`; ``update`` redraws the paths."""

    def __init__(self, ax: Axes, animated: bool = False) -> None:
        self.ax, self.animated = ax, animated
        self.lines: dict[str, Any] = {}
        self.ends: dict[str, Any] = {}

    def update(self, paths: Mapping[str, Any]) -> None:
        """Redraw the optimizer paths: names mapped to ``(k, 2)`` arrays of points."""
        for k, (name, path) in enumerate(paths.items()):
            path = np.atleast_2d(as_array(path).astype(float))
            if name not in self.lines:
                color = PALETTE[k % len(PALETTE)]
                with style():
                    (self.lines[name],) = self.ax.plot(
                        [],
                        [],
                        color=color,
                        marker="o",
                        markersize=2.5,
                        linewidth=1.5,
                        label=name,
                        zorder=3,
                        animated=self.animated,
                    )
                    (self.ends[name],) = self.ax.plot(
                        [],
                        [],
                        color=color,
                        marker="*",
                        markersize=11,
                        markeredgecolor=INK,
                        markeredgewidth=0.5,
                        linestyle="none",
                        zorder=4,
                        animated=self.animated,
                    )
            self.lines[name].set_data(path[:, 0], path[:, 1])
            self.ends[name].set_data(path[-1:, 0], path[-1:, 1])
        for name in set(self.lines) - set(paths):
            self.lines[name].set_data([], [])
            self.ends[name].set_data([], [])


def surface_contour(
    ax: Axes,
    f: Callable[[Any, Any], Any],
    xlim: tuple[float, float],
    ylim: tuple[float, float],
    paths: Mapping[str, Any] | None = None,
    *,
    levels: int = 20,
    resolution: int = 80,
    log_levels: bool = False,
    xlabel: str = r"parameter $\theta_1$",
    ylabel: str = r"parameter $\theta_2$",
    animated: bool = False,
) -> SurfaceContour:
    r"""Contours of a 2-D loss surface :math:`f(\theta_1, \theta_2)` with optimizer paths.

    Args:
        ax: The axes to draw on.
        f: The surface, called once with two ``(resolution, resolution)`` NumPy arrays of
            :math:`\theta_1` and :math:`\theta_2` values; NumPy code and nnlib ops both work.
        xlim: Range of :math:`\theta_1`.
        ylim: Range of :math:`\theta_2`.
        paths: Optional names mapped to ``(k, 2)`` arrays of the points each optimizer
            visited; each path ends in a star.
        levels: Number of contour levels.
        resolution: Grid points per axis.
        log_levels: Space the levels logarithmically (for surfaces such as Rosenbrock's,
            whose interesting valley is far below its walls).
        xlabel: Label of the horizontal axis.
        ylabel: Label of the vertical axis.
        animated: Mark the artists that ``update`` changes (and those drawn over them)
            as animated, for widget demos: :func:`~nnlib.plot.to_png` then redraws only
            them on each frame.

    Returns:
        A :class:`SurfaceContour` whose ``update(paths)`` redraws the paths.

    Example:
        >>> import numpy as np
        >>> from nnlib import plot
        >>> fig, ax = plot.figure()
        >>> bowl = lambda a, b: a**2 + 10 * b**2
        >>> sc = plot.surface_contour(ax, bowl, (-2, 2), (-1, 1), {"SGD": [[-2, 1], [0, 0]]})

    Taught in chapter 5 (optimizers).
    """
    xs = np.linspace(*xlim, resolution)
    ys = np.linspace(*ylim, resolution)
    a, b = np.meshgrid(xs, ys)
    z = np.asarray(as_array(f(a, b)), dtype=float)
    with style():
        if log_levels:
            lo = max(float(z.min()), 1e-6)
            level_values = np.geomspace(lo, float(z.max()), levels)
        else:
            level_values = np.linspace(float(z.min()), float(z.max()), levels)
        ax.contourf(
            xs, ys, z, levels=level_values, cmap="Greys_r", alpha=0.35, zorder=0, extend="both"
        )
        ax.contour(
            xs,
            ys,
            z,
            levels=level_values,
            colors=MUTED,
            linewidths=0.6,
            zorder=1,
            negative_linestyles="solid",
        )
        ax.set_xlim(*xlim)
        ax.set_ylim(*ylim)
        ax.set_xlabel(xlabel)
        ax.set_ylabel(ylabel)
        ax.grid(False)
    handle = SurfaceContour(ax, animated)
    if paths:
        handle.update(paths)
        with style():
            ax.legend(loc="upper right").set_animated(animated)
    return handle
