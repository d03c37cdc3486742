"""The website's demos: precomputed frames behind index-based controls (nnlib.widgets.frames).

Kernel-side checks: the static twin shows, for each setting, the frame the live demo draws
for it; bad ``static`` specs fail clearly; identical frames are stored once; demos stay live
without ``Stack``; the registry drives ``DEMOS`` and ``__all__``; and the frames stored in
the chapters are what the current code renders (image comparison with a small tolerance).
"""

from __future__ import annotations

import base64
import io
import re
from pathlib import Path

import ipywidgets as w
import numpy as np
import pytest
from ipywidgets.widgets.widget import _instances
from PIL import Image

from nnlib import plot, widgets
from nnlib.widgets import Demo, TrainingDemo
from nnlib.widgets.frames import FULL_DEMO_NOTE, STATIC_ENV, palette_png, static_mode
from tests.widget_state import WidgetState

ROOT = Path(__file__).resolve().parent.parent
CHAPTERS = sorted((ROOT / "book").glob("*.ipynb"))


def pixels(png: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"), dtype=np.int16)


def frame_png(html: str) -> bytes:
    match = re.search(r'src="data:image/png;base64,([^"]+)"', html)
    assert match, f"no PNG data URL in frame {html[:80]!r}"
    return base64.b64decode(match.group(1))


def close(a: bytes, b: bytes) -> float:
    """Mean absolute difference of two pictures, in 0–255 levels (inf if sizes differ)."""
    pa, pb = pixels(a), pixels(b)
    return float(np.abs(pa - pb).mean()) if pa.shape == pb.shape else float("inf")


def dot_demo(**kwargs) -> Demo:
    fig, ax = plot.figure(width=2, height=2)
    (dot,) = ax.plot([0], [0], "o", animated=True)
    ax.set(xlim=(-1, 1), ylim=(-1, 1))

    def render(data):
        dot.set_data([data[0]], [data[1]])
        return fig

    controls = {
        "x": w.FloatSlider(0.0, min=-1, max=1, description="x"),
        "y": w.FloatSlider(0.0, min=-1, max=1, description="y"),
        "big": w.Checkbox(False, description="big"),
    }
    return Demo(controls, lambda x, y, big: (x, y), render, "dot", **kwargs)


def test_each_setting_shows_the_frame_the_live_demo_draws() -> None:
    xs, ys = [-0.5, 0.0, 0.5], [0.25, 0.75]
    demo = dot_demo(static={"x": xs, "y": ys})
    box = demo.static_widget()
    state = WidgetState({m.model_id: _model(m) for m in _models(box)}, [box.model_id])
    (first, second) = state.shown(box.model_id)[1]
    assert state.options(first) == ["-0.50", "0.00", "0.50"]
    live = dot_demo()
    for i, x in enumerate(xs):
        for j, y in enumerate(ys):
            frames, _ = state.shown(box.model_id, {first: i, second: j})
            assert len(frames) == 1
            live.set(x=x, y=y)
            assert frame_png(state.frame_html(frames[0])) == palette_png(live.image.value)
    # The checkbox is not offered: the note says where the full demo runs.
    assert FULL_DEMO_NOTE in str([getattr(c, "value", "") for c in box.children])


def test_a_demo_with_every_control_static_has_no_note() -> None:
    fig, _ = plot.figure(width=2, height=2)
    demo = Demo({"a": w.IntSlider(1, min=0, max=3)}, lambda a: a, lambda a: fig, "t",
                static={"a": [0, 1, 2]})  # fmt: skip
    texts = [getattr(c, "value", "") for c in demo.static_widget().children]
    assert FULL_DEMO_NOTE not in str(texts)


def test_identical_frames_are_stored_once() -> None:
    fig, _ = plot.figure(width=2, height=2)
    demo = Demo({"a": w.IntSlider(0, min=0, max=9)}, lambda a: a % 2, lambda a: fig, "t",
                static={"a": list(range(6))})  # fmt: skip
    stack = demo.static_widget().children[2]
    assert len(stack.children) == 6 and len({c.model_id for c in stack.children}) == 1


def test_frames_are_small_palette_pngs_with_alt_text() -> None:
    demo = dot_demo(static={"x": [0.0, 0.5]})
    frame = demo.static_widget().children[2].children[1]
    png = frame_png(frame.value)
    assert Image.open(io.BytesIO(png)).mode == "P"
    assert 'alt="dot, x = 0.50' in frame.value


@pytest.mark.parametrize(
    ("static", "error", "message"),
    [
        ({"nope": [1]}, ValueError, "at most 2 of the controls"),
        ({"x": [0], "y": [0], "big": [True]}, ValueError, "at most 2"),
        ({"x": lambda v: [v]}, TypeError, "must be a list of values"),
        ({"x": []}, ValueError, "is empty"),
        ({"x": [0.1, 0.1]}, ValueError, "distinct values"),
    ],
)
def test_bad_static_specs_fail_clearly(static, error, message) -> None:
    with pytest.raises(error, match=message) as info:
        dot_demo(static=static).static_widget()
    assert "help:" in str(info.value)


def test_a_training_demo_offers_one_control_and_a_precomputed_run() -> None:
    fig, ax = plot.figure(width=2, height=2)
    controls = {"lr": w.FloatSlider(0.5, min=0.1, max=0.9), "other": w.IntSlider(0)}
    with pytest.raises(ValueError, match="at most 1"):
        TrainingDemo(controls, lambda lr, other: 1.0, lambda s, **v: s, lambda s: fig, "t",
                     static={"lr": [0.1], "other": [0]})  # fmt: skip
    seen = []

    def step(state, lr, other):
        return state * (1 - lr)

    def render(state):
        seen.append(state)
        ax.set_title(f"{state:.4f}")
        return fig

    demo = TrainingDemo(controls, lambda lr, other: 1.0, step, render, "t",
                        static={"lr": [0.25, 0.5]}, static_steps=(4, 2))  # fmt: skip
    box = demo.static_widget()
    state = WidgetState({m.model_id: _model(m) for m in _models(box)}, [box.model_id])
    _, (lr, step_slider) = state.shown(box.model_id)
    assert state.options(step_slider) == ["0", "2", "4", "6"]
    frames, _ = state.shown(box.model_id, {lr: 1, step_slider: 3})
    assert "0.0156" in state.frame_html(frames[0])  # 0.5 ** 6, in the alt text
    assert any(isinstance(c, w.Play) for c in box.children[1].children)


def test_demos_stay_live_without_a_stack(monkeypatch) -> None:
    monkeypatch.setenv(STATIC_ENV, "1")
    assert static_mode()
    demo = dot_demo(static={"x": [0.0, 0.5]})
    assert demo._repr_mimebundle_()[
        "application/vnd.jupyter.widget-view+json"
    ]["model_id"] == demo.static_widget().model_id  # fmt: skip
    monkeypatch.delattr(w, "Stack")  # ipywidgets 7 (Colab)
    assert not static_mode()
    live = dot_demo(static={"x": [0.0, 0.5]})
    bundle = live._repr_mimebundle_()
    assert bundle["application/vnd.jupyter.widget-view+json"]["model_id"] == live.widget.model_id


def test_the_registry_drives_demos_and_all() -> None:
    assert list(widgets.DEMOS) == [
        n for m in widgets.DEMO_MODULES for n, b in widgets.REGISTRY.items()
        if b.__module__ == f"nnlib.widgets.{m}"
    ]  # fmt: skip
    assert set(widgets.DEMOS) <= set(widgets.__all__)
    assert set(widgets.DEMOS) == set(widgets.REGISTRY)
    for name, build in widgets.DEMOS.items():
        assert getattr(widgets, name) is build
        assert build().static, f"{name} offers no control on the website"


def test_every_chapter_demo_is_stored_as_a_static_demo() -> None:
    """10 chapter demos plus the setup page's: all stored with their frames."""
    titles = []
    for path in CHAPTERS:
        state = WidgetState.from_notebook(path)
        boxes = state.static_demos()
        views = [i for i in state.displayed if "nnlib-demo" in state.classes(i)]
        assert boxes == views, f"{path.name}: a demo is stored without its frames"
        titles += [state.title(box) for box in boxes]
    built = {build().title for build in widgets.DEMOS.values()}
    assert built <= set(titles), f"not stored: {built - set(titles)}"
    assert len(titles) >= 11


def _stored_cases():
    demos = {}
    for path in CHAPTERS:
        state = WidgetState.from_notebook(path)
        for box in state.static_demos():
            demos[state.title(box)] = (path.name, state, box)
    return demos


# Frames that depend on rounding, and so on the CPU's arithmetic kernels (`make
# check-kernels` runs this test under each family): the end of the dying-ReLU training run, at
# a learning rate that makes it chaotic, and the finite-difference explorer at its first
# setting, a step of 1e-16, below float64's resolution (that frame shows rounding noise: it
# is its lesson). Measured across the SkylakeX, Haswell and Sandybridge kernels: mean |Δ| up
# to 13.5 and 2.0 levels. Those frames are compared loosely (a stale frame with other data
# or axes still differs by more), every other frame strictly.
ROUNDING_SENSITIVE = {("dying_relu", "last"): 25.0, ("finite_difference_explorer", "first"): 25.0}


@pytest.mark.parametrize("name", list(widgets.DEMOS))
def test_stored_frames_are_what_the_current_code_renders(name: str) -> None:
    """Re-render a few settings of each stored demo and compare with the stored frames."""
    demo = widgets.DEMOS[name]()
    stored = _stored_cases()
    assert demo.title in stored, f"{name} is not stored in any chapter"
    notebook, state, box = stored[demo.title]
    names = list(demo.static)
    for where in ("first", "last"):
        overrides, values = {}, {}
        # Move each visible control to its first (last) value; moving the first control
        # can show another second control (a per-panel one), so repeat until none is new.
        while new := [c for c in state.shown(box, overrides)[1] if c not in overrides]:
            for control in new:
                overrides[control] = 0 if where == "first" else len(state.options(control)) - 1
        frames, controls = state.shown(box, overrides)
        picked = [overrides[c] for c in controls]
        if isinstance(demo, TrainingDemo):
            ticks = demo.static_steps[1]
            if names:
                values[names[0]] = demo.static[names[0]][picked[0]]
            with demo.hold():
                for n, v in values.items():
                    demo.controls[n].value = v
            demo.reset()
            for _ in range(picked[-1] * ticks):
                demo.data = demo.step(demo.data, **demo.values())
            demo.draw()
        else:
            for n, k in zip(names, picked, strict=True):
                spec = demo.static[n]
                options = spec(values[names[0]]) if callable(spec) else spec
                values[n] = list(options)[k]
            demo.set(**values)
        difference = close(frame_png(state.frame_html(frames[0])), palette_png(demo.image.value))
        tolerance = ROUNDING_SENSITIVE.get((name, where), 1.0)
        assert difference < tolerance, (
            f"{notebook}: {name} at {values} {picked}: the stored frame differs from what the "
            f"code draws now (mean |Δ| = {difference:.2f} levels): run tools/execute_notebooks.py"
        )


def _models(widget) -> list:
    """The widget and every widget it refers to, plus links between them."""
    seen = {}

    def walk(x):
        if isinstance(x, w.Widget) and x.model_id not in seen:
            seen[x.model_id] = x
            for key in x.keys:
                value = getattr(x, key)
                for item in value if isinstance(value, (list, tuple)) else [value]:
                    walk(item)

    walk(widget)
    for x in list(_instances.values()):
        if type(x).__name__ in {"Link", "DirectionalLink"}:
            if x.source[0].model_id in seen and x.target[0].model_id in seen:
                seen[x.model_id] = x
    return list(seen.values())


def _model(x) -> dict:
    state = x.get_state()  # references serialised as "IPY_MODEL_<id>", as stored
    return {"model_name": state["_model_name"], "state": state}


def test_palette_frames_keep_every_line_colour_apart() -> None:
    """Thin lines in the plot palette's colours over large grey shading (the optimizer
    race) keep their own colours: median cut once merged blue with green."""
    fig, ax = plot.figure(width=5, height=3.5)
    ax.imshow(np.linspace(0, 1, 200)[None, :] * np.ones((50, 1)), cmap="Greys",
              extent=(0, 1, 0, 1), aspect="auto")  # fmt: skip
    for k, colour in enumerate(plot.PALETTE[:6]):
        ax.plot([0.05, 0.95], [0.1 + 0.15 * k] * 2, color=colour, lw=1.5)
    stored = pixels(palette_png(plot.to_png(fig)))
    for colour in plot.PALETTE[:6]:
        rgb = np.array([int(colour[i : i + 2], 16) for i in (1, 3, 5)])
        nearest = np.abs(stored - rgb).sum(axis=2).min()
        assert nearest <= 24, f"{colour} is lost in the palette (nearest differs by {nearest})"
