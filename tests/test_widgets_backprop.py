"""Chapter 2's demos: the backpropagation stepper and the finite-difference explorer."""

import math

import numpy as np
import pytest
import torch

from nnlib.widgets.backprop import (
    EPS_GRID,
    FD_FUNCTIONS,
    GRAPHS,
    backprop_stepper,
    backprop_trace,
    finite_difference_errors,
    finite_difference_explorer,
)


def _torch_grads(graph: str) -> dict[str, float]:
    """The same graph in torch.autograd (float64): the gradient of every parameter."""
    nodes = GRAPHS[graph]
    t = {}
    for n in nodes:
        if n.is_leaf:
            t[n.name] = torch.tensor(n.value, dtype=torch.float64,
                                     requires_grad=n.op == "param")  # fmt: skip
            continue
        a = [t[p] for p in n.parents]
        if n.op == "mul":
            t[n.name] = a[0] * a[1]
        elif n.op == "add":
            t[n.name] = a[0] + a[1]
        elif n.op == "sub":
            t[n.name] = a[0] - a[1]
        elif n.op == "square":
            t[n.name] = a[0] ** 2
        elif n.op == "affine":
            t[n.name] = a[0] * a[1] + a[2]
        elif n.op == "tanh":
            t[n.name] = torch.tanh(a[0])
        else:
            t[n.name] = n.const * a[0]
    t[nodes[-1].name].backward()
    return {n.name: float(t[n.name].grad) for n in nodes if n.op == "param"}


@pytest.mark.parametrize("graph", list(GRAPHS))
def test_trace_matches_torch_autograd(graph):
    end = backprop_trace(graph, step=10_000)
    assert end.phase == "done" and end.step == end.total
    for name, g in _torch_grads(graph).items():
        assert end.grads[name] == pytest.approx(g, rel=1e-12, abs=1e-12)
    for n in GRAPHS[graph]:
        if n.op == "input":
            assert end.grads[n.name] is None  # data gets no gradient


def test_forward_then_backward_order():
    graph = "one neuron: L = (w·x + b − y)²"
    start = backprop_trace(graph, 0)
    assert start.phase == "start" and start.values["u"] is None and start.values["w"] == 0.8
    first = backprop_trace(graph, 1)
    assert first.phase == "forward" and first.active == "u"
    assert first.values["u"] == pytest.approx(1.2) and first.values["z"] is None
    seed = backprop_trace(graph, 5)
    assert seed.phase == "seed" and seed.grads["L"] == 1.0 and seed.grads["r"] is None
    back = backprop_trace(graph, 6)
    assert back.phase == "backward" and back.active == "L"
    assert back.grads["r"] == pytest.approx(-0.6) and back.edges == [("r", "L")]
    assert "∂L/∂r = ∂L/∂L · ∂L/∂r" in back.text
    assert backprop_trace(graph, -3).step == 0


def test_gradients_add_up_when_a_value_is_used_twice():
    graph = "w used twice: L = (w·x − y)² + 0.1·w²"
    trace = [backprop_trace(graph, s) for s in range(backprop_trace(graph, 0).total + 1)]
    seen = [t.grads["w"] for t in trace if t.grads["w"] is not None]
    assert seen[0] == pytest.approx(0.2)  # through the penalty 0.1·w² first
    assert seen[-1] == pytest.approx(4.2)  # then + 4.0 through the data term
    assert any("∂L/∂w +=" in t.text for t in trace)


def test_stepper_widget_buttons_and_graph_change():
    demo = backprop_stepper()
    first = demo.image.value
    demo.buttons["next ▶"].click()
    assert demo.data.step == 1 and demo.image.value != first
    demo.buttons["◀ back"].click()
    demo.buttons["◀ back"].click()  # clamped at 0
    assert demo.data.step == 0 and demo.image.value == first  # the stored frame
    demo.controls["step"].value = 7
    frame = demo.image.value
    demo.controls["graph"].value = "two layers: L = (w2·tanh(w1·x + b1) + b2 − y)²"
    assert demo.controls["step"].max == 11 and demo.data.step == 0
    assert demo.image.value not in (frame, first)
    demo.controls["step"].value = 11
    assert demo.data.phase == "done"
    assert repr(demo) == "Demo('Backpropagation, one step at a time')"


@pytest.mark.parametrize("function", list(FD_FUNCTIONS))
def test_finite_differences_truncation_and_rounding(function):
    e = finite_difference_errors(function, "float64", -6.0)
    assert e.at_central < 1e-8 and e.at_central < e.at_forward
    big = finite_difference_errors(function, "float64", -2.0)
    tiny = finite_difference_errors(function, "float64", -14.0)
    assert big.at_central > e.at_central  # truncation error
    assert tiny.at_central > e.at_central  # rounding error
    assert e.forward.shape == e.central.shape and np.all(e.central > 0)


def test_float32_is_too_coarse_for_gradcheck_steps():
    e32 = finite_difference_errors("tanh(x) at x = 0.5", "float32", -6.0)
    e64 = finite_difference_errors("tanh(x) at x = 0.5", "float64", -6.0)
    assert e32.at_central > 1e6 * e64.at_central
    assert e32.unit_roundoff == pytest.approx(2.0**-24)


@pytest.mark.parametrize(
    ("function", "exact"), [("tanh(x) at x = 0.5", math.tanh), ("exp(x) at x = 1", math.exp)]
)
def test_float32_values_are_correctly_rounded_so_frames_do_not_depend_on_the_cpu(function, exact):
    # NumPy's float32 tanh and exp are SIMD approximations whose last bit differs between
    # AVX2 and AVX-512 machines (on an AVX2 EPYC, np.tanh missed the correctly rounded value
    # at 56 of these 62 points), and the stored frames of chapter 2 changed with the CPU.
    f, _, x0 = FD_FUNCTIONS[function]
    x = np.float32(x0) + EPS_GRID.astype(np.float32)
    got = f(x)
    assert got.dtype == np.float32
    assert got.tolist() == [float(np.float32(exact(float(v)))) for v in x]
    assert f(np.float64(x0)).dtype == np.float64  # float64 stays float64


def test_explorer_widget_redraws():
    demo = finite_difference_explorer()
    first = demo.image.value
    demo.controls["log10_eps"].value = -9.0
    assert demo.data.eps == pytest.approx(1e-9) and demo.image.value != first
    demo.controls["dtype"].value = "float32"
    assert demo.data.dtype == "float32"
    demo.controls["function"].value = "exp(x) at x = 1"
    assert demo.data.exact == pytest.approx(np.e)
    assert repr(demo) == "Demo('Finite differences: how small should ε be?')"


def test_same_state_gives_the_same_bytes():
    a, b = backprop_stepper(step=4), backprop_stepper()
    b.controls["step"].value = 4
    assert a.image.value == b.image.value
    c, d = finite_difference_explorer(log10_eps=-3.0), finite_difference_explorer()
    d.controls["log10_eps"].value = -3.0
    assert c.image.value == d.image.value
