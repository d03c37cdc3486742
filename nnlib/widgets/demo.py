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
                compute, render, title="A steeper tanh")
    demo                                      # last line of the cell: the widget

For a demo that trains a network while you watch, see :class:`TrainingDemo`.

Taught from chapter 1 on.
"""

from __future__ import annotations

import contextlib
import html
from collections.abc import Callable, Iterator, Mapping
from typing import Any

import ipywidgets as widgets
from matplotlib.figure import Figure

from nnlib.plot import to_png


class DemoBox(widgets.VBox):
    """The container a demo shows: a ``VBox`` with a short, fixed text form.

    The default text form of a box lists every child with its value, including the PNG
    bytes of the image; a notebook would store all of it as the cell's ``text/plain``
    output. This one stays ``Demo('title')`` whatever the controls say.
    """

    def __init__(self, title: str, children: list[widgets.Widget]) -> None:
        super().__init__(children)
        self._demo_title = title

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
    ) -> None:
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
        if self.figure is None and fig.get_layout_engine() is not None:
            # Solve the layout at the first frame only; solving it again for every frame
            # would cost a third of the update and could shift the axes as titles change.
            fig.draw_without_rendering()
            fig.set_layout_engine("none")
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
    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return self.widget._repr_mimebundle_(**kwargs)

    def __repr__(self) -> str:
        return repr(self.widget)


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
    ) -> None:
        self.init, self.step = init, step
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

    def _control_row(self) -> list[widgets.Widget]:
        return [self.play, *super()._control_row()]

    def tick(self) -> None:
        """Train one chunk and draw the new state."""
        self.data = self.step(self.data, **self.values())
        self.draw()

    def reset(self) -> None:
        """Start again from ``init`` (and rewind Play to 0 without training)."""
        with self.hold():
            self.play.value = 0
        self.update()

    def _on_play(self, change: Mapping[str, Any]) -> None:
        if not self._held and change["new"] > change["old"]:
            self.tick()

    def _on_change(self, change: Mapping[str, Any]) -> None:
        if not self._held:
            self.reset()
