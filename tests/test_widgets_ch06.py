"""Chapter 6's demos: the sets the axes demo draws are the ones nnlib's layers standardise,
its controls move the picture (the set slider follows the layer), and the batch-norm race
trains both networks from the same weights on the same batches."""

import numpy as np
import pytest

import nnlib
from nnlib.nn import functional as F
from nnlib.widgets import bn_lr_race, norm_axes
from nnlib.widgets.bn_training import bn_race_init, bn_race_step, make_net
from nnlib.widgets.norm_axes import NORMS, SHAPE, block_polygons, norm_axes_view, norm_sets


def _standardise_by_label(x: np.ndarray, labels: np.ndarray, eps: float = 1e-5) -> np.ndarray:
    out = np.empty_like(x)
    for k in np.unique(labels):
        values = x[labels == k]
        out[labels == k] = (values - values.mean()) / np.sqrt(values.var() + eps)
    return out


@pytest.mark.parametrize("norm", list(NORMS))
def test_each_drawn_set_is_what_the_layer_standardises(norm):
    x = np.random.default_rng(0).normal(2.0, 3.0, SHAPE)
    kind, groups = NORMS[norm]
    t = nnlib.tensor(x)
    layer = {
        "batch": lambda: F.batch_norm(t, None, None, training=True),
        "layer": lambda: F.layer_norm(t, SHAPE[1:]),
        "instance": lambda: F.instance_norm(t),
        "group": lambda: F.group_norm(t, groups),
    }[kind]()
    np.testing.assert_allclose(layer.data, _standardise_by_label(x, norm_sets(norm)), atol=1e-10)


def test_views_count_sets_and_clamp_the_index():
    assert norm_axes_view("BatchNorm2d").count == 6
    view = norm_axes_view("LayerNorm", index=99)
    assert (view.index, view.count, view.size) == (3, 4, 36)
    assert view.selected.shape == (4, 6, 6) and view.selected.sum() == 36
    with pytest.raises(ValueError, match="norm_sets"):
        norm_sets("BatchNorm3d")


def test_polygons_come_back_to_front_and_mark_the_selected_cells():
    view = norm_axes_view("InstanceNorm2d", 5)
    polys, lit = block_polygons(view.selected, azimuth=30.0)
    assert polys.shape[1:] == (4, 2) and len(polys) == len(lit) == 4 * 6 * 6 * 3
    assert lit.sum() == 3 * view.size  # three visible faces per highlighted cube


def test_axes_demo_moves_with_every_control():
    demo = norm_axes()
    first = demo.image.value
    demo.set(norm="InstanceNorm2d", index=20)
    assert demo.controls["index"].max == 23 and demo.data.index == 20
    assert demo.image.value != first
    turned = demo.image.value
    demo.controls["azimuth"].value = -30
    assert demo.image.value != turned
    demo.controls["norm"].value = "LayerNorm"  # the slider's range shrinks with it
    assert demo.controls["index"].max == 3 and demo.data.index == 3
    again = norm_axes()
    again.set(norm="LayerNorm", index=3, azimuth=-30)
    assert again.image.value == demo.image.value


def test_race_starts_both_networks_from_the_same_linear_weights():
    plain, bn = make_net(False), make_net(True)
    linears_plain = [m for m in plain if type(m).__name__ == "Linear"]
    linears_bn = [m for m in bn if type(m).__name__ == "Linear"]
    for a, b in zip(linears_plain, linears_bn, strict=True):
        np.testing.assert_array_equal(a.weight.data, b.weight.data)


def test_race_step_trains_both_and_marks_divergence():
    state = bn_race_step(bn_race_init(0.03), 0.03)
    assert state.epoch == 1
    for name in ("plain", "batch norm"):
        assert state.cost[name][1] < state.cost[name][0]
    wild = bn_race_init(8.0)
    for _ in range(3):
        wild = bn_race_step(wild, 8.0)
    assert wild.val_acc["plain"][-1] < 0.3


def test_race_demo_ticks_and_is_repeatable():
    demo = bn_lr_race()
    demo.tick()
    assert demo.data.epoch == 1
    again = bn_lr_race()
    again.tick()
    assert again.image.value == demo.image.value
