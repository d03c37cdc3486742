r"""Chapter 5's demo: an optimizer race on a 2-D loss surface, trained while you watch.

Each optimizer from :mod:`nnlib.optim` moves its own point :math:`\theta = (\theta_1,
\theta_2)` down the same surface from the same start, with the same learning rate. Press
Play: every tick takes a few steps with each optimizer and draws the paths. On the
ill-conditioned bowl plain SGD zig-zags across the narrow valley; momentum runs along it at
small rates and overshoots and circles at larger ones (the default 0.15); on Rosenbrock's
banana valley the adaptive methods keep moving; at the saddle a start almost
on the ridge shows who escapes.

The state (:class:`RaceState`) is advanced by :func:`race_step`, a plain function the
tests call directly; :func:`optimizer_race` wires it to a
:class:`~nnlib.widgets.demo.TrainingDemo`.

Taught in chapter 5 (optimizers).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import ipywidgets as widgets
import numpy as np
from matplotlib.figure import Figure

from nnlib import optim, plot
from nnlib.nn import Parameter
from nnlib.widgets.demo import TrainingDemo, register


@dataclass(frozen=True)
class Surface:
    """A 2-D loss surface for the race: the function, the start and the box shown.

    Attributes:
        f: :math:`f(\\theta_1, \\theta_2)`; works on NumPy arrays and on nnlib tensors.
        start: Where every optimizer starts.
        xlim: Range of :math:`\\theta_1` shown.
        ylim: Range of :math:`\\theta_2` shown.
        log_levels: Logarithmic contour levels (for steep walls around a flat valley).
    """

    f: Callable[[Any, Any], Any]
    start: tuple[float, float]
    xlim: tuple[float, float]
    ylim: tuple[float, float]
    log_levels: bool = False


#: The race tracks: an ill-conditioned bowl, Rosenbrock's valley, a saddle.
SURFACES: dict[str, Surface] = {
    "bowl": Surface(lambda a, b: 0.5 * a**2 + 5.0 * b**2, (-2.6, 1.2), (-3, 3), (-1.5, 1.5)),
    "rosenbrock": Surface(
        lambda a, b: (1 - a) ** 2 + 100 * (b - a**2) ** 2,
        (-1.5, 2.0),
        (-2, 2),
        (-1, 3),
        log_levels=True,
    ),
    "saddle": Surface(lambda a, b: a**2 - b**2 + 0.25 * b**4, (2.5, 0.01), (-3, 3), (-2.5, 2.5)),
}

#: The optimizers in the race, by the name shown in the legend.
OPTIMIZERS = ("SGD", "momentum", "RMSprop", "Adam")
#: Steps each optimizer takes per tick of Play (and per press of Step).
STEPS_PER_TICK = 5
_ESCAPED = 1e3  # beyond this distance a point has diverged: it stops and keeps its path


def _make_optimizer(name: str, theta: Parameter, lr: float, momentum: float) -> optim.Optimizer:
    if name == "SGD":
        return optim.SGD([theta], lr=lr)
    if name == "momentum":
        return optim.SGD([theta], lr=lr, momentum=momentum)
    if name == "RMSprop":
        return optim.RMSprop([theta], lr=lr)
    return optim.Adam([theta], lr=lr)


@dataclass
class RaceState:
    """The race: one point, optimizer and path per racer, on one surface.

    Attributes:
        surface: The name of the surface in ``SURFACES``.
        thetas: Each racer's current point, a ``Parameter`` of shape ``(2,)``.
        optimizers: Each racer's optimizer.
        paths: Each racer's visited points, a list of ``(θ1, θ2)`` pairs.
        steps: Steps each racer has taken.
    """

    surface: str
    thetas: dict[str, Parameter]
    optimizers: dict[str, optim.Optimizer]
    paths: dict[str, list[tuple[float, float]]] = field(default_factory=dict)
    steps: int = 0

    def loss(self, name: str) -> float:
        """The surface's value at racer ``name``'s current point."""
        a, b = self.paths[name][-1]
        return float(SURFACES[self.surface].f(a, b))


def race_init(
    surface: str = "bowl",
    racers: tuple[str, ...] = OPTIMIZERS,
    lr: float = 0.15,
    momentum: float = 0.9,
) -> RaceState:
    """A fresh race: every racer at the surface's start.

    Args:
        surface: A name from ``SURFACES``.
        racers: Names from ``OPTIMIZERS``.
        lr: The learning rate every optimizer uses.
        momentum: The momentum of the ``"momentum"`` racer (SGD with momentum).

    Returns:
        A :class:`RaceState` whose paths hold the start only.

    Example:
        >>> race_init("bowl", ("SGD", "Adam")).paths
        {'SGD': [(-2.6, 1.2)], 'Adam': [(-2.6, 1.2)]}
    """
    if surface not in SURFACES:
        raise ValueError(
            f"race_init: expected a surface in {sorted(SURFACES)}, got {surface!r}.\n"
            "help: pick one of nnlib.widgets.optimizers.SURFACES."
        )
    unknown = [name for name in racers if name not in OPTIMIZERS]
    if unknown:
        raise ValueError(
            f"race_init: expected racers from {OPTIMIZERS}, got {unknown}.\n"
            "help: pick names from nnlib.widgets.optimizers.OPTIMIZERS."
        )
    start = SURFACES[surface].start
    thetas = {name: Parameter(np.array(start, dtype=np.float64)) for name in racers}
    optimizers = {
        name: _make_optimizer(name, theta, lr, momentum) for name, theta in thetas.items()
    }
    paths = {name: [tuple(float(v) for v in start)] for name in racers}
    return RaceState(surface, thetas, optimizers, paths)


def race_step(state: RaceState, steps: int = STEPS_PER_TICK, **_controls: Any) -> RaceState:
    """Move every racer ``steps`` optimizer steps down the surface, in place.

    A racer that has run off (non-finite, or farther than 1000 from the origin) stops.

    Args:
        state: The race to advance.
        steps: Steps per racer.
        **_controls: The demo's control values (ignored: a change of control restarts).

    Returns:
        The same ``state`` with longer paths.

    Example:
        >>> s = race_step(race_init("bowl", ("Adam",)), steps=50)
        >>> s.steps, s.loss("Adam") < race_init("bowl", ("Adam",)).loss("Adam")
        (50, True)
    """
    f = SURFACES[state.surface].f
    for name, theta in state.thetas.items():
        optimizer = state.optimizers[name]
        path = state.paths[name]
        for _ in range(steps):
            if not np.all(np.isfinite(theta.data)) or np.abs(theta.data).max() > _ESCAPED:
                break
            optimizer.zero_grad()
            f(theta[0], theta[1]).backward()
            optimizer.step()
            path.append((float(theta.data[0]), float(theta.data[1])))
    state.steps += steps
    return state


@register
def optimizer_race() -> TrainingDemo:
    """The live demo: pick the surface, the racers, the learning rate and momentum; Play.

    Returns:
        The :class:`~nnlib.widgets.TrainingDemo`; make it the last line of a cell.

    Example:
        >>> demo = optimizer_race()
        >>> demo.tick()
        >>> len(demo.data.paths["Adam"])
        6

    Taught in chapter 5 (optimizers).
    """
    controls = {
        "surface": widgets.Dropdown(options=list(SURFACES), value="bowl", description="surface"),
        "racers": widgets.SelectMultiple(
            options=OPTIMIZERS, value=OPTIMIZERS, rows=4, description="racers"
        ),
        "lr": widgets.FloatLogSlider(
            value=0.15, base=10, min=-4, max=0, step=0.25, description="lr"
        ),
        "momentum": widgets.FloatSlider(
            value=0.9, min=0.0, max=0.99, step=0.01, description="momentum"
        ),
    }
    # One figure per surface, its contours drawn once: switching surfaces then redraws only
    # the paths over a cached picture (< 100 ms), instead of recomputing every contour.
    figures: dict[str, tuple[Figure, Any, dict[str, Any]]] = {}

    def render(state: RaceState) -> Figure:
        s = SURFACES[state.surface]
        if state.surface not in figures:
            figures[state.surface] = (*plot.figure(), {})
        fig, ax, drawn = figures[state.surface]
        if drawn.get("surface") != state.surface:
            drawn.update(surface=state.surface, racers=None)
            drawn["chart"] = plot.surface_contour(
                ax, s.f, s.xlim, s.ylim, log_levels=s.log_levels, resolution=60, animated=True
            )
            ax.title.set_animated(True)
            # Make every racer's line now, in a fixed order, so each keeps its colour.
            drawn["chart"].update({name: [s.start] for name in OPTIMIZERS})
        chart = drawn["chart"]
        chart.update({name: np.array(path) for name, path in state.paths.items()})
        racers = tuple(state.paths)
        if drawn["racers"] != racers:
            drawn["racers"] = racers
            with plot.style():
                legend = ax.legend(handles=[chart.lines[n] for n in racers], loc="upper right")
            legend.set_animated(True)
        best = min(racers, key=state.loss) if racers else "nobody"
        # The learning rate and momentum in the title: a change restarts the race, and the
        # title says at once which setting the new race runs with.
        groups = [opt.param_groups[0] for opt in state.optimizers.values()]
        if not groups:
            ax.title.set_text("no racer chosen: pick at least one under 'racers'")
            return fig
        momentum = max(g.get("momentum", 0.0) for g in groups)
        ax.title.set_text(
            f"lr {groups[0]['lr']:.3g}, momentum {momentum:.2f} · step {state.steps}: "
            f"lowest loss: {best}"
        )
        return fig

    for surface in SURFACES:  # draw each surface once now, so a switch is quick
        plot.to_png(render(race_init(surface)), compress_level=1)
    return TrainingDemo(
        controls,
        race_init,
        race_step,
        render,
        "Optimizer race: same start, same learning rate (press Play)",
        static={"surface": list(SURFACES)},
        static_steps=(16, 2),
        step_label=lambda ticks: f"{STEPS_PER_TICK * ticks} steps",
    )
