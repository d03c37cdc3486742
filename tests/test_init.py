"""Tests for nnlib.nn.init: PyTorch's formulas, checked on bounds and empirical statistics."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch

import nnlib
from nnlib import nn
from nnlib.nn import init
from tests.helpers import assert_bad_input


@pytest.fixture(autouse=True)
def _seed_torch():
    """PyTorch's samples are checked statistically too: seed them, so that no test depends
    on how many random numbers earlier tests drew."""
    torch.manual_seed(0)


GAINS = [
    ("linear", None), ("conv1d", None), ("conv2d", None), ("conv3d", None),
    ("conv_transpose1d", None), ("conv_transpose2d", None), ("conv_transpose3d", None),
    ("sigmoid", None), ("tanh", None), ("relu", None), ("leaky_relu", None),
    ("leaky_relu", 0.2), ("leaky_relu", 0), ("leaky_relu", math.sqrt(5)), ("selu", None),
]  # fmt: skip


@pytest.mark.parametrize(("name", "param"), GAINS)
def test_calculate_gain_matches_torch(name, param):
    assert init.calculate_gain(name, param) == pytest.approx(
        torch.nn.init.calculate_gain(name, param), rel=1e-15
    )


@pytest.mark.parametrize("shape", [(3, 5), (7, 2), (4, 3, 2, 2), (6, 1, 5)])
def test_fans_match_torch(shape):
    ours = init._calculate_fan_in_and_fan_out(nnlib.zeros(*shape))
    assert ours == torch.nn.init._calculate_fan_in_and_fan_out(torch.zeros(shape))


def _std_check(ours: np.ndarray, expected_std: float, tol: float = 0.02) -> None:
    assert abs(ours.mean()) < 3 * expected_std / math.sqrt(ours.size) + 1e-12
    assert abs(ours.std() / expected_std - 1) < tol


SHAPE = (400, 250)  # fan_in 250, fan_out 400: 100k draws, std estimated to ~0.5%


@pytest.mark.parametrize("gain", [1.0, 5 / 3])
def test_xavier_uniform(gain):
    nnlib.manual_seed(0)
    w = init.xavier_uniform_(nnlib.zeros(*SHAPE), gain=gain)
    bound = gain * math.sqrt(6 / (250 + 400))
    assert np.abs(w.data).max() <= bound and np.abs(w.data).max() > 0.99 * bound
    _std_check(w.data, bound / math.sqrt(3))
    t = torch.nn.init.xavier_uniform_(torch.zeros(SHAPE), gain=gain)
    assert abs(t.abs().max().item() - np.abs(w.data).max()) < 0.01 * bound


@pytest.mark.parametrize("gain", [1.0, 5 / 3])
def test_xavier_normal(gain):
    nnlib.manual_seed(0)
    w = init.xavier_normal_(nnlib.zeros(*SHAPE), gain=gain)
    std = gain * math.sqrt(2 / (250 + 400))
    _std_check(w.data, std)
    _std_check(torch.nn.init.xavier_normal_(torch.zeros(SHAPE), gain=gain).numpy(), std)


KAIMING = [
    {},
    {"nonlinearity": "relu"},
    {"a": 0.2},
    {"a": math.sqrt(5)},
    {"mode": "fan_out", "nonlinearity": "relu"},
    {"mode": "fan_out", "nonlinearity": "tanh"},
]


@pytest.mark.parametrize("kwargs", KAIMING)
def test_kaiming_uniform(kwargs):
    nnlib.manual_seed(0)
    w = init.kaiming_uniform_(nnlib.zeros(*SHAPE), **kwargs)
    fan = 400 if kwargs.get("mode") == "fan_out" else 250
    gain = torch.nn.init.calculate_gain(kwargs.get("nonlinearity", "leaky_relu"),
                                        kwargs.get("a", 0))  # fmt: skip
    bound = math.sqrt(3) * gain / math.sqrt(fan)
    assert np.abs(w.data).max() <= bound and np.abs(w.data).max() > 0.99 * bound
    _std_check(w.data, bound / math.sqrt(3))
    t = torch.nn.init.kaiming_uniform_(torch.zeros(SHAPE), **kwargs).numpy()
    assert abs(np.abs(t).max() - np.abs(w.data).max()) < 0.01 * bound


@pytest.mark.parametrize("kwargs", KAIMING)
def test_kaiming_normal(kwargs):
    nnlib.manual_seed(0)
    w = init.kaiming_normal_(nnlib.zeros(*SHAPE), **kwargs)
    fan = 400 if kwargs.get("mode") == "fan_out" else 250
    gain = torch.nn.init.calculate_gain(kwargs.get("nonlinearity", "leaky_relu"),
                                        kwargs.get("a", 0))  # fmt: skip
    _std_check(w.data, gain / math.sqrt(fan))
    t = torch.nn.init.kaiming_normal_(torch.zeros(SHAPE), **kwargs).numpy()
    _std_check(t, gain / math.sqrt(fan))


def test_kaiming_uses_receptive_field_for_conv_weights():
    nnlib.manual_seed(0)
    w = init.kaiming_normal_(nnlib.zeros(64, 16, 5, 5), nonlinearity="relu")
    _std_check(w.data, math.sqrt(2 / (16 * 25)), tol=0.03)


def test_uniform_normal_constant_zeros_ones():
    nnlib.manual_seed(0)
    t = nnlib.zeros(200, 300)
    assert init.uniform_(t, -2.0, 3.0) is t
    assert t.data.min() >= -2 and t.data.max() < 3
    assert abs(t.data.mean() - 0.5) < 0.03 and abs(t.data.std() - 5 / math.sqrt(12)) < 0.02
    assert init.normal_(t, mean=1.0, std=0.5) is t
    assert abs(t.data.mean() - 1) < 0.01 and abs(t.data.std() - 0.5) < 0.01
    assert init.constant_(t, 0.3) is t and np.all(t.data == np.float32(0.3))
    assert init.zeros_(t) is t and np.all(t.data == 0)
    assert init.ones_(t) is t and np.all(t.data == 1)
    assert t.dtype == np.float32


def test_init_is_in_place_outside_the_graph_and_keeps_dtype():
    layer = nn.Linear(3, 2, dtype=nnlib.float64)
    arr = layer.weight.data
    out = init.xavier_uniform_(layer.weight)
    assert out is layer.weight and layer.weight.data is arr
    assert layer.weight.dtype == np.float64
    assert layer.weight.is_leaf and layer.weight.requires_grad and layer.weight.grad is None
    init.zeros_(layer.bias)
    assert np.all(layer.bias.data == 0) and layer.bias.is_leaf


def test_init_is_seeded_and_accepts_a_generator():
    nnlib.manual_seed(5)
    a = init.kaiming_uniform_(nnlib.zeros(4, 3)).data.copy()
    nnlib.manual_seed(5)
    b = init.kaiming_uniform_(nnlib.zeros(4, 3)).data.copy()
    np.testing.assert_array_equal(a, b)
    c = init.normal_(nnlib.zeros(5), generator=np.random.default_rng(1)).data
    d = init.normal_(nnlib.zeros(5), generator=np.random.default_rng(1)).data
    np.testing.assert_array_equal(c, d)


def test_empty_tensor_is_left_alone():
    t = nnlib.zeros(0, 3)
    assert init.kaiming_uniform_(t) is t
    assert init.kaiming_normal_(t) is t


def test_bad_input():
    assert_bad_input(ValueError, "init.calculate_gain", init.calculate_gain, "softmax")
    assert_bad_input(ValueError, "init.calculate_gain", init.calculate_gain, "leaky_relu", "a")
    assert_bad_input(ValueError, "init.kaiming", init.kaiming_uniform_, nnlib.zeros(3, 2),
                     mode="fan_avg")  # fmt: skip
    message = assert_bad_input(ValueError, "init", init.xavier_uniform_, nnlib.zeros(5))
    assert "(5,)" in message
    assert_bad_input(TypeError, "init.zeros_", init.zeros_, np.zeros(3))
    assert_bad_input(TypeError, "init.xavier_normal_", init.xavier_normal_, [[1.0]])
