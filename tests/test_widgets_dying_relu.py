"""The dying-ReLU demo of chapter 3: pure parts, then the live widget."""

import numpy as np

from nnlib.widgets.dying_relu import (
    WIDTH,
    active_fraction,
    dead_counts,
    dying_frame,
    dying_init,
    dying_relu,
    dying_step,
)


def test_active_fraction_counts_positive_pre_activations():
    Z = np.array([[1.0, -1.0, 0.0], [2.0, -3.0, 0.5]])
    np.testing.assert_array_equal(active_fraction(Z), [1.0, 0.0, 0.5])


def test_negative_bias_kills_every_relu_unit_for_good():
    state = dying_init("relu", lr=0.01, bias_shift=-3.0, seed=0)
    assert dead_counts(state) == (WIDTH, WIDTH)
    w1 = state.net.fc1.weight.data.copy()
    dying_step(state, epochs=30)
    # Every unit is off everywhere: no gradient reaches the hidden layers, nothing moves.
    np.testing.assert_array_equal(state.net.fc1.weight.data, w1)
    assert dead_counts(state) == (WIDTH, WIDTH)
    assert abs(state.losses[-1] - np.log(2)) < 1e-3


def test_leaky_units_come_back_from_the_same_start():
    state = dying_init("leaky_relu", lr=0.01, bias_shift=-1.5, seed=0)
    assert dead_counts(state)[0] >= WIDTH - 1
    for _ in range(30):
        dying_step(state)
    frame = dying_frame(state)
    # After 300 epochs about half of layer 1 and all of layer 2 are back.
    assert frame["dead"][0] < 0.6 * WIDTH and frame["dead"][1] < WIDTH // 4
    assert frame["loss"] < 0.6


def test_frame_contents_and_history():
    state = dying_init("relu", lr=0.1, seed=1)
    dying_step(state, epochs=20)
    frame = dying_frame(state)
    assert frame["fractions"].shape == (2, WIDTH)
    assert np.all((frame["fractions"] >= 0) & (frame["fractions"] <= 1))
    assert frame["probs"].shape == (41, 41)
    assert frame["history"].shape == (2, 3)
    assert frame["history"][-1, 0] == 20 == frame["epoch"]
    assert frame["dead"] == tuple(int(d) for d in frame["history"][-1, 1:])


def test_training_is_seeded():
    a = dying_step(dying_init("prelu", 0.05, 0.0, 3), epochs=15).losses
    b = dying_step(dying_init("prelu", 0.05, 0.0, 3), epochs=15).losses
    assert a == b


def test_default_run_is_the_chapter_run():
    """At its defaults, after 30 chunks, the demo is chapter 3's ReLU run at lr = 0.1."""
    import nnlib
    from nnlib import nn

    state = dying_init("relu", lr=0.1, seed=0)
    X = state.X
    nnlib.manual_seed(0)
    net = nn.Sequential(
        nn.Linear(2, WIDTH), nn.ReLU(), nn.Linear(WIDTH, WIDTH), nn.ReLU(), nn.Linear(WIDTH, 1)
    ).double()
    for ours, theirs in zip(state.net.parameters(), net.parameters(), strict=True):
        np.testing.assert_array_equal(ours.data, theirs.data)
    assert X.shape == (300, 2) and X.dtype == nnlib.float64


def test_widget_controls_and_buttons_redraw():
    demo = dying_relu(warmup=2)
    assert demo.data.epoch == 20
    first = demo.image.value
    demo.buttons["Step"].click()
    assert demo.data.epoch == 30
    assert demo.image.value != first
    frame = demo.image.value
    demo.controls["activation"].value = "leaky_relu"  # a new network, from scratch
    assert demo.data.activation == "leaky_relu" and demo.data.epoch == 0
    assert demo.image.value != frame
    demo.controls["bias_shift"].value = -3.0
    assert dead_counts(demo.data) == (WIDTH, WIDTH)
    demo.controls["lr"].value = 0.01
    assert demo.data.opt.param_groups[0]["lr"] == 0.01
    demo.play.value = 1  # one Play tick trains one chunk
    assert demo.data.epoch == 10
    assert repr(demo) == "Demo('Dying ReLU: which units are still alive?')"


def test_building_the_demo_leaves_the_global_random_stream_alone() -> None:
    import nnlib
    from nnlib.widgets.dying_relu import dying_init

    nnlib.manual_seed(0)
    expected = nnlib.randn(4).data
    nnlib.manual_seed(0)
    dying_init(seed=7)
    np.testing.assert_array_equal(nnlib.randn(4).data, expected)
