"""Chapter 8's demos: the pure views, then the live widgets."""

import math

import numpy as np
import pytest

from nnlib import nn
from nnlib.widgets import DEMOS
from nnlib.widgets.deep_gradients import (
    ACTIVATIONS,
    INITS,
    NORMS,
    deep_net,
    flow_view,
    gradient_flow,
    propagation_view,
    signal_propagation,
)


def test_demos_are_registered():
    assert {"gradient_flow", "signal_propagation"} <= set(DEMOS)


def test_deep_net_has_the_requested_layers_and_leaves_nnlib_random_state_alone():
    import nnlib

    nnlib.manual_seed(5)
    before = nnlib.randn(3).data
    nnlib.manual_seed(5)
    net = deep_net(4, "tanh", "xavier", residual=True, norm="layer norm")
    after = nnlib.randn(3).data
    np.testing.assert_array_equal(before, after)
    assert sum(isinstance(m, nn.Linear) for m in net.modules()) == 5
    assert sum(isinstance(m, nn.LayerNorm) for m in net.modules()) == 4


def test_flow_view_shows_vanishing_healthy_and_exploding():
    vanish = flow_view(20, "sigmoid", "pytorch default")
    healthy = flow_view(20, "relu", "he")
    explode = flow_view(20, "relu", "normal(0, 1)")
    assert vanish.ratio < 1e-10
    assert 1e-2 < healthy.ratio < 1e2
    assert explode.act_std[-1] > 1e8
    assert not np.isfinite(explode.losses).all()
    assert np.isfinite(healthy.losses).all()
    # The vanishing net's cost stays at ln 10 for the first steps.
    assert abs(vanish.losses[-1] - math.log(10)) < 0.1


def test_flow_view_normalisation_and_residual_lift_the_sigmoid_gradient():
    plain = flow_view(30, "sigmoid", "pytorch default")
    for kwargs in ({"norm": "batch norm"}, {"norm": "layer norm"}, {"residual": True}):
        assert flow_view(30, "sigmoid", "pytorch default", **kwargs).ratio > 1e6 * plain.ratio


def test_flow_view_every_combination_is_finite_at_initialisation():
    for act in ACTIVATIONS:
        for init_name in INITS:
            for norm in NORMS:
                view = flow_view(5, act, init_name, False, norm)
                assert view.act_std.shape == (6,) and view.grad_std.shape == (6,)
                assert math.isfinite(view.losses[0])


def test_propagation_view_follows_the_theory_for_linear_and_relu():
    for act, critical in (("linear", 1.0), ("relu", math.sqrt(2))):
        view = propagation_view(critical, act)
        assert 0.2 < view.forward[-1] / view.forward[0] < 5
        assert 0.2 < view.backward[0] / view.backward[-1] < 5
        small = propagation_view(0.7 * critical, act)
        assert small.forward[-1] < 1e-5 * small.forward[0]
        np.testing.assert_allclose(np.log(small.forward), np.log(small.theory), atol=2.0)


def test_tanh_bounds_the_forward_signal_but_not_the_gradient():
    view = propagation_view(2.0, "tanh")
    assert view.forward.max() < 5
    assert view.backward[0] > 100 * view.backward[-1]


@pytest.mark.parametrize("build", [gradient_flow, signal_propagation])
def test_widget_updates_its_picture_and_is_repeatable(build):
    demo = build()
    first = demo.image.value
    name, control = next((k, c) for k, c in demo.controls.items() if k == "activation")
    control.value = "relu" if control.value != "relu" else "tanh"
    assert demo.image.value != first
    again = build()
    again.controls[name].value = control.value
    assert again.image.value == demo.image.value
