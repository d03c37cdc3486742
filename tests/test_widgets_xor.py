"""The XOR hidden-layer demo of chapter 1: pure parts, then the live widget."""

import numpy as np

from nnlib.widgets.xor import xor_frame, xor_hidden_layer, xor_init, xor_step


def test_single_neuron_cannot_fit_xor():
    state = xor_step(xor_init(hidden=0, seed=0), epochs=300)
    frame = xor_frame(state)
    assert frame["lines"] == []  # no hidden units, no hidden lines
    assert frame["accuracy"] < 0.8
    assert state.losses[-1] > 0.6  # stuck near ln 2


def test_three_hidden_units_fit_xor():
    state = xor_step(xor_init(hidden=3, seed=0), epochs=500)
    frame = xor_frame(state)
    assert len(frame["lines"]) == 3
    assert frame["accuracy"] > 0.95
    assert state.losses[-1] < state.losses[0]
    assert frame["probs"].shape == (41, 41)
    assert np.all((frame["probs"] >= 0) & (frame["probs"] <= 1))


def test_training_is_seeded():
    a = xor_step(xor_init(hidden=2, seed=4), epochs=50).losses
    b = xor_step(xor_init(hidden=2, seed=4), epochs=50).losses
    assert a == b


def test_widget_controls_and_buttons_redraw():
    demo = xor_hidden_layer(hidden=2, warmup=2)
    assert demo.data.epoch == 50
    first = demo.image.value
    demo.buttons["Step"].click()
    assert demo.data.epoch == 75
    assert demo.image.value != first
    frame = demo.image.value
    demo.controls["hidden"].value = 4  # a new network, from scratch
    assert demo.data.hidden == 4 and demo.data.epoch == 0
    assert len(demo.data.net.hidden.weight.data) == 4
    assert demo.image.value != frame
    demo.controls["seed"].value = 3
    assert demo.data.epoch == 0
    demo.play.value = 1  # one Play tick trains one chunk
    assert demo.data.epoch == 25
    assert repr(demo) == "Demo('XOR: how many hidden units does it take?')"


def test_widget_leaves_the_global_generator_alone():
    import nnlib

    nnlib.manual_seed(5)
    expected = nnlib.randn(3).data
    nnlib.manual_seed(5)
    demo = xor_hidden_layer(hidden=2, seed=7)
    demo.controls["hidden"].value = 4
    assert np.array_equal(nnlib.randn(3).data, expected)


def test_same_values_give_the_same_frame():
    a = xor_hidden_layer(hidden=3, seed=2, warmup=1)
    b = xor_hidden_layer(hidden=3, seed=2, warmup=1)
    assert a.image.value == b.image.value
