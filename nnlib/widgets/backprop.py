r"""Chapter 2's demos: step through backpropagation, and watch finite differences break down.

:func:`backprop_stepper` draws a small computational graph and walks it one step at a time:
first forward (each node's value, inputs before outputs), then backward (each node hands
:math:`\partial L/\partial\,\text{node}` times its local derivative to its inputs, outputs
before inputs). The pure part, :func:`backprop_trace`, returns every value, gradient and the
chain-rule sentence of a step, and is tested directly.

:func:`finite_difference_explorer` plots the error of a finite-difference derivative against
the step :math:`\varepsilon`: too large and the truncation error dominates (slope 1 for the
forward difference, 2 for the central one), too small and rounding takes over (slope -1).
The pure part is :func:`finite_difference_errors`.

Taught in chapter 2 (backpropagation).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import ipywidgets as widgets
import numpy as np
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

from nnlib import plot
from nnlib.widgets.demo import Demo, register


class CachedDemo(Demo):
    """A :class:`~nnlib.widgets.demo.Demo` whose frames are few and fixed: each one is drawn
    once and its PNG kept, so stepping back and forth costs nothing after the first visit.

    Args:
        key: ``key(data) -> hashable``: what identifies a frame (e.g. the graph and step).
        *args: As for :class:`~nnlib.widgets.demo.Demo`.
        **kwargs: As for :class:`~nnlib.widgets.demo.Demo`.
    """

    def __init__(self, key: Callable[[Any], Any], *args: Any, **kwargs: Any) -> None:
        self._key = key
        self._frames: dict[Any, bytes] = {}
        super().__init__(*args, **kwargs)

    def draw(self) -> None:
        """Show the stored frame for the current data, drawing it the first time."""
        key = self._key(self.data)
        if key in self._frames:
            self.image.value = self._frames[key]
            return
        super().draw()
        if len(self._frames) < 512:
            self._frames[key] = self.image.value


# ------------------------------------------------------------------ graphs
@dataclass(frozen=True)
class Node:
    """One node of a demo graph.

    Attributes:
        name: Short name used in the text (``"z"``).
        op: ``"input"`` (data, no gradient), ``"param"`` (a leaf that gets a gradient),
            ``"mul"``, ``"add"``, ``"sub"``, ``"square"``, ``"tanh"``, ``"scale"``
            (``const * parent``) or ``"affine"`` (``p0 * p1 + p2``, a one-input neuron).
        parents: Names of the inputs of the operation.
        pos: Where the node is drawn, in graph units.
        value: The value of a leaf (ignored for operations).
        const: The constant of a ``"scale"`` node (``const * parent``).
    """

    name: str
    op: str
    parents: tuple[str, ...] = ()
    pos: tuple[float, float] = (0.0, 0.0)
    value: float = 0.0
    const: float = 1.0

    @property
    def is_leaf(self) -> bool:
        return self.op in ("input", "param")


def _expr(node: Node) -> str:
    """The formula of an operation node, in plain text (``"w·x"``)."""
    p = node.parents
    return {
        "mul": lambda: f"{p[0]}·{p[1]}",
        "add": lambda: f"{p[0]} + {p[1]}",
        "sub": lambda: f"{p[0]} − {p[1]}",
        "square": lambda: f"{p[0]}²",
        "tanh": lambda: f"tanh({p[0]})",
        "scale": lambda: f"{node.const:g}·{p[0]}",
        "affine": lambda: f"{p[0]}·{p[1]} + {p[2]}",
    }[node.op]()


def _forward(node: Node, v: list[float]) -> float:
    if node.op == "mul":
        return v[0] * v[1]
    if node.op == "add":
        return v[0] + v[1]
    if node.op == "sub":
        return v[0] - v[1]
    if node.op == "square":
        return v[0] * v[0]
    if node.op == "tanh":
        return math.tanh(v[0])
    if node.op == "scale":
        return node.const * v[0]
    if node.op == "affine":
        return v[0] * v[1] + v[2]
    raise ValueError(f"unknown op {node.op!r}")


def _local(node: Node, v: list[float], out: float) -> list[tuple[float, str]]:
    """The local derivatives d(node)/d(parent), each with how it was computed."""
    p = node.parents
    if node.op == "mul":
        return [(v[1], f"{p[1]}"), (v[0], f"{p[0]}")]
    if node.op == "add":
        return [(1.0, "1"), (1.0, "1")]
    if node.op == "sub":
        return [(1.0, "1"), (-1.0, "−1")]
    if node.op == "square":
        return [(2 * v[0], f"2{p[0]}")]
    if node.op == "tanh":
        return [(1 - out * out, f"1 − {node.name}²")]
    if node.op == "scale":
        return [(node.const, f"{node.const:g}")]
    if node.op == "affine":
        return [(v[1], f"{p[1]}"), (v[0], f"{p[0]}"), (1.0, "1")]
    raise ValueError(f"unknown op {node.op!r}")


#: The graphs the stepper offers. Leaves first; operations in the order they are computed.
GRAPHS: dict[str, tuple[Node, ...]] = {
    "one neuron: L = (w·x + b − y)²": (
        Node("x", "input", pos=(0, 2), value=1.5),
        Node("w", "param", pos=(0, 1), value=0.8),
        Node("b", "param", pos=(1, 0), value=-0.5),
        Node("y", "input", pos=(2, 0), value=1.0),
        Node("u", "mul", ("w", "x"), pos=(1, 1.5)),
        Node("z", "add", ("u", "b"), pos=(2, 1)),
        Node("r", "sub", ("z", "y"), pos=(3, 1)),
        Node("L", "square", ("r",), pos=(4, 1)),
    ),
    "two layers: L = (w2·tanh(w1·x + b1) + b2 − y)²": (
        Node("x", "input", pos=(0, 2), value=1.0),
        Node("w1", "param", pos=(0, 1), value=0.5),
        Node("b1", "param", pos=(0, 0), value=0.2),
        Node("w2", "param", pos=(2, 2), value=-1.5),
        Node("b2", "param", pos=(2, 0), value=0.3),
        Node("y", "input", pos=(3, 2), value=1.0),
        Node("z1", "affine", ("w1", "x", "b1"), pos=(1, 1)),
        Node("a1", "tanh", ("z1",), pos=(2, 1)),
        Node("z2", "affine", ("w2", "a1", "b2"), pos=(3, 1)),
        Node("r", "sub", ("z2", "y"), pos=(4, 1)),
        Node("L", "square", ("r",), pos=(5, 1)),
    ),
    "w used twice: L = (w·x − y)² + 0.1·w²": (
        Node("x", "input", pos=(0, 2), value=2.0),
        Node("w", "param", pos=(0, 0.75), value=1.0),
        Node("y", "input", pos=(1, 2.2), value=1.0),
        Node("u", "mul", ("w", "x"), pos=(1, 1.3)),
        Node("r", "sub", ("u", "y"), pos=(2, 1.6)),
        Node("e", "square", ("r",), pos=(3, 1.6)),
        Node("q", "square", ("w",), pos=(1, 0)),
        Node("p", "scale", ("q",), pos=(2, 0), const=0.1),
        Node("L", "add", ("e", "p"), pos=(4, 1)),
    ),
}


@dataclass
class Trace:
    r"""What step ``step`` of a graph shows (the output of :func:`backprop_trace`).

    Attributes:
        graph: The graph's title (a key of :data:`GRAPHS`).
        step: The step shown, ``0 … total``.
        total: The last step.
        phase: ``"start"``, ``"forward"``, ``"seed"``, ``"backward"`` or ``"done"``.
        values: Each node's value, or ``None`` while not yet computed.
        grads: Each node's :math:`\partial L/\partial\,\text{node}` so far, ``None`` while
            nothing has arrived (always ``None`` for data inputs).
        active: The node this step computes (forward) or differentiates (backward).
        edges: The ``(parent, child)`` edges this step uses.
        text: The step in words: the formula with its numbers, or the chain rule.
    """

    graph: str
    step: int
    total: int
    phase: str
    values: dict[str, float | None]
    grads: dict[str, float | None]
    active: str | None = None
    edges: list[tuple[str, str]] = field(default_factory=list)
    text: str = ""


def _num(v: float) -> str:
    return f"{v:.3f}".replace("-", "−")


def backprop_trace(graph: str = "one neuron: L = (w·x + b − y)²", step: int = 0) -> Trace:
    r"""Run the graph's forward and backward pass up to ``step`` and describe that step.

    Steps ``1 … n`` compute the ``n`` operations forward, step ``n + 1`` seeds
    :math:`\partial L/\partial L = 1`, and steps ``n + 2 … 2n + 1`` run each operation's
    backward rule, last operation first. Gradients arriving at the same node by two paths
    are added. A ``step`` beyond the end shows the end.

    Args:
        graph: A key of :data:`GRAPHS`.
        step: How many steps to take (0 shows only the leaves).

    Returns:
        A :class:`Trace`.

    Example:
        >>> t = backprop_trace("one neuron: L = (w·x + b − y)²", step=99)
        >>> round(t.grads["w"], 6), round(t.grads["b"], 6), t.grads["x"]
        (-0.9, -0.6, None)
    """
    nodes = GRAPHS[graph]
    by_name = {n.name: n for n in nodes}
    ops = [n for n in nodes if not n.is_leaf]
    total = 2 * len(ops) + 1
    step = max(0, min(int(step), total))
    values: dict[str, float | None] = {n.name: (n.value if n.is_leaf else None) for n in nodes}
    grads: dict[str, float | None] = {n.name: None for n in nodes}
    start = "The leaves hold their values: data x, y and the parameters. Press next ▶."
    trace = Trace(graph, step, total, "start", values, grads, text=start)
    for k, node in enumerate(ops[: min(step, len(ops))], start=1):
        args = [values[p] for p in node.parents]
        values[node.name] = _forward(node, args)  # type: ignore[arg-type]
        if k == step:
            shown = " ".join(_num(a) for a in args)  # type: ignore[arg-type]
            trace.phase, trace.active = "forward", node.name
            trace.edges = [(p, node.name) for p in node.parents]
            trace.text = (
                f"forward {k}/{len(ops)}: {node.name} = {_expr(node)}   "
                f"(inputs {shown})   = {_num(values[node.name])}"  # type: ignore[arg-type]
            )
    if step <= len(ops):
        return trace
    root = ops[-1].name
    grads[root] = 1.0
    if step == len(ops) + 1:
        trace.phase, trace.active = "seed", root
        trace.text = (
            f"backward starts at the output: ∂{root}/∂{root} = 1. Each step now takes one "
            "node's gradient and sends it to the node's inputs."
        )
    done = step - len(ops) - 1  # backward steps taken
    for k, node in enumerate(reversed(ops)):
        if k >= done:
            break
        g = grads[node.name]
        args = [values[p] for p in node.parents]
        lines = []
        edges = []
        for parent, (local, how) in zip(
            node.parents,
            _local(node, args, values[node.name]),
            strict=True,  # type: ignore[arg-type]
        ):
            if by_name[parent].op == "input":
                lines.append(f"{parent} is data: no gradient needed")
                continue
            contribution = g * local  # type: ignore[operator]
            before = grads[parent]
            grads[parent] = contribution if before is None else before + contribution
            edges.append((parent, node.name))
            sign = "=" if before is None else "+="
            numbers = f"{_num(g)} · {_num(local)}"  # type: ignore[arg-type]
            symbolic = any(c.isalpha() for c in how)  # "x", "2r", "1 − a1²"; not "1", "0.1"
            line = (
                f"∂L/∂{parent} {sign} ∂L/∂{node.name} · ∂{node.name}/∂{parent} = "
                + (f"{_num(g)} · ({how}) = " if symbolic else "")  # type: ignore[arg-type]
                + f"{numbers} = {_num(contribution)}"
            )
            if before is not None:
                line += f"   → total {_num(grads[parent])}"  # type: ignore[arg-type]
            lines.append(line)
        if k == done - 1:
            trace.phase, trace.active, trace.edges = "backward", node.name, edges
            trace.text = f"backward {k + 1}/{len(ops)}:\n" + "\n".join(lines)
    if step == total:
        trace.phase = "done"
        trace.text += "\nDone: every parameter has its gradient ∂L/∂θ."
    return trace


# ------------------------------------------------------------------ drawing the graph
_VALUE_COLOR = plot.BLUE
_GRAD_COLOR = plot.VERMILLION
_HW, _HH = 0.45, 0.3  # half the width and height of a node's box, in graph units


def _edge_ends(src: tuple[float, float], dst: tuple[float, float]) -> tuple[Any, Any]:
    """Where the line from box centre ``src`` to box centre ``dst`` leaves and enters the
    boxes, so that an arrow joins the two edges (its head stays visible)."""
    dx, dy = dst[0] - src[0], dst[1] - src[1]
    t = min(_HW / abs(dx) if dx else math.inf, _HH / abs(dy) if dy else math.inf)
    return (src[0] + t * dx, src[1] + t * dy), (dst[0] - t * dx, dst[1] - t * dy)


class _GraphRenderer:
    """Draws one graph. The boxes, labels and grey arrows are drawn once; a frame redraws
    only the animated artists on top (values, gradients, the highlight, the arrows in use
    and the texts), which ``plot.to_png`` draws over a cached picture of the rest."""

    def __init__(self) -> None:
        self.fig, self.ax = plot.figure(width=7.6, height=4.2)
        self.fig.set_layout_engine(None)  # the axes fill the figure; no layout to solve
        self.ax.set_position((0.0, 0.0, 1.0, 0.93))
        self.graph: str | None = None

    def _animated(self, artist: Any) -> Any:
        artist.set_animated(True)
        return artist

    def _build(self, graph: str) -> None:
        ax = self.ax
        ax.clear()
        ax.set_axis_off()
        nodes = GRAPHS[graph]
        xs = [n.pos[0] for n in nodes]
        ys = [n.pos[1] for n in nodes]
        ax.set_xlim(min(xs) - 0.45, max(xs) + 0.45)
        ax.set_ylim(min(ys) - 1.45, max(ys) + 0.5)
        self.value_texts, self.grad_texts, self.arrows = {}, {}, {}
        text = {"ha": "center", "va": "center", "fontsize": 9.5, "zorder": 3}
        with plot.style():
            for n in nodes:
                x, y = n.pos
                face = "#F2F2F2" if n.op == "input" else "#FFFFFF"
                ax.add_patch(FancyBboxPatch((x - _HW, y - _HH), 2 * _HW, 2 * _HH,
                                            boxstyle="round,pad=0.0,rounding_size=0.06",
                                            facecolor=face, edgecolor=plot.INK,
                                            linewidth=1.0, zorder=2))  # fmt: skip
                head = n.name if n.is_leaf else f"{n.name} = {_expr(n)}"
                kind = {"input": " (data)", "param": " (param)"}.get(n.op, "")
                ax.text(x, y + 0.17, head + kind, **{**text, "fontsize": 9}, color=plot.INK)
                self.value_texts[n.name] = self._animated(
                    ax.text(x, y - 0.01, "", **text, color=_VALUE_COLOR)
                )
                self.grad_texts[n.name] = self._animated(
                    ax.text(x, y - 0.18, "", **text, color=_GRAD_COLOR)
                )
            pos = {n.name: n.pos for n in nodes}
            for n in nodes:
                for p in n.parents:
                    ends = _edge_ends(pos[p], n.pos)
                    ax.add_patch(FancyArrowPatch(*ends, arrowstyle="-|>", mutation_scale=10,
                                                 shrinkA=0, shrinkB=0, color=plot.MUTED,
                                                 linewidth=1.2, zorder=1))  # fmt: skip
                    # The same arrow, thick and coloured, shown only while a step uses it.
                    self.arrows[(p, n.name)] = self._animated(
                        ax.add_patch(FancyArrowPatch(*ends, arrowstyle="-|>",
                                                     mutation_scale=12, shrinkA=0, shrinkB=0,
                                                     linewidth=2.2, zorder=4, visible=False))
                    )  # fmt: skip
            self.highlight = self._animated(
                ax.add_patch(FancyBboxPatch((0, 0), 2 * _HW, 2 * _HH,
                                            boxstyle="round,pad=0.0,rounding_size=0.06",
                                            facecolor="none", linewidth=2.4, zorder=4,
                                            visible=False))
            )  # fmt: skip
            self.caption = self._animated(
                ax.text(min(xs) - 0.4, min(ys) - 0.5, "", ha="left", va="top", fontsize=10,
                        color=plot.INK)
            )  # fmt: skip
            self.title = self._animated(ax.set_title("", fontsize=9.5, loc="left"))
        self.graph = graph

    def __call__(self, trace: Trace) -> Any:
        if trace.graph != self.graph:
            self._build(trace.graph)
        for name in self.value_texts:
            v, g = trace.values[name], trace.grads[name]
            self.value_texts[name].set_text("" if v is None else f"value {_num(v)}")
            self.grad_texts[name].set_text("" if g is None else f"∂L/∂{name} {_num(g)}")
        backward = trace.phase in ("backward", "seed", "done")
        color = _GRAD_COLOR if backward else _VALUE_COLOR
        if trace.active is None:
            self.highlight.set_visible(False)
        else:
            x, y = next(n.pos for n in GRAPHS[trace.graph] if n.name == trace.active)
            self.highlight.set_bounds(x - _HW, y - _HH, 2 * _HW, 2 * _HH)
            self.highlight.set_edgecolor(color)
            self.highlight.set_visible(True)
        for edge, arrow in self.arrows.items():
            arrow.set_visible(edge in trace.edges)
            arrow.set_color(color)
            arrow.set_arrowstyle("<|-" if backward else "-|>")
        self.caption.set_text(trace.text)
        self.title.set_text(
            f"step {trace.step} of {trace.total} · {trace.phase}   "
            "(blue: values, forward · vermillion: gradients ∂L/∂node, backward)"
        )
        return self.fig


@register
def backprop_stepper(graph: str = "one neuron: L = (w·x + b − y)²", step: int = 0) -> CachedDemo:
    """The demo: pick a graph, then step forward and backward through it.

    Args:
        graph: The first graph shown (a key of :data:`GRAPHS`).
        step: The first step shown.

    Returns:
        A :class:`~nnlib.widgets.demo.Demo`; end the cell with it.

    Example:
        >>> demo = backprop_stepper()
        >>> demo.buttons["next ▶"].click()
        >>> demo.data.phase, demo.data.active
        ('forward', 'u')

    Taught in chapter 2 (backpropagation).
    """
    total = backprop_trace(graph, 0).total
    controls = {
        "graph": widgets.Dropdown(
            options=list(GRAPHS),
            value=graph,
            description="graph",
            layout=widgets.Layout(width="420px"),
        ),
        "step": widgets.IntSlider(step, min=0, max=total, description="step"),
    }

    def move(by: int) -> Callable[[Demo], None]:
        def action(demo: Demo) -> None:
            slider = demo.controls["step"]
            slider.value = max(slider.min, min(slider.max, slider.value + by))

        return action

    # One renderer (one figure) per graph, each drawn once now: switching graphs then
    # redraws only the changing text over a cached picture (< 100 ms).
    renderers = {name: _GraphRenderer() for name in GRAPHS}
    for name, renderer in renderers.items():
        plot.to_png(renderer(backprop_trace(name, 0)), compress_level=1)

    def render(trace: Trace) -> Any:
        return renderers[trace.graph](trace)

    demo = CachedDemo(lambda t: (t.graph, t.step), controls, backprop_trace, render,
                title="Backpropagation, one step at a time",
                buttons={"◀ back": move(-1), "next ▶": move(1)},
                # Each graph has its own number of steps, so its own step slider.
                static={"graph": list(GRAPHS),
                        "step": lambda g: range(backprop_trace(g, 0).total + 1)})  # fmt: skip

    def new_graph(change: Any) -> None:
        with demo.hold():
            controls["step"].max = backprop_trace(change["new"], 0).total
            controls["step"].value = 0
        demo.update()

    controls["graph"].observe(new_graph, names="value")
    return demo


# ------------------------------------------------------------------ finite differences
def rounded_to_input(ufunc: Callable[[Any], Any]) -> Callable[[Any], np.ndarray]:
    """``ufunc`` computed in float64, its result rounded to the input's dtype.

    In float32 this is the correctly rounded value, and so the same bits on every CPU, except
    when the float64 result falls within a few float64 ulps of halfway between two float32
    numbers (about one value in :math:`10^8`). NumPy's own float32 ``tanh`` and ``exp`` are
    fast SIMD approximations whose last bit depends on the CPU (AVX2 and AVX-512 machines
    give different curves), so stored frames would change with the machine that drew them.

    Args:
        ufunc: An element-wise NumPy function, such as ``np.tanh``.

    Returns:
        The function ``x -> ufunc(x as float64)``, rounded back to ``x``'s dtype.

    Example:
        >>> x = np.array([0.5], dtype=np.float32)
        >>> rounded_to_input(np.tanh)(x) == np.float32(np.tanh(0.5))
        array([ True])
    """

    def rounded(x: Any) -> np.ndarray:
        x = np.asarray(x)
        return ufunc(x.astype(np.float64)).astype(x.dtype)

    return rounded


#: Functions offered by the explorer, each as (f, its exact derivative, the point x0).
FD_FUNCTIONS: dict[str, tuple[Callable[[Any], Any], Callable[[float], float], float]] = {
    "tanh(x) at x = 0.5": (rounded_to_input(np.tanh), lambda x: 1 - math.tanh(x) ** 2, 0.5),
    "exp(x) at x = 1": (rounded_to_input(np.exp), math.exp, 1.0),
    "x³ at x = 2": (lambda x: x * x * x, lambda x: 3 * x * x, 2.0),
}
#: The grid of steps ε on which the error curves are drawn.
EPS_GRID = 10.0 ** np.arange(-16.0, -0.49, 0.25)


@dataclass
class FDErrors:
    """Errors of the forward and central differences over :data:`EPS_GRID`, and at ``eps``."""

    function: str
    dtype: str
    eps: float
    exact: float
    forward: np.ndarray
    central: np.ndarray
    at_forward: float
    at_central: float
    estimate_forward: float
    estimate_central: float
    unit_roundoff: float


def _differences(f: Callable[[Any], Any], x0: float, eps: np.ndarray,
                 dtype: np.dtype) -> tuple[np.ndarray, np.ndarray]:  # fmt: skip
    """Forward and central difference quotients, every operation in ``dtype`` (``f`` rounds
    its values to ``dtype``: see :func:`rounded_to_input`)."""
    x = dtype.type(x0)
    h = eps.astype(dtype)
    # The step actually taken is (x + h) - x after rounding, but a gradient checker divides by
    # the h it asked for, as we do here: that is the error a learner meets.
    fx = f(np.full_like(h, x))
    forward = (f(x + h) - fx) / h
    central = (f(x + h) - f(x - h)) / (dtype.type(2) * h)
    return forward.astype(np.float64), central.astype(np.float64)


def finite_difference_errors(function: str = "tanh(x) at x = 0.5", dtype: str = "float64",
                             log10_eps: float = -6.0) -> FDErrors:  # fmt: skip
    r"""Error of the finite-difference derivative for every :math:`\varepsilon` in the grid.

    Forward difference :math:`(f(x+\varepsilon) - f(x))/\varepsilon` and central difference
    :math:`(f(x+\varepsilon) - f(x-\varepsilon))/2\varepsilon`, computed in ``dtype``, minus
    the exact derivative. Errors of exactly 0 are shown at :math:`10^{-17}`.

    Args:
        function: A key of :data:`FD_FUNCTIONS`.
        dtype: ``"float64"`` or ``"float32"``.
        log10_eps: The highlighted step, :math:`\log_{10}\varepsilon`.

    Returns:
        An :class:`FDErrors`.

    Example:
        >>> e = finite_difference_errors("tanh(x) at x = 0.5", "float64", -6.0)
        >>> bool(e.at_central < 1e-9 < e.at_forward)
        True
    """
    f, df, x0 = FD_FUNCTIONS[function]
    dt = np.dtype(dtype)
    exact = float(df(x0))
    floor = 1e-17
    fwd, cen = _differences(f, x0, EPS_GRID, dt)
    eps = float(10.0**log10_eps)
    f1, c1 = _differences(f, x0, np.array([eps]), dt)
    return FDErrors(
        function, dtype, eps, exact,
        np.maximum(np.abs(fwd - exact), floor), np.maximum(np.abs(cen - exact), floor),
        max(abs(float(f1[0]) - exact), floor), max(abs(float(c1[0]) - exact), floor),
        float(f1[0]), float(c1[0]), float(np.finfo(dt).eps) / 2,
    )  # fmt: skip


class _FDRenderer:
    def __init__(self) -> None:
        self.fig, self.ax = plot.figure(width=6.5, height=3.8)
        ax = self.ax
        with plot.style():
            (self.fwd,) = ax.loglog([], [], color=plot.BLUE, label="forward difference",
                                    animated=True)  # fmt: skip
            (self.cen,) = ax.loglog([], [], color=plot.ORANGE, label="central difference",
                                    animated=True)  # fmt: skip
            (self.round,) = ax.loglog([], [], ":", color=plot.INK, lw=1,
                                      label="rounding ≈ ρ·|f|/ε", animated=True)  # fmt: skip
            (self.dot_f,) = ax.loglog([], [], "o", color=plot.BLUE, ms=7, animated=True)
            (self.dot_c,) = ax.loglog([], [], "s", color=plot.ORANGE, ms=7, animated=True)
            self.vline = ax.axvline(1e-6, color=plot.MUTED, lw=1, animated=True)
            ax.set_xlim(EPS_GRID[0], EPS_GRID[-1])
            ax.set_ylim(1e-17, 1e2)
            ax.set_xlabel("step ε")
            ax.set_ylabel("|finite difference − exact derivative|")
            ax.legend(loc="lower left", fontsize=7.5)
            self.title = ax.set_title("\n", fontsize=8.5, loc="left")
            self.title.set_animated(True)

    def __call__(self, e: FDErrors) -> Any:
        f, _, x0 = FD_FUNCTIONS[e.function]
        self.fwd.set_data(EPS_GRID, e.forward)
        self.cen.set_data(EPS_GRID, e.central)
        scale = e.unit_roundoff * max(abs(float(f(np.float64(x0)))), 1e-300)
        self.round.set_data(EPS_GRID, scale / EPS_GRID)
        self.dot_f.set_data([e.eps], [e.at_forward])
        self.dot_c.set_data([e.eps], [e.at_central])
        self.vline.set_xdata([e.eps, e.eps])
        self.title.set_text(
            f"{e.function}, {e.dtype}: exact {e.exact:.10f}\n"
            f"ε = {e.eps:.1e}: forward {e.estimate_forward:.10f} (error {e.at_forward:.1e}), "
            f"central {e.estimate_central:.10f} (error {e.at_central:.1e})"
        )
        return self.fig


@register
def finite_difference_explorer(function: str = "tanh(x) at x = 0.5", dtype: str = "float64",
                               log10_eps: float = -6.0) -> CachedDemo:  # fmt: skip
    """The demo: slide ε, switch float64/float32, and see where finite differences are exact.

    Args:
        function: The first function shown (a key of :data:`FD_FUNCTIONS`).
        dtype: ``"float64"`` or ``"float32"``.
        log10_eps: The first highlighted step, :math:`\\log_{10}\\varepsilon`.

    Returns:
        A :class:`~nnlib.widgets.demo.Demo`; end the cell with it.

    Example:
        >>> demo = finite_difference_explorer()
        >>> demo.controls["dtype"].value = "float32"
        >>> bool(demo.data.at_central > 1e-4)
        True

    Taught in chapter 2 (backpropagation).
    """
    controls = {
        "function": widgets.Dropdown(
            options=list(FD_FUNCTIONS),
            value=function,
            description="f",
            layout=widgets.Layout(width="240px"),
        ),
        "dtype": widgets.Dropdown(
            options=["float64", "float32"],
            value=dtype,
            description="precision",
            layout=widgets.Layout(width="180px"),
        ),
        "log10_eps": widgets.FloatSlider(
            log10_eps, min=-16.0, max=-1.0, step=0.25, description="log₁₀ ε", readout_format=".2f"
        ),
    }
    return CachedDemo(lambda e: (e.function, e.dtype, e.eps), controls,
                      finite_difference_errors, _FDRenderer(),
                title="Finite differences: how small should ε be?",
                static={"dtype": ["float64", "float32"],
                        "log10_eps": [float(e) for e in np.arange(-16.0, -0.9, 0.5)]})  # fmt: skip
