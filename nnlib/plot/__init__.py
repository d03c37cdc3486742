"""The course's plots: one style, PNG bytes, and the charts the chapters share.

Use :func:`figure` for a styled ``Figure`` (no pyplot), draw with the chart helpers or with
matplotlib directly, and end a notebook cell with :func:`show` (a static picture) or hand
the figure to a widget demo (:mod:`nnlib.widgets`), which turns it into PNG bytes with
:func:`to_png`. Needs matplotlib; the rest of nnlib does not.

Example:
    >>> import numpy as np
    >>> from nnlib import plot
    >>> fig, ax = plot.figure()
    >>> x = np.linspace(-3, 3, 61)
    >>> h = plot.function_and_derivative(ax, x, np.tanh(x), 1 - np.tanh(x) ** 2, name="tanh")
    >>> png = plot.to_png(fig)

Taught in chapter 1 (the perceptron and the artificial neuron) and used in every chapter.
"""

from nnlib.plot.charts import (
    DecisionBoundary,
    FunctionAndDerivative,
    LearningCurves,
    SurfaceContour,
    decision_boundary,
    function_and_derivative,
    grid_points,
    learning_curves,
    surface_contour,
)
from nnlib.plot.style import (
    BLACK,
    BLUE,
    BLUISH_GREEN,
    CLASS_CMAP,
    CLASS_COLORS,
    CLASS_MARKERS,
    DPI,
    FACE,
    HEIGHT,
    INK,
    MUTED,
    ORANGE,
    PALETTE,
    RC,
    REDDISH_PURPLE,
    SKY_BLUE,
    VERMILLION,
    WIDTH,
    YELLOW,
    as_array,
    figure,
    show,
    style,
    to_png,
)

__all__ = [
    "BLACK", "BLUE", "BLUISH_GREEN", "CLASS_CMAP", "CLASS_COLORS", "CLASS_MARKERS", "DPI",
    "FACE", "HEIGHT", "INK", "MUTED", "ORANGE", "PALETTE", "RC", "REDDISH_PURPLE", "SKY_BLUE",
    "VERMILLION", "WIDTH", "YELLOW", "DecisionBoundary", "FunctionAndDerivative",
    "LearningCurves", "SurfaceContour", "as_array", "decision_boundary", "figure",
    "function_and_derivative", "grid_points", "learning_curves", "show", "style",
    "surface_contour", "to_png",
]  # fmt: skip
