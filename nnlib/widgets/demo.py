r"""The demo framework: controls → a pure ``compute`` → a ``render`` into a PNG image.

A demo is the one output of its notebook cell: a box holding a title, the controls and an
``ipywidgets.Image``. Moving a control calls ``compute(**values)`` (pure: numbers in, data
out, tested directly) and then ``render(data)``, which draws on a figure it keeps and
returns it; the figure becomes PNG bytes in the image. The first frame is in the image when
the cell finishes, so the static site shows it from the notebook's stored widget state.

Writing a new demo takes about fifteen lines::

    import numpy as np
    import ipywidgets as w
    from nnlib import plot
    from nnlib.widgets import Demo

    def compute(slope):                       # pure: tested without any widget
        x = np.linspace(-3, 3, 61)
        return x, np.tanh(slope * x)

    fig, ax = plot.figure()
    (line,) = ax.plot([], [], animated=True)  # animated: redrawn alone, each frame
    ax.set(xlim=(-3, 3), ylim=(-1.1, 1.1), xlabel="input $x$", ylabel=r"$\tanh(ax)$")

    def render(data):                         # update the artists, return the figure
        line.set_data(*data)
        return fig

    demo = Demo({"slope": w.FloatSlider(1.0, min=0.1, max=5.0, description="a")},
                compute, render, title="A steeper tanh",
                static={"slope": np.linspace(0.2, 5.0, 25)})  # what the website offers
    demo                                      # last line of the cell: the widget

For a demo that trains a network while you watch, see :class:`TrainingDemo`.

``static`` names the controls the website (no kernel) offers and their values: the frames
are drawn when the notebook is executed for the site (see :mod:`nnlib.widgets.frames`).

Taught from chapter 1 on.
"""

from __future__ import annotations

import contextlib
import html
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

import ipywidgets as widgets
from matplotlib.figure import Figure

from nnlib.plot import to_png
from nnlib.widgets.frames import (
    FULL_DEMO_NOTE,
    StaticValues,
    build_static,
    build_static_run,
    static_mode,
)

#: Every ready-made demo builder, by name, in chapter order (filled by :func:`register`).
REGISTRY: dict[str, Callable[..., Demo]] = {}


def register(builder: Callable[..., Demo]) -> Callable[..., Demo]:
    """Add a demo builder to ``REGISTRY`` (the benchmark, the tests and
    ``nnlib.widgets.__all__`` read it); use it as a decorator.

    Example:
        >>> "neuron_boundary" in REGISTRY
        True
    """
    REGISTRY[builder.__name__] = builder
    return builder


class DemoBox(widgets.VBox):
    """The container a demo shows: a ``VBox`` with a short, fixed text form.

    The default text form of a box lists every child with its value, including the PNG
    bytes of the image; a notebook would store all of it as the cell's ``text/plain``
    output. This one stays ``Demo('title')`` whatever the controls say.
    """

    def __init__(self, title: str, children: list[widgets.Widget]) -> None:
        super().__init__(children)
        self._demo_title = title
        self.add_class("nnlib-demo")

    def __repr__(self) -> str:
        return f"Demo({self._demo_title!r})"


class Demo:
    """Controls wired to a pure ``compute`` and a ``render`` that draws into an image.

    Args:
        controls: Names mapped to value widgets (sliders, dropdowns, checkboxes…); each
            name is a keyword argument of ``compute``.
        compute: ``compute(**values) -> data``: everything to draw, computed from the
            controls' values. Keep it pure so tests can call it directly.
        render: ``render(data) -> Figure``: draws ``data`` (ideally by updating the
            artists of one figure made once) and returns the figure.
        title: Shown above the controls and used as the demo's text form.
        buttons: Optional labels mapped to actions ``action(demo)``, e.g. one training
            step that moves the sliders with :meth:`set`.
        dpi: Resolution of the image (default: the figure's own).
        static: What the website (no kernel) offers: one or two control names mapped to
            the values their frames are drawn for (10–30 per slider; two controls get the
            full product; the second's values may be a function of the first's value).
            Other controls and the buttons are not shown there, and one line says the full
            demo runs in Colab or Binder. ``None``: the website shows the first frame.

    Attributes:
        widget: The box shown in the notebook (a :class:`DemoBox`).
        image: The ``ipywidgets.Image`` holding the current frame's PNG bytes.
        controls: The value widgets, by name.
        buttons: The button widgets, by label.
        data: What ``compute`` returned for the current frame.
        figure: What ``render`` returned for the current frame.

    Example:
        >>> import ipywidgets as w
        >>> from nnlib import plot
        >>> fig, ax = plot.figure(width=2, height=2)
        >>> (dot,) = ax.plot([0], [0], "o"); _ = ax.set(xlim=(-1, 1), ylim=(-1, 1))
        >>> def render(x):
        ...     dot.set_data([x], [0])
        ...     return fig
        >>> demo = Demo({"x": w.FloatSlider(0.0, min=-1, max=1)}, lambda x: x, render, "dot")
        >>> first = demo.image.value
        >>> demo.controls["x"].value = 0.5     # what dragging the slider does
        >>> demo.data, demo.image.value != first
        (0.5, True)
        >>> demo
        Demo('dot')

    Taught from chapter 1 on.
    """

    def __init__(
        self,
        controls: Mapping[str, widgets.ValueWidget],
        compute: Callable[..., Any],
        render: Callable[[Any], Figure],
        title: str = "",
        *,
        buttons: Mapping[str, Callable[[Demo], None]] | None = None,
        dpi: int | None = None,
        static: Mapping[str, StaticValues] | None = None,
    ) -> None:
        self.static = _check_static(dict(static or {}), controls, 2, title)
        self._static_widget: DemoBox | None = None
        self.controls = dict(controls)
        self.compute, self.render, self.title, self.dpi = compute, render, title, dpi
        self.data: Any = None
        self.figure: Figure | None = None
        self._held = False
        self.image = widgets.Image(format="png", layout=widgets.Layout(max_width="100%"))
        self.buttons: dict[str, widgets.Button] = {}
        for label, action in (buttons or {}).items():
            button = widgets.Button(description=label)
            button.on_click(lambda _button, action=action: action(self))
            self.buttons[label] = button
        for control in self.controls.values():
            control.observe(self._on_change, names="value")
        self.widget = DemoBox(title, self._children())
        self.update()

    # ----------------------------------------------------------------- layout
    def _control_row(self) -> list[widgets.Widget]:
        return [*self.controls.values(), *self.buttons.values()]

    def _children(self) -> list[widgets.Widget]:
        row = widgets.HBox(self._control_row(), layout=widgets.Layout(flex_flow="row wrap"))
        head = [widgets.HTML(f"<b>{html.escape(self.title)}</b>")] if self.title else []
        return [*head, row, self.image]

    # ----------------------------------------------------------------- behaviour
    def values(self) -> dict[str, Any]:
        """The controls' current values, by name (the keyword arguments of ``compute``)."""
        return {name: control.value for name, control in self.controls.items()}

    def update(self) -> None:
        """Compute the data from the controls' values and draw a new frame."""
        self.data = self.compute(**self.values())
        self.draw()

    def draw(self) -> None:
        """Render :attr:`data` and put the PNG bytes into :attr:`image`."""
        fig = self.render(self.data)
        if not getattr(fig, "_nnlib_layout_frozen", False) and fig.get_layout_engine():
            # Solve the layout at a figure's first frame only; solving it again for every
            # frame would cost a third of the update and could shift the axes as titles
            # change. (A demo may draw on several figures, e.g. one per surface.)
            fig.draw_without_rendering()
            fig.set_layout_engine("none")
            fig._nnlib_layout_frozen = True
        self.figure = fig
        self.image.value = to_png(fig, self.dpi, compress_level=1)

    def set(self, **values: Any) -> None:
        """Set several controls at once, then update once (not once per control)."""
        with self.hold():
            for name, value in values.items():
                self.controls[name].value = value
        self.update()

    @contextlib.contextmanager
    def hold(self) -> Iterator[None]:
        """Inside this block, control changes do not trigger updates."""
        held, self._held = self._held, True
        try:
            yield
        finally:
            self._held = held

    def _on_change(self, change: Mapping[str, Any]) -> None:
        if not self._held:
            self.update()

    # ----------------------------------------------------------------- display
    def static_widget(self) -> DemoBox:
        """The website's twin of ``widget``: stacks of precomputed frames switched by
        index-based controls (drawn on the first call; moves this demo's controls)."""
        if self._static_widget is None:
            controls, frames = self._build_static()
            head = [widgets.HTML(f"<b>{html.escape(self.title)}</b>")] if self.title else []
            row = widgets.HBox(controls, layout=widgets.Layout(flex_flow="row wrap"))
            children = [*head, row, frames]
            if self._static_leaves_out():
                note = widgets.HTML(f"<small>{html.escape(FULL_DEMO_NOTE)}</small>")
                note.add_class("nnlib-static-note")
                children.append(note)
            self._static_widget = DemoBox(self.title, children)
            self._static_widget.add_class("nnlib-static-demo")
        return self._static_widget

    def _build_static(self) -> tuple[list[widgets.Widget], widgets.Widget]:
        return build_static(self, self.static)

    def _static_leaves_out(self) -> bool:
        return bool(set(self.controls) - set(self.static) or self.buttons)

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        # Executed for the website (tools/execute_notebooks.py): show the static twin.
        shown = self.static_widget() if static_mode() else self.widget
        if hasattr(shown, "_repr_mimebundle_"):
            return shown._repr_mimebundle_(**kwargs)
        # ipywidgets 7 (long Colab's): a widget shows itself through _ipython_display_,
        # which sends this bundle; return it, so the demo is the cell's result as in 8.
        return {
            "text/plain": repr(shown),
            "application/vnd.jupyter.widget-view+json": {
                "version_major": 2,
                "version_minor": 0,
                "model_id": shown.model_id,
            },
        }

    def __repr__(self) -> str:
        return repr(self.widget)


def _check_static(
    static: dict[str, StaticValues], controls: Mapping[str, Any], most: int, title: str
) -> dict[str, StaticValues]:
    where = f"Demo({title!r})"
    unknown = [name for name in static if name not in controls]
    if unknown or len(static) > most:
        raise ValueError(
            f"{where}: static must name at most {most} of the controls {list(controls)}, "
            f"got {list(static)}.\nhelp: pick the controls that carry the lesson; the "
            "others stay at their first value on the website."
        )
    for k, (name, values) in enumerate(static.items()):
        if callable(values) and k == 0:
            raise TypeError(
                f"{where}: static[{name!r}] must be a list of values, got a function.\n"
                "help: only the second control's values may depend on the first's value."
            )
        if not callable(values) and len(values) == 0:
            raise ValueError(
                f"{where}: static[{name!r}] is empty.\nhelp: give the values to draw."
            )
    return {name: v if callable(v) else list(v) for name, v in static.items()}


class TrainingDemo(Demo):
    """A demo that trains while you watch: Play, Step and Reset, then your controls.

    The training state (model, optimizer, history…) lives in one object. ``init`` makes it
    from the controls' values, ``step`` advances it by one short chunk of training (keep one
    chunk, plus drawing, under 100 ms), and ``render`` draws it. Play ticks an integer
    counter, one chunk per tick; Step does one chunk; Reset, or moving any control, starts
    again from ``init``.

    Args:
        controls: Names mapped to value widgets; each name is a keyword argument of both
            ``init`` and ``step``.
        init: ``init(**values) -> state``: a fresh, seeded training state.
        step: ``step(state, **values) -> state``: one chunk of training (it may update
            ``state`` in place and return it).
        render: ``render(state) -> Figure``, as in :class:`Demo`.
        title: Shown above the controls.
        interval: Milliseconds between Play ticks.
        max_ticks: Ticks after which Play stops.
        dpi: Resolution of the image.
        static: At most one control name mapped to its values: the website gets one
            precomputed run per value (see :class:`Demo`).
        static_steps: ``(frames, ticks between frames)`` of each precomputed run; the
            website's Play and step slider move through them.
        step_label: ``step_label(ticks) -> str``, the step slider's readout (e.g. epochs).

    Attributes:
        play: The ``ipywidgets.Play`` counter.
        data: The current training state.

    Example:
        >>> import ipywidgets as w
        >>> from nnlib import plot
        >>> fig, ax = plot.figure(width=2, height=2)
        >>> (dot,) = ax.plot([1.0], [0], "o"); _ = ax.set(xlim=(-0.1, 1.1), ylim=(-1, 1))
        >>> def step(state, lr):                 # gradient descent on x**2
        ...     state["x"] -= lr * 2 * state["x"]
        ...     return state
        >>> def render(state):
        ...     dot.set_data([state["x"]], [0])
        ...     return fig
        >>> demo = TrainingDemo({"lr": w.FloatSlider(0.25, min=0.01, max=0.5)},
        ...                     lambda lr: {"x": 1.0}, step, render, "descent")
        >>> demo.tick(); demo.tick(); demo.data
        {'x': 0.25}
        >>> demo.reset(); demo.data
        {'x': 1.0}

    Taught from chapter 1 on.
    """

    def __init__(
        self,
        controls: Mapping[str, widgets.ValueWidget],
        init: Callable[..., Any],
        step: Callable[..., Any],
        render: Callable[[Any], Figure],
        title: str = "",
        *,
        interval: int = 150,
        max_ticks: int = 500,
        dpi: int | None = None,
        static: Mapping[str, Sequence[Any]] | None = None,
        static_steps: tuple[int, int] = (16, 1),
        step_label: Callable[[int], str] = str,
    ) -> None:
        self.init, self.step = init, step
        #: Chunks trained since the last reset (the website starts its run there too).
        self.ticks = 0
        self.static_steps, self.step_label = static_steps, step_label
        self.play = widgets.Play(
            value=0, min=0, max=max_ticks, interval=interval, description="Play", show_repeat=False
        )
        self.play.observe(self._on_play, names="value")
        super().__init__(
            controls,
            init,
            render,
            title,
            buttons={"Step": lambda demo: demo.tick(), "Reset": lambda demo: demo.reset()},
            dpi=dpi,
        )
        self.static = _check_static(dict(static or {}), controls, 1, title)

    def _build_static(self) -> tuple[list[widgets.Widget], widgets.Widget]:
        frames, ticks = self.static_steps
        return build_static_run(self, self.static, frames, ticks, self.step_label)

    def _static_leaves_out(self) -> bool:
        # Play and the step slider stand in for Play, Step and Reset.
        return bool(set(self.controls) - set(self.static))

    def _control_row(self) -> list[widgets.Widget]:
        return [self.play, *super()._control_row()]

    def tick(self) -> None:
        """Train one chunk and draw the new state."""
        self.data = self.step(self.data, **self.values())
        self.ticks += 1
        self.draw()

    def reset(self) -> None:
        """Start again from ``init`` (and rewind Play to 0 without training)."""
        with self.hold():
            self.play.value = 0
        self.ticks = 0
        self.update()

    def _on_play(self, change: Mapping[str, Any]) -> None:
        if not self._held and change["new"] > change["old"]:
            self.tick()

    def _on_change(self, change: Mapping[str, Any]) -> None:
        if not self._held:
            self.reset()
