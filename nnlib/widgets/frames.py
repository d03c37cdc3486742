r"""Precomputed frames: how a demo answers the hand on the static website, with no kernel.

In a kernel a demo is live: moving a control runs ``compute`` and ``render``. The website
has no kernel; it shows the widget state stored in the notebook. So when a notebook is
executed for the site (``tools/execute_notebooks.py`` sets ``NNLIB_WIDGETS_STATIC=1``), a
demo displays a *static* twin instead: for every setting of the controls the static page
offers, the frame is drawn now and stored as a small palette PNG (an ``<img>`` with an
alternative text, in an ``ipywidgets.HTML``); the frames sit in an ``ipywidgets.Stack``
whose ``selected_index`` is ``jsdlink``-ed to an index-based control (``SelectionSlider``,
``Dropdown``, ``ToggleButtons``). The browser's widget manager then swaps the picture when
the control moves: core ipywidgets models only, no custom JavaScript. Two controls that
matter together get the full product (one ``Stack`` per value of the first, inside a
``Stack`` indexed by it). A training demo gets a ``Play`` button and a step slider over a
precomputed run.

Identical frames are stored once (one frame widget shown by several stacks). Controls the
static page does not offer are not shown; one line says the full demo runs in Colab or
Binder. Where ipywidgets has no ``Stack`` (7.x, as on Colab), demos stay live.

Taught from chapter 1 (the perceptron and the artificial neuron) on; every demo uses it.
"""

from __future__ import annotations

import base64
import html
import io
import os
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import ipywidgets as widgets
from PIL import Image as PILImage

if TYPE_CHECKING:
    from nnlib.widgets.demo import Demo, TrainingDemo

#: The environment variable that asks displayed demos for their static twin.
STATIC_ENV = "NNLIB_WIDGETS_STATIC"
#: The line a static demo shows when it leaves controls or buttons out.
FULL_DEMO_NOTE = (
    "The full demo (every control, live) runs in Colab or Binder: the rocket button at the "
    "top of the page."
)
#: Colours of a stored frame's palette (plots use few; smooth shading still looks smooth).
PALETTE_COLORS = 128

#: Values one static control offers: a list, or (for the second control of a pair) a
#: function of the first control's value, when its range depends on it.
StaticValues = Sequence[Any] | Callable[[Any], Sequence[Any]]


def static_mode() -> bool:
    """Whether displayed demos should show their static twin (and can).

    Example:
        >>> import os
        >>> os.environ.pop(STATIC_ENV, None) and None
        >>> static_mode()
        False
    """
    return os.environ.get(STATIC_ENV, "") == "1" and hasattr(widgets, "Stack")


def palette_png(png: bytes, colors: int = PALETTE_COLORS) -> bytes:
    """Re-encode an RGB PNG with a palette of ``colors`` colours (a third of the size or less).

    Example:
        >>> from nnlib import plot
        >>> fig, ax = plot.figure(width=2, height=2)
        >>> png = plot.to_png(fig)
        >>> small = palette_png(png)
        >>> len(small) < len(png), small[:4] == png[:4]
        (True, True)
    """
    image = PILImage.open(io.BytesIO(png)).convert("RGB")
    # An octree keeps the few saturated colours of thin lines apart (median cut spends the
    # palette on the large grey areas and merged the race's blue and green racers).
    quantized = image.quantize(
        colors=colors, method=PILImage.Quantize.FASTOCTREE, dither=PILImage.Dither.NONE
    )
    out = io.BytesIO()
    quantized.save(out, format="PNG", optimize=True)
    return out.getvalue()


def value_label(control: widgets.Widget, value: Any) -> str:
    """How a static control labels ``value``: the live control's readout format.

    Example:
        >>> value_label(widgets.FloatSlider(readout_format=".2f"), 0.5)
        '0.50'
        >>> value_label(widgets.Checkbox(), True)
        'on'
    """
    if isinstance(value, bool):
        return "on" if value else "off"
    if isinstance(value, str):
        return value
    fmt = getattr(control, "readout_format", None) or "g"
    try:
        return format(value, fmt)
    except (TypeError, ValueError):
        return str(value)


def _labels(control: widgets.Widget, values: Sequence[Any], name: str) -> list[str]:
    labels = [value_label(control, v) for v in values]
    if len(set(labels)) != len(labels):
        labels = [f"{v:.6g}" if isinstance(v, float) else str(v) for v in values]
    if len(set(labels)) != len(labels) or not labels:
        raise ValueError(
            f"static frames: control {name!r} needs distinct values, got {list(values)!r}.\n"
            "help: pass each value once in the demo's `static` mapping."
        )
    return labels


def index_control(
    control: widgets.Widget, values: Sequence[Any], current: Any, name: str
) -> widgets.Widget:
    """An index-based twin of ``control`` offering ``values`` (selected: the nearest to
    ``current``), with the same description and style, marked ``nnlib-static-control``.

    Example:
        >>> twin = index_control(widgets.FloatSlider(description="b"), [0.0, 0.5, 1.0], 0.4, "b")
        >>> type(twin).__name__, twin.index, twin.options
        ('SelectionSlider', 1, ('0.00', '0.50', '1.00'))
    """
    labels = _labels(control, values, name)
    index = _nearest(values, current)
    common = {"description": getattr(control, "description", name), "index": index}
    if isinstance(control, widgets.Dropdown):
        twin = widgets.Dropdown(options=labels, layout=control.layout, **common)
    elif isinstance(control, (widgets.Checkbox, widgets.ToggleButtons)):
        twin = widgets.ToggleButtons(options=labels, **common)
    else:
        twin = widgets.SelectionSlider(options=labels, continuous_update=True, **common)
    style = getattr(control, "style", None)
    if style is not None and getattr(style, "description_width", ""):
        twin.style.description_width = style.description_width
    twin.add_class("nnlib-static-control")
    return twin


def _nearest(values: Sequence[Any], current: Any) -> int:
    if current in list(values):
        return list(values).index(current)
    try:
        return min(range(len(values)), key=lambda k: abs(values[k] - current))
    except TypeError:
        return 0


class _FrameStore:
    """Palette PNGs stored once each, as ``<img>`` tags with an alternative text.

    An ``ipywidgets.HTML`` holding an ``<img>`` (PNG as a data URL) rather than an
    ``ipywidgets.Image``: the image model has no alternative text, and its tooltip crashes
    its view in the browser's widget manager (8.1). The stored size is the same: widget
    state stores an image's bytes base64-encoded too.
    """

    def __init__(self, title: str) -> None:
        self.title = title
        self.frames: dict[bytes, widgets.HTML] = {}

    def frame(self, demo: Demo, setting: str) -> widgets.HTML:
        png = palette_png(demo.image.value)
        if png not in self.frames:
            text = f"{self.title}, {setting}. {_figure_text(demo)}"
            alt = html.escape(text.strip(" ,."), quote=True)
            data = base64.b64encode(png).decode("ascii")
            tag = f'<img src="data:image/png;base64,{data}" alt="{alt}" style="max-width:100%">'
            frame = widgets.HTML(tag)
            frame.add_class("nnlib-frame")
            self.frames[png] = frame
        return self.frames[png]


def _figure_text(demo: Demo) -> str:
    """What the frame's axes titles say (the numbers that change between frames)."""
    fig = demo.figure
    if fig is None:
        return ""
    titles = [ax.get_title() for ax in fig.axes] + [t.get_text() for t in fig.texts]
    return " ".join(t.replace("$", "") for t in titles if t.strip())


def _setting_text(demo: Demo, values: Mapping[str, Any]) -> str:
    """``"w₁ = 0.50, b = 1.00"``: the setting a frame shows, for its alternative text."""
    parts = []
    for name, value in values.items():
        control = demo.controls[name]
        parts.append(f"{getattr(control, 'description', name)} = {value_label(control, value)}")
    return ", ".join(parts) + ("," if parts else "")


def _stack(children: list[widgets.Widget], index: int) -> widgets.Stack:
    return widgets.Stack(children=children, selected_index=index)


def _settings(
    spec: Mapping[str, StaticValues],
) -> Iterator[tuple[tuple[int, ...], dict[str, Any]]]:
    """Every setting of the static controls: (indices, values), the first control outermost."""
    names = list(spec)
    if not names:
        yield (), {}
        return
    first = spec[names[0]]
    if callable(first):
        raise TypeError(
            f"static frames: the first control ({names[0]!r}) needs a list of values, "
            "got a function.\nhelp: only the second control's values may depend on the first."
        )
    for i, v in enumerate(first):
        if len(names) == 1:
            yield (i,), {names[0]: v}
            continue
        second = spec[names[1]]
        for j, u in enumerate(second(v) if callable(second) else second):
            yield (i, j), {names[0]: v, names[1]: u}


def build_static(demo: Demo, spec: Mapping[str, StaticValues]) -> tuple[list, widgets.Widget]:
    """Draw every frame of ``spec`` and wire the static controls to stacks of them.

    Returns:
        ``(controls, frames)``: the widgets for the control row and the frames' widget.
    """
    start = demo.values()
    store = _FrameStore(demo.title)
    frames: dict[tuple[int, ...], widgets.HTML] = {}
    for indices, values in _settings(spec):
        demo.set(**values)
        frames[indices] = store.frame(demo, _setting_text(demo, values))
    names = list(spec)
    if not names:
        return [], frames[()]
    first = index_control(demo.controls[names[0]], spec[names[0]], start[names[0]], names[0])
    if len(names) == 1:
        stack = _stack([frames[(i,)] for i in range(len(spec[names[0]]))], first.index)
        widgets.jsdlink((first, "index"), (stack, "selected_index"))
        return [first], stack
    second_spec = spec[names[1]]
    second_control = demo.controls[names[1]]
    panels, controls = [], [first]
    shared = None
    if not callable(second_spec):
        shared = index_control(second_control, second_spec, start[names[1]], names[1])
        controls.append(shared)
    for i, v in enumerate(spec[names[0]]):
        values = second_spec(v) if callable(second_spec) else second_spec
        own = shared or index_control(second_control, values, start[names[1]], names[1])
        inner = _stack([frames[(i, j)] for j in range(len(values))], own.index)
        widgets.jsdlink((own, "index"), (inner, "selected_index"))
        # A range that depends on the first control: each panel has its own second control.
        panels.append(inner if shared else widgets.VBox([own, inner]))
    outer = _stack(panels, first.index)
    widgets.jsdlink((first, "index"), (outer, "selected_index"))
    return controls, outer


def build_static_run(
    demo: TrainingDemo,
    spec: Mapping[str, Sequence[Any]],
    steps: int,
    ticks_per_step: int,
    step_label: Callable[[int], str],
) -> tuple[list, widgets.Widget]:
    """A training demo's static twin: ``Play`` and a step slider over a precomputed run
    (``steps`` frames, ``ticks_per_step`` ticks apart), one run per value of at most one
    other control.
    """
    names = list(spec)
    start = demo.values()
    # The page opens where the notebook left the demo (e.g. after a warm-up).
    shown = min(steps - 1, round(demo.ticks / ticks_per_step))
    store = _FrameStore(demo.title)
    runs: list[list[widgets.HTML]] = []
    for values in [{names[0]: v} for v in spec[names[0]]] if names else [{}]:
        with demo.hold():
            for name, value in values.items():
                demo.controls[name].value = value
        demo.reset()
        where = _setting_text(demo, values)
        run = [store.frame(demo, f"{where} {step_label(0)}")]
        for k in range(1, steps):
            for _ in range(ticks_per_step):
                demo.data = demo.step(demo.data, **demo.values())
            demo.draw()
            run.append(store.frame(demo, f"{where} {step_label(k * ticks_per_step)}"))
        runs.append(run)
    labels = [step_label(k * ticks_per_step) for k in range(steps)]
    step = widgets.SelectionSlider(options=labels, index=shown, description="step")
    step.add_class("nnlib-static-control")
    play = widgets.Play(value=shown, min=0, max=steps - 1, interval=300, description="Play")
    play.add_class("nnlib-static-play")
    widgets.jslink((play, "value"), (step, "index"))
    stacks = [_stack(run, shown) for run in runs]
    for stack in stacks:
        widgets.jsdlink((step, "index"), (stack, "selected_index"))
    if not names:
        return [play, step], stacks[0]
    first = index_control(demo.controls[names[0]], spec[names[0]], start[names[0]], names[0])
    outer = _stack(stacks, first.index)
    widgets.jsdlink((first, "index"), (outer, "selected_index"))
    return [first, play, step], outer
