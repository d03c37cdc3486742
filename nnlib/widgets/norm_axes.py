r"""Chapter 6's axes demo: which values of an (N, C, H, W) tensor share one mean and variance.

Every normalisation layer computes :math:`\hat x = (x - \mu)/\sqrt{\sigma^2 + \varepsilon}`;
they differ only in *which* values one :math:`\mu` and :math:`\sigma^2` are taken over. The
demo draws a small activation tensor as a block of cubes, with the two spatial axes H and W
flattened into one (as Wu & He draw it), and colours one set of values that is normalised
together. Move the slider to step through every such set; pick a layer to see how the sets
change: batch norm takes one channel across the whole batch, layer norm one whole example,
instance norm one channel of one example, group norm a group of channels of one example.
The view angle turns the block (in a kernel).

:func:`norm_sets` says which cells form set ``k`` (the tests check it against what nnlib's
layers actually standardise); :func:`norm_axes_view` is the pure function the demo draws;
:func:`norm_axes` is the widget.

Taught in chapter 6 (Normalization).
"""

from __future__ import annotations

from dataclasses import dataclass

import ipywidgets as widgets
import numpy as np
from matplotlib.collections import PolyCollection
from matplotlib.colors import to_rgb

from nnlib import plot
from nnlib.widgets.demo import Demo, register

#: The drawn tensor's shape (N, C, H, W): 4 examples, 6 channels, 2×3 positions.
SHAPE = (4, 6, 2, 3)

#: The layers the demo offers, by the name in the dropdown: (kind, groups of channels).
NORMS: dict[str, tuple[str, int]] = {
    "BatchNorm2d": ("batch", 0),
    "LayerNorm": ("layer", 0),
    "InstanceNorm2d": ("instance", 0),
    "GroupNorm, 3 groups": ("group", 3),
    "GroupNorm, 2 groups": ("group", 2),
}

#: In words, the axes each layer averages over.
AXES_TEXT = {
    "batch": "N, H, W (one channel across the whole batch)",
    "layer": "C, H, W (one whole example)",
    "instance": "H, W (one channel of one example)",
    "group": "H, W and the channels of one group (one example)",
}


def norm_sets(norm: str, shape: tuple[int, int, int, int] = SHAPE) -> np.ndarray:
    """Label every cell of an (N, C, H, W) tensor with the set it is normalised with.

    Args:
        norm: A name from :data:`NORMS`.
        shape: The tensor's shape.

    Returns:
        An integer array of ``shape``: cells with the same label share one mean and variance.

    Example:
        >>> int(norm_sets("BatchNorm2d").max() + 1), int(norm_sets("LayerNorm").max() + 1)
        (6, 4)
    """
    if norm not in NORMS:
        raise ValueError(
            f"norm_sets: expected a norm in {list(NORMS)}, got {norm!r}.\n"
            "help: pick one of nnlib.widgets.norm_axes.NORMS."
        )
    kind, groups = NORMS[norm]
    n, c = shape[:2]
    ni = np.arange(n)[:, None, None, None]
    ci = np.arange(c)[None, :, None, None]
    if kind == "batch":
        label = ci + 0 * ni
    elif kind == "layer":
        label = ni + 0 * ci
    elif kind == "instance":
        label = ni * c + ci
    else:
        label = ni * groups + ci // (c // groups)
    return np.broadcast_to(label, shape).copy()


@dataclass(frozen=True)
class NormAxesView:
    """What one frame draws.

    Attributes:
        norm: The layer's name.
        index: Which set is highlighted (0-based).
        count: How many sets (means) the layer computes.
        size: How many values each mean is taken over.
        selected: Boolean array of shape (N, C, H·W): the highlighted cells.
        axes_text: The axes averaged over, in words.
        azimuth: The view angle in degrees.
    """

    norm: str
    index: int
    count: int
    size: int
    selected: np.ndarray
    axes_text: str
    azimuth: float


def norm_axes_view(
    norm: str = "BatchNorm2d", index: int = 0, azimuth: float = 35.0
) -> NormAxesView:
    """Highlight set ``index`` of the layer ``norm`` on the tensor of shape :data:`SHAPE`.

    An index past the last set shows the last one (the slider's range follows the layer).

    Example:
        >>> view = norm_axes_view("InstanceNorm2d", 3)
        >>> view.count, view.size, int(view.selected.sum())
        (24, 6, 6)
    """
    labels = norm_sets(norm)
    count = int(labels.max()) + 1
    index = int(min(max(index, 0), count - 1))
    n, c, h, w = SHAPE
    selected = (labels == index).reshape(n, c, h * w)
    return NormAxesView(
        norm,
        index,
        count,
        int(selected.sum()),
        selected,
        AXES_TEXT[NORMS[norm][0]],
        float(azimuth),
    )


def _cube_faces() -> np.ndarray:
    """The six faces of the unit cube, each four corners (6, 4, 3), with outward normals."""
    faces = []
    for axis in range(3):
        for side in (0.0, 1.0):
            others = [a for a in range(3) if a != axis]
            quad = []
            for u, v in ((0, 0), (1, 0), (1, 1), (0, 1)):
                p = [0.0, 0.0, 0.0]
                p[axis], p[others[0]], p[others[1]] = side, u, v
                quad.append(p)
            faces.append(quad)
    return np.array(faces)


_FACES = _cube_faces()
_NORMALS = np.array([[-1, 0, 0], [1, 0, 0], [0, -1, 0], [0, 1, 0], [0, 0, -1], [0, 0, 1]], float)


def block_polygons(
    selected: np.ndarray, azimuth: float, elevation: float = 25.0
) -> tuple[np.ndarray, np.ndarray]:
    """Project the cubes of an (N, C, S) block to 2-D polygons, back to front.

    Axes of the drawing: C to the right, S (= H·W) upward, N into the page.

    Returns:
        ``(polygons, highlighted)``: an array (faces, 4, 2) in drawing order and a boolean
        per face.
    """
    n, c, s = selected.shape
    a, e = np.radians(azimuth), np.radians(elevation)
    # world coordinates: x = channel, y = example (depth), z = position (up)
    rot = np.array(
        [
            [np.cos(a), np.sin(a), 0.0],
            [-np.sin(a) * np.sin(e), np.cos(a) * np.sin(e), np.cos(e)],
            [-np.sin(a) * np.cos(e), np.cos(a) * np.cos(e), -np.sin(e)],
        ]
    )  # rows: screen x, screen y, depth away from the viewer
    visible = (_NORMALS @ rot[2]) < 0  # faces turned toward the viewer
    faces = _FACES[visible]
    ni, ci, si = np.meshgrid(np.arange(n), np.arange(c), np.arange(s), indexing="ij")
    origins = np.stack([ci.ravel(), ni.ravel(), si.ravel()], axis=1) * 1.08
    corners = origins[:, None, None, :] + faces[None]  # (cells, faces, 4, 3)
    screen = corners @ rot.T
    polys = screen[..., :2].reshape(-1, 4, 2)
    depth = screen[..., 2].mean(axis=2).reshape(-1)
    lit = np.repeat(selected.reshape(-1), len(faces))
    order = np.argsort(-depth, kind="stable")
    return polys[order], lit[order]


@register
def norm_axes() -> Demo:
    """The live demo: pick a normalisation layer and step through the sets it averages.

    Returns:
        The :class:`~nnlib.widgets.Demo`; make it the last line of a cell.

    Example:
        >>> demo = norm_axes()
        >>> demo.set(norm="LayerNorm", index=2)
        >>> demo.data.count, demo.data.size
        (4, 36)

    Taught in chapter 6 (Normalization).
    """
    names = list(NORMS)
    counts = {name: int(norm_sets(name).max()) + 1 for name in names}
    controls = {
        "norm": widgets.Dropdown(options=names, value=names[0], description="layer"),
        "index": widgets.IntSlider(value=0, min=0, max=counts[names[0]] - 1, description="set"),
        "azimuth": widgets.IntSlider(value=35, min=-60, max=60, step=5, description="turn"),
    }

    def follow(change: dict) -> None:  # the slider's range is the layer's number of sets
        controls["index"].max = counts[change["new"]] - 1

    controls["norm"].observe(follow, names="value")

    fig, ax = plot.figure(width=5.0, height=3.8)
    with plot.style():
        ax.set_axis_off()
        ax.set_aspect("equal")
        cells = PolyCollection([], linewidths=0.4, animated=True)
        ax.add_collection(cells)
        title = ax.set_title(" ", fontsize=10)
        note = ax.text(0.5, -0.02, " ", transform=ax.transAxes, ha="center", va="top",
                       fontsize=9)  # fmt: skip
        labels = [ax.text(0, 0, t, fontsize=10, ha="center", va="center", color=plot.INK)
                  for t in ("C (channels)", "N (examples)", "H·W (positions)")]  # fmt: skip
    for artist in (title, note, *labels):
        artist.set_animated(True)
    n, c, h, w = SHAPE
    on = np.array(to_rgb(plot.BLUE))

    def render(view: NormAxesView) -> object:
        polys, lit = block_polygons(view.selected, view.azimuth)
        cells.set_verts(list(polys))
        face = np.where(lit[:, None], np.append(on, 0.9), (0.85, 0.85, 0.85, 0.18))
        edge = np.where(lit[:, None], (0.0, 0.2, 0.4, 1.0), (0.55, 0.55, 0.55, 0.35))
        cells.set_facecolor(face)
        cells.set_edgecolor(edge)
        lo, hi = polys.reshape(-1, 2).min(axis=0), polys.reshape(-1, 2).max(axis=0)
        pad = 1.6
        ax.set_xlim(lo[0] - pad, hi[0] + pad)
        ax.set_ylim(lo[1] - pad, hi[1] + pad)
        # axis labels at the middle of three edges of the block
        a = np.radians(view.azimuth)
        e = np.radians(25.0)
        rot = np.array(
            [
                [np.cos(a), np.sin(a), 0.0],
                [-np.sin(a) * np.sin(e), np.cos(a) * np.sin(e), np.cos(e)],
            ]
        )
        size = np.array([c, n, h * w]) * 1.08
        anchors = ([size[0] / 2, -1.0, -1.0], [size[0] + 1.2, size[1] / 2, -0.8],
                   [-1.4, -0.5, size[2] / 2])  # fmt: skip
        for label, anchor in zip(labels, anchors, strict=True):
            label.set_position(tuple(rot @ np.array(anchor)))
        title.set_text(
            f"{view.norm}: set {view.index + 1} of {view.count} "
            f"({view.size} values share one μ and σ²)"
        )
        note.set_text(f"averages over {view.axes_text}")
        return fig

    def static_index(norm: str) -> list[int]:
        return list(range(counts[norm]))

    return Demo(
        controls,
        norm_axes_view,
        render,
        "Which values share one mean: batch, layer, instance and group norm",
        static={"norm": names, "index": static_index},
    )
