"""nnlib.widgets: the Demo framework and the ready-made demos, with real ipywidgets.

Each test builds a demo, moves its controls by setting ``.value`` (what dragging does),
and checks the computed data and that a new frame (new PNG bytes) was drawn.
"""

from __future__ import annotations

import io

import ipywidgets as w
import numpy as np
import pytest
import torch
from PIL import Image

import nnlib
from nnlib import plot, widgets
from nnlib.widgets import Demo, DemoBox, TrainingDemo


def test_the_documented_fifteen_line_demo_runs():
    import textwrap

    from nnlib.widgets import demo as demo_module

    doc = demo_module.__doc__
    block = doc[doc.index("::\n\n") + 4 : doc.index("\n\nFor a demo")]
    scope: dict = {}
    exec(textwrap.dedent(block), scope)
    demo = scope["demo"]
    first = demo.image.value
    demo.controls["slope"].value = 3.0
    assert demo.data[1][-1] == pytest.approx(np.tanh(9.0))
    assert demo.image.value != first
    # Its website twin: one frame per value of `static`, behind an index-based slider.
    twin = demo.static_widget()
    stack = twin.children[2]
    assert len(stack.children) == 25
    assert twin.children[1].children[0].options[0] == "0.20"


def _is_png(data: bytes) -> bool:
    return Image.open(io.BytesIO(data)).format == "PNG"


def _tiny_demo() -> Demo:
    fig, ax = plot.figure(width=2, height=2)
    (dot,) = ax.plot([0.0], [0.0], "o")
    ax.set(xlim=(-1, 1), ylim=(-1, 1))

    def render(x: float):
        dot.set_data([x], [0.0])
        return fig

    calls = []

    def compute(x: float, y: float) -> float:
        calls.append((x, y))
        return x + y

    demo = Demo(
        {"x": w.FloatSlider(0.0, min=-1, max=1), "y": w.FloatSlider(0.0, min=-1, max=1)},
        compute,
        render,
        "tiny",
    )
    demo.calls = calls  # type: ignore[attr-defined]
    return demo


# ----------------------------------------------------------------- the framework
def test_demo_first_frame_is_in_the_image_when_built():
    demo = _tiny_demo()
    assert _is_png(demo.image.value)
    assert demo.data == 0.0


def test_demo_recomputes_and_redraws_when_a_control_moves():
    demo = _tiny_demo()
    first = demo.image.value
    demo.controls["x"].value = 0.5
    assert demo.data == 0.5
    assert demo.image.value != first


def test_demo_set_updates_once():
    demo = _tiny_demo()
    n = len(demo.calls)
    demo.set(x=0.25, y=0.5)
    assert len(demo.calls) == n + 1
    assert demo.data == 0.75


def test_demo_widget_repr_is_short_and_fixed():
    demo = _tiny_demo()
    assert isinstance(demo.widget, DemoBox)
    assert repr(demo) == repr(demo.widget) == "Demo('tiny')"
    bundle = demo._repr_mimebundle_()
    assert bundle["text/plain"] == "Demo('tiny')"
    assert "application/vnd.jupyter.widget-view+json" in bundle
    demo.controls["x"].value = 0.9
    assert demo._repr_mimebundle_()["text/plain"] == "Demo('tiny')"


def test_demo_widget_holds_title_controls_and_image():
    demo = _tiny_demo()
    title, row, image = demo.widget.children
    assert "tiny" in title.value
    assert list(row.children) == list(demo.controls.values())
    assert image is demo.image


def test_demo_buttons_call_their_action():
    fig, _ = plot.figure(width=2, height=2)
    demo = Demo(
        {"n": w.IntSlider(0, min=0, max=10)},
        lambda n: n,
        lambda n: fig,
        "count",
        buttons={"+1": lambda d: d.set(n=d.controls["n"].value + 1)},
    )
    demo.buttons["+1"].click()
    demo.buttons["+1"].click()
    assert demo.controls["n"].value == 2 and demo.data == 2


def _tiny_training() -> TrainingDemo:
    fig, ax = plot.figure(width=2, height=2)
    (dot,) = ax.plot([1.0], [0.0], "o")
    ax.set(xlim=(-0.1, 1.1), ylim=(-1, 1))

    def step(state, lr):
        state["x"] -= lr * 2 * state["x"]
        state["ticks"] += 1
        return state

    def render(state):
        dot.set_data([state["x"]], [0.0])
        return fig

    return TrainingDemo(
        {"lr": w.FloatSlider(0.25, min=0.0, max=0.5)},
        lambda lr: {"x": 1.0, "ticks": 0},
        step,
        render,
        "descent",
    )


def test_training_demo_play_step_and_reset():
    demo = _tiny_training()
    first = demo.image.value
    demo.play.value = 1  # one Play tick
    demo.play.value = 2
    assert demo.data == {"x": 0.25, "ticks": 2}
    assert demo.image.value != first
    demo.buttons["Step"].click()
    assert demo.data["ticks"] == 3
    demo.buttons["Reset"].click()
    assert demo.data == {"x": 1.0, "ticks": 0}
    assert demo.play.value == 0
    assert demo.image.value == first


def test_training_demo_control_change_restarts():
    demo = _tiny_training()
    demo.tick()
    demo.controls["lr"].value = 0.1
    assert demo.data["ticks"] == 0
    demo.play.value = 1
    assert demo.data["x"] == pytest.approx(0.8)


def test_training_demo_play_rewind_does_not_train():
    demo = _tiny_training()
    demo.play.value = 3
    ticks = demo.data["ticks"]
    demo.play.value = 0  # Play's own stop/rewind
    assert demo.data["ticks"] == ticks


# ----------------------------------------------------------------- neuron_boundary
def _numpy_bce(X, y, w, b):
    z = X @ w + b
    p = 1 / (1 + np.exp(-z))
    return float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))


def test_neuron_view_matches_numpy():
    v = widgets.neuron_view("gaussians", 1.5, -0.5, 0.25)
    assert v.loss == pytest.approx(_numpy_bce(v.X, v.y, np.array([1.5, -0.5]), 0.25))
    expected_acc = np.mean(((v.X @ [1.5, -0.5] + 0.25) > 0) == (v.y == 1))
    assert v.accuracy == pytest.approx(expected_acc)
    assert v.probs.shape == (40, 40)


def test_neuron_bias_shifts_the_boundary():
    demo = widgets.neuron_boundary()
    demo.set(w1=1.0, w2=0.0, b=0.0)
    assert demo.data.boundary_x1(0.0) == pytest.approx(0.0)
    first = demo.image.value
    demo.controls["b"].value = 1.0
    # w1 x1 + b = 0 → the boundary moves to x1 = -1: more of the plane is class 1.
    assert demo.data.boundary_x1(0.0) == pytest.approx(-1.0)
    assert demo.data.probs.mean() > 0.6
    assert demo.image.value != first


def test_neuron_weights_turn_the_boundary():
    v = widgets.neuron_view("gaussians", 0.0, 2.0, 0.0)
    # w = (0, 2): the boundary is the horizontal line x2 = 0; probabilities rise upwards.
    assert np.all(np.diff(v.probs[:, 0]) > 0)
    np.testing.assert_allclose(v.probs[:, 0], v.probs[:, -1])


def test_neuron_step_matches_torch():
    X, y = widgets.neuron_dataset("gaussians")
    w1, w2, b = widgets.neuron_step(X, y, 0.3, -0.2, 0.1, lr=0.5)
    tw = torch.tensor([0.3, -0.2], dtype=torch.float64, requires_grad=True)
    tb = torch.tensor(0.1, dtype=torch.float64, requires_grad=True)
    z = torch.from_numpy(X.data) @ tw + tb
    torch.nn.functional.binary_cross_entropy_with_logits(
        z, torch.from_numpy(y.data).double()
    ).backward()
    np.testing.assert_allclose([w1, w2], (tw - 0.5 * tw.grad).detach().numpy(), rtol=1e-10)
    assert b == pytest.approx((tb - 0.5 * tb.grad).item(), rel=1e-10)


def test_neuron_train_step_lowers_the_loss_and_moves_the_sliders():
    demo = widgets.neuron_boundary()
    demo.set(w1=-1.0, w2=0.5, b=1.0)
    before, frame = demo.data.loss, demo.image.value
    demo.buttons["Train step"].click()
    assert demo.data.loss < before
    assert demo.controls["w1"].value > -1.0  # class 1 lies to the right
    assert demo.image.value != frame
    for _ in range(30):
        demo.buttons["Train step"].click()
    assert demo.data.accuracy > 0.95


def test_one_neuron_cannot_learn_xor():
    demo = widgets.neuron_boundary()
    demo.controls["dataset"].value = "xor"
    for _ in range(60):
        demo.buttons["Train step"].click()
    assert demo.data.accuracy < 0.8
    assert demo.data.loss > 0.6  # stuck near ln 2


def test_neuron_dataset_rejects_unknown_names():
    with pytest.raises(ValueError, match="help:"):
        widgets.neuron_dataset("spirals")


# ----------------------------------------------------------------- activation_explorer
def test_activation_derivatives_come_from_autograd_and_are_right():
    x = np.linspace(-6, 6, 401)
    s = 1 / (1 + np.exp(-x))
    v = widgets.activation_view("sigmoid")
    np.testing.assert_allclose(v.dy, s * (1 - s), atol=1e-12)
    v = widgets.activation_view("tanh")
    np.testing.assert_allclose(v.dy, 1 - np.tanh(x) ** 2, atol=1e-12)


def test_activation_saturation_regions():
    relu = widgets.activation_view("relu", x_max=4.0, n=81)
    np.testing.assert_array_equal(relu.saturated, relu.x <= 0)  # dead half; relu'(0) = 0
    sig = widgets.activation_view("sigmoid", x_max=8.0)
    assert sig.saturated[0] and sig.saturated[-1] and not sig.saturated[200]
    # A lower threshold shades less.
    assert widgets.activation_view("sigmoid", threshold=0.01).saturated_fraction < (
        widgets.activation_view("sigmoid", threshold=0.1).saturated_fraction
    )


def test_activation_explorer_draws_every_activation():
    demo = widgets.activation_explorer()
    assert {"relu", "sigmoid", "tanh"} <= set(demo.controls["activation"].options)
    frames = {demo.image.value}
    for name in demo.controls["activation"].options:
        demo.controls["activation"].value = name
        assert demo.data.name == name
        assert np.all(np.isfinite(demo.data.dy))
        frames.add(demo.image.value)
    assert len(frames) == len(demo.controls["activation"].options)


def test_activation_explorer_range_and_threshold_controls():
    demo = widgets.activation_explorer()
    demo.controls["activation"].value = "tanh"
    narrow = demo.data.saturated_fraction
    frame = demo.image.value
    demo.controls["x_max"].value = 10.0
    assert demo.data.saturated_fraction > narrow
    assert demo.image.value != frame
    demo.controls["threshold"].value = 0.2
    assert demo.data.threshold == 0.2


def test_leaky_relu_is_not_saturated_below_its_slope():
    if "leaky_relu" not in widgets.available_activations():
        pytest.skip("nnlib.nn.functional.leaky_relu is not there yet")
    v = widgets.activation_view("leaky_relu", threshold=0.005)
    assert not v.saturated.any()


def test_activation_view_rejects_unknown_names():
    with pytest.raises(ValueError, match="help:"):
        widgets.activation_view("swish2")


# ----------------------------------------------------------------- optimizer_race
def test_race_every_optimizer_descends_the_bowl():
    start = widgets.race_init("bowl")
    start_loss = {name: start.loss(name) for name in start.paths}
    state = widgets.race_step(widgets.race_init("bowl"), steps=60)
    for name in widgets.OPTIMIZERS:
        assert len(state.paths[name]) == 61
        assert state.loss(name) < 0.1 * start_loss[name], name


def test_race_adam_leaves_the_saddle_first():
    # Started 0.01 off the ridge: SGD's push away from it grows only by a factor
    # (1 + 2 lr) per step, while Adam's normalised steps have full size at once.
    state = widgets.race_step(widgets.race_init("saddle", ("SGD", "Adam"), lr=0.05), steps=20)
    assert abs(state.paths["SGD"][-1][1]) < 0.1
    assert abs(state.paths["Adam"][-1][1]) > 0.9
    state = widgets.race_step(state, steps=180)
    assert abs(state.paths["SGD"][-1][1]) == pytest.approx(2**0.5, abs=0.05)  # the minimum


def test_race_diverging_racer_stops_with_a_finite_path():
    state = widgets.race_step(widgets.race_init("rosenbrock", ("SGD",), lr=0.1), steps=50)
    path = np.array(state.paths["SGD"])
    assert len(path) < 51
    assert np.all(np.isfinite(path))


def test_race_rejects_unknown_names():
    with pytest.raises(ValueError, match="help:"):
        widgets.race_init("volcano")
    with pytest.raises(ValueError, match="help:"):
        widgets.race_init("bowl", ("Lion",))


def test_optimizer_race_widget():
    demo = widgets.optimizer_race()
    first = demo.image.value
    demo.play.value = 1
    assert demo.data.steps == widgets.optimizers.STEPS_PER_TICK
    assert demo.image.value != first
    demo.controls["racers"].value = ("Adam",)
    assert list(demo.data.paths) == ["Adam"] and demo.data.steps == 0
    demo.controls["surface"].value = "rosenbrock"
    assert demo.data.surface == "rosenbrock"
    demo.buttons["Step"].click()
    assert len(demo.data.paths["Adam"]) == 1 + widgets.optimizers.STEPS_PER_TICK


# ----------------------------------------------------------------- determinism
@pytest.mark.parametrize("name", sorted(widgets.DEMOS))
def test_same_controls_give_identical_png(name):
    a, b = widgets.DEMOS[name](), widgets.DEMOS[name]()
    assert a.image.value == b.image.value
    # Move away and back on the reused figure: the frame is the same as a fresh one.
    control_name, control = next(iter(a.controls.items()))
    options = getattr(control, "options", None)
    original = control.value
    control.value = options[-1] if options else control.max
    assert a.image.value != b.image.value
    control.value = original
    assert a.image.value == b.image.value, control_name


@pytest.mark.parametrize("name", sorted(widgets.DEMOS))
def test_demo_frames_are_small(name):
    demo = widgets.DEMOS[name]()
    width, height = Image.open(io.BytesIO(demo.image.value)).size
    # Small frames draw fast and keep the stored widget state (base64 in the notebook) light;
    # the book's text column is about 750 px wide, so wider frames are scaled down anyway.
    assert width <= 1200 and height <= 800
    assert len(demo.image.value) < 300_000


@pytest.mark.parametrize("name", ["neuron_boundary", "activation_explorer", "optimizer_race"])
def test_demos_do_not_touch_nnlib_global_seed(name):
    # Moving a control must not change what the learner's next cell draws at random.
    nnlib.manual_seed(123)
    expected = nnlib.randn(3).data
    nnlib.manual_seed(123)
    for build in [widgets.DEMOS[name]]:
        demo = build()
        if isinstance(demo, TrainingDemo):
            demo.tick()
    np.testing.assert_array_equal(nnlib.randn(3).data, expected)


# ----------------------------------------------------------------- in a real notebook
@pytest.mark.slow
def test_demo_cells_are_one_output_and_identical_across_runs(tmp_path):
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    cells = [
        "import numpy as np\nfrom nnlib import plot, widgets",
        "widgets.neuron_boundary()",
        "widgets.activation_explorer()",
        "demo = widgets.optimizer_race()\ndemo.tick()\ndemo",
        "fig, ax = plot.figure()\nx = np.linspace(-3, 3, 61)\n"
        "_ = ax.plot(x, np.tanh(x))\nplot.show(fig)",
    ]

    def run():
        nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells])
        nbclient.NotebookClient(
            nb,
            timeout=120,
            kernel_name="python3",
            store_widget_state=True,
            resources={"metadata": {"path": str(tmp_path)}},
        ).execute()
        outputs = [cell.outputs for cell in nb.cells]
        state = nb.metadata["widgets"]["application/vnd.jupyter.widget-state+json"]["state"]
        images = sorted(
            buffer["data"]
            for model in state.values()
            if model["model_name"] == "ImageModel"
            for buffer in model.get("buffers", [])
        )
        return outputs, images

    (out1, img1), (out2, img2) = run(), run()
    for outputs in (out1[1:4], out2[1:4]):
        for cell_outputs in outputs:
            assert len(cell_outputs) == 1  # exactly the widget
            assert "application/vnd.jupyter.widget-view+json" in cell_outputs[0]["data"]
    texts = [[o["data"].get("text/plain") for o in cell] for cell in out1]
    assert texts == [[o["data"].get("text/plain") for o in cell] for cell in out2]
    assert texts[1] == [
        "Demo('One neuron: drag the weights and the bias, or take a gradient step')"
    ]
    assert out1[4][0]["data"]["image/png"] == out2[4][0]["data"]["image/png"]
    assert len(img1) == 3 and img1 == img2  # the first frames, stored for the static site
