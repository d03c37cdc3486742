"""nnlib.plot: the palette, the figure face, PNG determinism, the chart helpers, layering."""

from __future__ import annotations

import io
import subprocess
import sys

import matplotlib
import numpy as np
import pytest
from matplotlib.colors import to_rgb
from PIL import Image

import nnlib
from nnlib import plot
from nnlib.data import make_gaussians


def _pixels(png: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGBA"))


def _luminance(color: str) -> float:
    # WCAG relative luminance.
    c = np.array(to_rgb(color))
    c = np.where(c <= 0.03928, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)
    return float(0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2])


# ----------------------------------------------------------------- palette and style
def test_okabe_ito_palette_constants():
    assert (plot.BLACK, plot.ORANGE, plot.SKY_BLUE, plot.BLUISH_GREEN) == (
        "#000000",
        "#E69F00",
        "#56B4E9",
        "#009E73",
    )
    assert (plot.YELLOW, plot.BLUE, plot.VERMILLION, plot.REDDISH_PURPLE) == (
        "#F0E442",
        "#0072B2",
        "#D55E00",
        "#CC79A7",
    )
    assert len(set(plot.PALETTE)) == len(plot.PALETTE) == 8
    assert set(plot.CLASS_COLORS) <= set(plot.PALETTE)
    assert len(set(plot.CLASS_COLORS)) == len(plot.CLASS_COLORS)
    assert len(set(plot.CLASS_MARKERS)) == len(plot.CLASS_MARKERS) == len(plot.CLASS_COLORS)


def test_face_is_opaque_light_and_text_contrasts():
    fig, ax = plot.figure()
    ax.plot([0, 1], [0, 1])
    pixels = _pixels(plot.to_png(fig))
    # Opaque everywhere: on the book's dark theme a transparent figure would show dark
    # text on a dark page.
    assert pixels[..., 3].min() == 255
    corner = pixels[2, 2, :3] / 255
    assert corner.min() > 0.9
    # WCAG contrast of the text on the face: at least 7:1 (AAA).
    ratio = (_luminance(plot.FACE) + 0.05) / (_luminance(plot.INK) + 0.05)
    assert ratio >= 7


def test_figure_size_dpi_and_axes_grid():
    fig, _ax = plot.figure(width=4, height=3, dpi=50)
    assert Image.open(io.BytesIO(plot.to_png(fig))).size == (200, 150)
    fig, axes = plot.figure(2, 3)
    assert axes.shape == (2, 3)


def test_helpers_leave_global_rcparams_alone():
    before = dict(matplotlib.rcParams)
    fig, ax = plot.figure()
    X, y = make_gaussians(20, seed=0)
    plot.decision_boundary(ax, lambda P: nnlib.sigmoid(P[:, 0]), X, y)
    plot.to_png(fig)
    assert dict(matplotlib.rcParams) == before


def test_png_is_byte_identical_across_figures_and_processes():
    code = (
        "import hashlib, numpy as np\n"
        "from nnlib import plot\n"
        "fig, ax = plot.figure()\n"
        "x = np.linspace(-3, 3, 61)\n"
        "plot.function_and_derivative(ax, x, np.tanh(x), 1 - np.tanh(x)**2, name='tanh')\n"
        "print(hashlib.sha256(plot.to_png(fig)).hexdigest())\n"
    )
    runs = {
        subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        ).stdout.strip()
        for _ in range(2)
    }
    assert len(runs) == 1
    fig, ax = plot.figure()
    x = np.linspace(-3, 3, 61)
    plot.function_and_derivative(ax, x, np.tanh(x), 1 - np.tanh(x) ** 2, name="tanh")
    import hashlib

    assert hashlib.sha256(plot.to_png(fig)).hexdigest() in runs


def test_png_carries_no_software_or_date_metadata():
    fig, _ = plot.figure()
    info = Image.open(io.BytesIO(plot.to_png(fig))).info
    assert "Software" not in info
    assert not any("date" in key.lower() for key in info)


def test_show_returns_a_png_image():
    fig, ax = plot.figure()
    ax.plot([0, 1])
    shown = plot.show(fig)
    assert type(shown).__name__ == "Image"
    assert shown.data == plot.to_png(fig)


def test_no_pyplot_is_imported():
    code = (
        "import sys\n"
        "from nnlib import plot, widgets\n"
        "fig, ax = plot.figure(); plot.to_png(fig); widgets.neuron_boundary()\n"
        "assert 'matplotlib.pyplot' not in sys.modules, 'pyplot was imported'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_nnlib_imports_without_matplotlib_or_ipywidgets():
    code = (
        "import sys\n"
        "sys.modules['matplotlib'] = None; sys.modules['ipywidgets'] = None\n"
        "import nnlib, nnlib.nn, nnlib.optim, nnlib.data\n"
        "x = nnlib.tensor([1.0, 2.0], requires_grad=True); (x * x).sum().backward()\n"
        "assert x.grad.tolist() == [2.0, 4.0]\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_core_does_not_import_the_teaching_tools():
    code = (
        "import sys\n"
        "import nnlib, nnlib.nn, nnlib.optim, nnlib.data\n"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('matplotlib', 'ipywidgets')\n"
        "       or m in ('nnlib.plot', 'nnlib.widgets')]\n"
        "assert not bad, bad\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


# ----------------------------------------------------------------- chart helpers
@pytest.mark.parametrize("as_tensor", [True, False])
def test_decision_boundary_accepts_tensors_and_arrays(as_tensor):
    X, y = make_gaussians(60, seed=1)
    if not as_tensor:
        X, y = X.data, y.data
    fig, ax = plot.figure()
    db = plot.decision_boundary(ax, lambda P: nnlib.sigmoid(4 * P[:, 0]), X, y, resolution=30)
    assert [len(s.get_offsets()) for s in db.points] == [30, 30]
    assert len(db.line.get_xdata()) > 0  # the 0.5 line is inside the box
    first = plot.to_png(fig)
    db.update(lambda P: nnlib.sigmoid(4 * P[:, 1]))
    assert plot.to_png(fig) != first


def test_decision_boundary_regions_follow_the_prediction():
    _fig, ax = plot.figure()
    X, y = make_gaussians(20, seed=0)
    db = plot.decision_boundary(ax, lambda P: nnlib.sigmoid(10 * P[:, 0]), X, y, resolution=20)
    rgb = db.image.get_array()
    # Left half leans to class 0 (blue), right half to class 1 (orange).
    left, right = rgb[:, 0], rgb[:, -1]
    assert left[:, 2].mean() > left[:, 0].mean()
    assert right[:, 0].mean() > right[:, 2].mean()


def test_decision_boundary_grid_values_and_multiclass():
    _fig, ax = plot.figure()
    X = np.array([[0.0, 0.0], [1.0, 1.0], [-1.0, 1.0]])
    y = np.array([0, 1, 2])
    grid = plot.grid_points((-1.5, 1.5), (-1.5, 1.5), 10)
    scores = np.stack([-grid[:, 0], grid[:, 0], grid[:, 1]], axis=1)
    db = plot.decision_boundary(ax, scores, X, y, resolution=10)
    assert len(db.points) == 3
    assert len(db.line.get_xdata()) == 0  # several classes: regions only
    assert db.values(scores).shape == (10, 10, 3)
    with pytest.raises(ValueError, match="grid_points"):
        db.update(np.zeros(7))


def test_decision_boundary_without_a_crossing_draws_no_line():
    _fig, ax = plot.figure()
    db = plot.decision_boundary(ax, np.full(100, 0.9), [[0.0, 0.0]], [1], resolution=10)
    assert len(db.line.get_xdata()) == 0


def test_function_and_derivative_update_and_shading():
    fig, ax = plot.figure()
    x = np.linspace(-5, 5, 101)
    s = 1 / (1 + np.exp(-x))
    h = plot.function_and_derivative(ax, x, s, s * (1 - s), saturated=np.abs(x) > 3)
    assert len(h.shading.get_paths()) == 2  # both tails
    np.testing.assert_array_equal(h.f_line.get_ydata(), s)
    first = plot.to_png(fig)
    h.update(nnlib.tensor(x), nnlib.tensor(np.tanh(x)), 1 - np.tanh(x) ** 2)
    assert len(h.shading.get_paths()) == 0
    assert plot.to_png(fig) != first


def test_learning_curves_lines_and_update():
    _fig, ax = plot.figure()
    lc = plot.learning_curves(ax, {"train": [1.0, 0.5], "validation": [1.2, 0.9]})
    assert lc.lines["train"].get_xdata().tolist() == [1, 2]
    lc.update({"train": [1.0, 0.5, 0.25], "validation": [1.2, 0.9, 0.8]})
    assert lc.lines["train"].get_ydata().tolist() == [1.0, 0.5, 0.25]
    assert ax.get_xlim()[1] >= 3
    colours = {line.get_color() for line in lc.lines.values()}
    assert colours == {plot.PALETTE[0], plot.PALETTE[1]}


def test_surface_contour_paths():
    fig, ax = plot.figure()
    sc = plot.surface_contour(
        ax,
        lambda a, b: a**2 + 10 * b**2,
        (-2, 2),
        (-1, 1),
        {"SGD": nnlib.tensor([[-2.0, 1.0], [-1.0, 0.2]]), "Adam": [[-2.0, 1.0]]},
    )
    assert sc.lines["SGD"].get_xdata().tolist() == [-2.0, -1.0]
    assert sc.ends["SGD"].get_xdata().tolist() == [-1.0]
    first = plot.to_png(fig)
    sc.update({"SGD": [[-2.0, 1.0], [0.0, 0.0]]})
    assert len(sc.lines["Adam"].get_xdata()) == 0  # not in this update: hidden
    assert plot.to_png(fig) != first


# ----------------------------------------------------------------- incremental frames
def _animated_boundary():
    fig, ax = plot.figure()
    X, y = make_gaussians(40, seed=0)
    db = plot.decision_boundary(
        ax, lambda P: nnlib.sigmoid(3 * P[:, 0]), X, y, resolution=20, animated=True
    )
    ax.title.set_animated(True)
    return fig, ax, db


def test_incremental_frame_equals_a_full_redraw():
    fig, ax, db = _animated_boundary()
    plot.to_png(fig)
    db.update(lambda P: nnlib.sigmoid(3 * P[:, 1] - 1))
    ax.title.set_text("moved")
    incremental = plot.to_png(fig)
    fig.stale = True  # force the full draw
    assert plot.to_png(fig) == incremental
    assert type(fig.get_layout_engine()).__name__ == "PlaceHolderLayoutEngine"  # frozen


def test_changes_to_static_artists_still_show():
    fig, ax, _db = _animated_boundary()
    before = plot.to_png(fig)
    assert plot.to_png(fig) == before
    ax.set_xlabel("something else")  # not animated: needs the full redraw
    assert plot.to_png(fig) != before


def test_animated_artists_appear_in_plain_to_png_and_other_dpi():
    fig, _, _ = _animated_boundary()
    pixels = _pixels(plot.to_png(fig, dpi=45))
    assert pixels.shape[:2] == (157, 225)
    # The shaded regions are animated, and still in the picture.
    assert (np.abs(pixels[..., 0].astype(int) - pixels[..., 2]) > 40).mean() > 0.2
