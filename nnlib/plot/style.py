r"""The course's one plot style: palette, figure, PNG bytes, static display.

Every figure in the book comes from :func:`figure` and leaves as PNG bytes from
:func:`to_png`, so all chapters share one look and every image is byte-identical from run to
run (nbval compares the notebooks, the site shows the stored outputs). Nothing here touches
``matplotlib.pyplot``: figures are plain :class:`matplotlib.figure.Figure` objects drawn by
the Agg renderer, so no global pyplot state leaks into a notebook's outputs.

Colours are the Okabe–Ito palette (Okabe & Ito, 2008), distinguishable with every common
form of colour blindness; classes also differ by marker shape, so a figure still reads in
greyscale. The figure face is opaque and light, so a figure stays readable when the book is
shown in dark mode.

Taught in chapter 1 (the perceptron and the artificial neuron) and used in every chapter.
"""

from __future__ import annotations

import contextlib
import io
from collections.abc import Iterator
from typing import Any

import matplotlib
import numpy as np
import PIL.Image
from cycler import cycler
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import LinearSegmentedColormap, to_rgb
from matplotlib.figure import Figure

from nnlib._tensor import Tensor

# ------------------------------------------------------------------ Okabe–Ito palette
BLACK = "#000000"
ORANGE = "#E69F00"
SKY_BLUE = "#56B4E9"
BLUISH_GREEN = "#009E73"
YELLOW = "#F0E442"
BLUE = "#0072B2"
VERMILLION = "#D55E00"
REDDISH_PURPLE = "#CC79A7"

#: Line colours in the order a chart uses them (yellow last: weak on a white face).
PALETTE: tuple[str, ...] = (
    BLUE, ORANGE, BLUISH_GREEN, VERMILLION, REDDISH_PURPLE, SKY_BLUE, BLACK, YELLOW,
)  # fmt: skip
#: Colour of class ``k`` in every scatter plot and decision region.
CLASS_COLORS: tuple[str, ...] = (BLUE, ORANGE, BLUISH_GREEN, REDDISH_PURPLE, SKY_BLUE, VERMILLION)
#: Marker of class ``k``: shapes differ too, for readers who cannot tell the colours apart.
CLASS_MARKERS: tuple[str, ...] = ("o", "^", "s", "D", "v", "P")

#: The figure and axes face: opaque and light, readable on the book's light and dark themes.
FACE = "#FFFFFF"
#: Text, spines and ticks.
INK = "#222222"
#: Grid lines and shaded "saturated" regions.
MUTED = "#BBBBBB"


def _tint(color: str, amount: float) -> tuple[float, float, float]:
    """``color`` blended towards white: ``amount`` 0 is white, 1 the full colour."""
    rgb = np.array(to_rgb(color))
    return tuple(1.0 - amount * (1.0 - rgb))


#: Class-1 probability shading: light class-0 blue, white at 0.5, light class-1 orange.
CLASS_CMAP = LinearSegmentedColormap.from_list(
    "nnlib_classes", [_tint(BLUE, 0.45), (1.0, 1.0, 1.0), _tint(ORANGE, 0.55)]
)

#: Matplotlib settings of the house style; :func:`style` applies them temporarily.
RC: dict[Any, Any] = {  # rcParams names (matplotlib types them as literals)
    "figure.facecolor": FACE,
    "axes.facecolor": FACE,
    "savefig.facecolor": FACE,
    "savefig.transparent": False,
    "axes.edgecolor": INK,
    "axes.labelcolor": INK,
    "text.color": INK,
    "xtick.color": INK,
    "ytick.color": INK,
    "font.size": 10,
    "axes.titlesize": 11,
    "axes.labelsize": 10,
    "xtick.labelsize": 9,
    "ytick.labelsize": 9,
    "legend.fontsize": 9,
    "legend.frameon": False,
    "axes.prop_cycle": cycler(color=list(PALETTE)),
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.color": MUTED,
    "grid.linewidth": 0.5,
    "grid.alpha": 0.6,
    "lines.linewidth": 2.0,
    "lines.markersize": 5,
    "image.cmap": "viridis",
    "mathtext.fontset": "dejavusans",
    "svg.hashsalt": "nnlib",
}

#: Default size of a figure, in inches, and its resolution in dots per inch.
WIDTH, HEIGHT, DPI = 5.0, 3.5, 90


def as_array(x: Any) -> np.ndarray:
    """The values of an nnlib ``Tensor``, a NumPy array or a nested list, as a NumPy array.

    Example:
        >>> import nnlib
        >>> as_array(nnlib.tensor([1.0, 2.0]))
        array([1., 2.], dtype=float32)
    """
    return x.data if isinstance(x, Tensor) else np.asarray(x)


@contextlib.contextmanager
def style() -> Iterator[None]:
    """Apply the house style (``RC``) inside a ``with`` block, and only there.

    :func:`figure` and :func:`to_png` already use it; wrap your own drawing code in it when
    you add artists whose look matplotlib fixes when they are created (legends, text).

    Example:
        >>> from nnlib import plot
        >>> with plot.style():
        ...     fig, ax = plot.figure()
        ...     _ = ax.legend(["a"])
    """
    with matplotlib.rc_context(RC):
        yield


def figure(
    nrows: int = 1,
    ncols: int = 1,
    *,
    width: float = WIDTH,
    height: float = HEIGHT,
    dpi: int = DPI,
    **subplots_kw: Any,
) -> tuple[Figure, Any]:
    """A styled figure and its axes, like ``plt.subplots`` but without pyplot.

    Args:
        nrows: Rows of axes.
        ncols: Columns of axes.
        width: Figure width in inches (default 5).
        height: Figure height in inches (default 3.5).
        dpi: Resolution used by :func:`to_png` unless it is given one (default 90).
        **subplots_kw: Passed to :meth:`matplotlib.figure.Figure.subplots` (``sharey=True``…).

    Returns:
        ``(fig, ax)``: one ``Axes`` for a 1×1 grid, else a NumPy array of them.

    Example:
        >>> from nnlib import plot
        >>> fig, ax = plot.figure()
        >>> _ = ax.plot([0, 1], [0, 1]); _ = ax.set_xlabel("epoch")
        >>> plot.to_png(fig)[:4]
        b'\\x89PNG'

    Taught in chapter 1 (the perceptron and the artificial neuron).
    """
    with style():
        fig = Figure(figsize=(width, height), dpi=dpi, layout="constrained")
        FigureCanvasAgg(fig)
        axes = fig.subplots(nrows, ncols, squeeze=True, **subplots_kw)
        for ax in np.atleast_1d(axes).flat:
            # Tick sizes are read when ticks are made (at draw time): fix them on the axes.
            ax.tick_params(labelsize=RC["xtick.labelsize"], colors=INK)
    return fig, axes


def _animated_artists(fig: Figure) -> list[Any]:
    """The figure's animated artists in drawing order: axes by axes, then by zorder."""
    order = {id(ax): k for k, ax in enumerate(fig.axes)}
    found = fig.findobj(lambda artist: artist.get_animated() and artist.get_visible())
    return sorted(found, key=lambda a: (order.get(id(a.axes), -1), a.get_zorder()))


def to_png(fig: Figure, dpi: int | None = None, compress_level: int = 6) -> bytes:
    """Render ``fig`` with Agg to PNG bytes, byte-identical for identical figures.

    Frames of a widget demo are drawn incrementally: artists marked animated
    (``artist.set_animated(True)``, or ``animated=True`` in the chart helpers) are drawn on
    top of a cached picture of everything else, which is redrawn only when something that
    is not animated changed (matplotlib marks the figure stale then). A frame then costs a
    third of a full draw, and is still the complete picture. The layout of such a figure is
    solved once, at its first frame, and kept.

    Args:
        fig: A figure, usually from :func:`figure`.
        dpi: Resolution; the figure's own (90 from :func:`figure`) when ``None``.
        compress_level: zlib level 0–9: 6 (default) for stored pictures, 1 for widget
            frames, where encoding time matters more than size.

    Returns:
        The PNG file's bytes: RGB (opaque, on the light face) with no metadata at all, so
        the bytes do not change between runs or machines with the same matplotlib.

    Example:
        >>> from nnlib import plot
        >>> fig, ax = plot.figure(width=2, height=2)
        >>> plot.to_png(fig) == plot.to_png(fig)
        True
    """
    canvas = fig.canvas if isinstance(fig.canvas, FigureCanvasAgg) else FigureCanvasAgg(fig)
    own_dpi = fig.dpi
    other_dpi = dpi is not None and dpi != own_dpi
    background = getattr(fig, "_nnlib_background", None)
    try:
        with style():
            if other_dpi or background is None or fig.stale:
                # One Agg draw straight into PNG: ``savefig`` would draw twice for a figure
                # with a layout engine, and would write the software version into the file.
                fig.dpi = dpi or own_dpi
                canvas.draw()  # skips the animated artists
                background = None if other_dpi else canvas.copy_from_bbox(fig.bbox)
                # The cached picture lives on its figure (matplotlib has no slot for it).
                fig._nnlib_background = background  # type: ignore[attr-defined]  # our own attribute
                animated = _animated_artists(fig)
                if animated and fig.get_layout_engine() is not None:
                    # Solve the layout once, at the first frame: later frames, incremental
                    # or full, keep it, so the same state always gives the same bytes.
                    fig.set_layout_engine("none")
            else:
                canvas.restore_region(background)
                animated = _animated_artists(fig)
            for artist in animated:
                fig.draw_artist(artist)
        # Drawing itself marks some artists as changed (tick positions, the layout); only
        # changes made between two frames should cost a full redraw.
        fig.stale = False
        rgb = np.asarray(canvas.buffer_rgba())[..., :3]
    finally:
        if other_dpi:
            fig.dpi = own_dpi
            fig._nnlib_background = None  # type: ignore[attr-defined]  # our own attribute (see above)
    buffer = io.BytesIO()
    PIL.Image.fromarray(rgb).save(buffer, format="png", compress_level=compress_level)
    return buffer.getvalue()


def show(fig: Figure, dpi: int | None = None) -> Any:
    """Display a static figure in a notebook as a PNG image, deterministically.

    Return it as the last expression of a cell: the cell gets one ``image/png`` output whose
    text form is fixed, so nbval compares it without sanitising, and the stored picture
    never changes from run to run.

    Args:
        fig: The figure to show.
        dpi: Resolution, as in :func:`to_png`.

    Returns:
        An ``IPython.display.Image`` of the PNG.

    Example:
        >>> from nnlib import plot
        >>> fig, ax = plot.figure()
        >>> type(plot.show(fig)).__name__
        'Image'

    Taught in chapter 1 (the perceptron and the artificial neuron) and used in every chapter.
    """
    from IPython.display import Image

    return Image(data=to_png(fig, dpi), format="png")
