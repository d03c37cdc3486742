"""Tests for the layers of nnlib.nn: Linear, Identity, Flatten, Sequential, ModuleList,
Dropout (and F.dropout), Maxout and PReLU."""

from __future__ import annotations

import math
from collections import OrderedDict

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

import nnlib
from nnlib import nn
from nnlib.autograd import gradcheck
from nnlib.nn import functional as F
from tests.helpers import assert_bad_input, assert_close, copy_params_to_torch

RNG = np.random.default_rng(1)


def _backward_both(out, tout, seed=0):
    g = np.random.default_rng(seed).standard_normal(out.shape)
    out.backward(g)
    tout.backward(torch.tensor(g))


# ------------------------------------------------------------------------ Linear
@pytest.mark.parametrize("bias", [True, False])
@pytest.mark.parametrize("batch", [(3,), (2, 4), (), (1,)])
def test_linear_matches_torch(bias, batch):
    layer = nn.Linear(5, 3, bias=bias).double()
    tlayer = copy_params_to_torch(layer, torch.nn.Linear(5, 3, bias=bias))
    x_np = RNG.standard_normal((*batch, 5))
    x = nnlib.tensor(x_np, requires_grad=True)
    tx = torch.tensor(x_np, requires_grad=True)
    out, tout = layer(x), tlayer(tx)
    assert out.shape == tuple(tout.shape)
    assert_close(out, tout)
    _backward_both(out, tout)
    assert_close(x.grad, tx.grad)
    assert_close(layer.weight.grad, tlayer.weight.grad)
    if bias:
        assert_close(layer.bias.grad, tlayer.bias.grad)
    else:
        assert layer.bias is None


def test_linear_parameters_shapes_names_and_repr():
    layer = nn.Linear(5, 3)
    assert layer.weight.shape == (3, 5) and layer.bias.shape == (3,)
    assert layer.weight.dtype == np.float32 and layer.bias.dtype == np.float32
    assert [n for n, _ in layer.named_parameters()] == ["weight", "bias"]
    assert repr(layer) == repr(torch.nn.Linear(5, 3))
    assert repr(nn.Linear(5, 3, bias=False)) == repr(torch.nn.Linear(5, 3, bias=False))
    assert list(nn.Linear(5, 3, bias=False).state_dict()) == ["weight"]
    assert nn.Linear(2, 2, dtype=nnlib.float64).weight.dtype == np.float64


def test_linear_default_init_is_pytorchs():
    # kaiming_uniform_(a=sqrt(5)) gives U(-1/sqrt(in), 1/sqrt(in)) for weight and bias
    nnlib.manual_seed(0)
    layer = nn.Linear(400, 300)
    bound = 1 / math.sqrt(400)
    for p in (layer.weight, layer.bias):
        assert np.abs(p.data).max() <= bound
        assert np.abs(p.data).max() > 0.95 * bound
    assert abs(layer.weight.data.std() - bound / math.sqrt(3)) < 0.01 * bound
    assert abs(layer.weight.data.mean()) < 0.01 * bound
    tlayer = torch.nn.Linear(400, 300)
    assert abs(tlayer.weight.detach().numpy().std() - layer.weight.data.std()) < 0.01 * bound


def test_linear_init_is_seeded():
    nnlib.manual_seed(3)
    a = nn.Linear(4, 2)
    nnlib.manual_seed(3)
    b = nn.Linear(4, 2)
    np.testing.assert_array_equal(a.weight.data, b.weight.data)
    np.testing.assert_array_equal(a.bias.data, b.bias.data)


def test_linear_gradcheck():
    layer = nn.Linear(3, 2).double()
    x = nnlib.randn(4, 3, dtype=nnlib.float64, requires_grad=True)
    assert gradcheck(lambda x, w, b: F.linear(x, w, b), (x, layer.weight, layer.bias))
    assert gradcheck(lambda x: layer(x).tanh(), (x,))


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(1, 4), max_size=3), st.integers(1, 6), st.integers(1, 6))
def test_linear_output_shape(batch, n_in, n_out):
    layer = nn.Linear(n_in, n_out)
    out = layer(nnlib.zeros(*batch, n_in))
    assert out.shape == (*batch, n_out)
    assert out.dtype == np.float32


def test_linear_bad_input_message():
    message = assert_bad_input(ValueError, "Linear.forward", nn.Linear(5, 3), nnlib.zeros(2, 4))
    first, hint = message.split("\n")
    assert first == (
        "Linear.forward: expected input with 5 features in its last dimension, got shape (2, 4)."
    )
    assert "Linear(in_features=5" in hint and "(N, 5)" in hint


def test_linear_refuses_mixed_dtypes_like_torch():
    message = assert_bad_input(TypeError, "Linear.forward", nn.Linear(2, 1),
                               nnlib.zeros(3, 2, dtype=nnlib.float64))  # fmt: skip
    assert "float32" in message and "float64" in message and ".double()" in message


@pytest.mark.parametrize("bad", [-1, 2.5, "3", True])
def test_linear_bad_sizes(bad):
    assert_bad_input(ValueError, "Linear", nn.Linear, bad, 3)
    assert_bad_input(ValueError, "Linear", nn.Linear, 3, bad)


# ---------------------------------------------------------------- Identity, Flatten
def test_identity():
    x = nnlib.randn(2, 3)
    assert nn.Identity(54, unused="ignored")(x) is x
    assert repr(nn.Identity()) == repr(torch.nn.Identity())


@pytest.mark.parametrize(("start", "end"), [(1, -1), (0, -1), (1, 2), (0, 1), (2, 3), (-2, -1)])
def test_flatten_matches_torch(start, end):
    x = RNG.standard_normal((2, 3, 4, 5))
    layer, tlayer = nn.Flatten(start, end), torch.nn.Flatten(start, end)
    assert repr(layer) == repr(tlayer)
    xt = nnlib.tensor(x, requires_grad=True)
    tx = torch.tensor(x, requires_grad=True)
    out, tout = layer(xt), tlayer(tx)
    assert out.shape == tuple(tout.shape)
    assert_close(out, tout, 0, 0)
    _backward_both(out, tout)
    assert_close(xt.grad, tx.grad, 0, 0)


def test_flatten_bad_input():
    assert_bad_input(IndexError, "Flatten.forward", nn.Flatten(), nnlib.zeros(5))


# -------------------------------------------------------------------- Sequential
def _mlp() -> nn.Sequential:
    return nn.Sequential(nn.Linear(2, 8), nn.Tanh(), nn.Linear(8, 8), nn.ReLU(), nn.Linear(8, 3))


def _torch_mlp() -> torch.nn.Sequential:
    return torch.nn.Sequential(torch.nn.Linear(2, 8), torch.nn.Tanh(), torch.nn.Linear(8, 8),
                               torch.nn.ReLU(), torch.nn.Linear(8, 3))  # fmt: skip


def test_sequential_matches_torch():
    net = _mlp().double()
    tnet = copy_params_to_torch(net, _torch_mlp())
    assert repr(net) == repr(tnet)
    assert [n for n, _ in net.named_parameters()] == [n for n, _ in tnet.named_parameters()]
    x = RNG.standard_normal((6, 2))
    out, tout = net(nnlib.tensor(x)), tnet(torch.tensor(x))
    assert_close(out, tout)
    _backward_both(out, tout)
    for p, tp in zip(net.parameters(), tnet.parameters(), strict=True):
        assert_close(p.grad, tp.grad)


def test_sequential_indexing_len_iteration_append():
    net = _mlp()
    layers = list(net)
    assert len(net) == 5 and len(layers) == 5
    assert net[0] is layers[0] and net[-1] is layers[4] and net[-5] is layers[0]
    head = net[:2]
    assert isinstance(head, nn.Sequential) and len(head) == 2
    assert head[0] is net[0] and head[1] is net[1]  # the same layer objects, shared
    assert [type(m).__name__ for m in net[1::2]] == ["Tanh", "ReLU"]
    assert net(nnlib.zeros(4, 2)).shape == (4, 3)
    assert net.append(nn.Softmax(dim=-1)) is net
    assert len(net) == 6 and isinstance(net[5], nn.Softmax)
    np.testing.assert_allclose(net(nnlib.randn(4, 2)).data.sum(axis=1), 1.0, rtol=1e-6)
    assert [n for n, _ in net.named_parameters()][-1] == "4.bias"


def test_sequential_setitem_delitem_renumbers():
    net = _mlp()
    net[1] = nn.Sigmoid()
    assert isinstance(net[1], nn.Sigmoid)
    del net[0]
    assert list(net._modules) == ["0", "1", "2", "3"]
    net.append(nn.Identity())
    assert list(net._modules) == ["0", "1", "2", "3", "4"]


def test_sequential_from_ordered_dict():
    net = nn.Sequential(OrderedDict([("hidden", nn.Linear(2, 4)), ("act", nn.ReLU()),
                                     ("out", nn.Linear(4, 1))]))  # fmt: skip
    assert [n for n, _ in net.named_parameters()] == [
        "hidden.weight", "hidden.bias", "out.weight", "out.bias",
    ]  # fmt: skip
    assert net.hidden is net[0] and net.out is net[-1]
    assert net(nnlib.zeros(3, 2)).shape == (3, 1)
    assert len(list(net.parameters())) == 4


def test_sequential_train_eval_reaches_children():
    net = nn.Sequential(nn.Linear(2, 2), nn.Dropout(0.5))
    net.eval()
    assert not net[1].training
    net.train()
    assert net[1].training


def test_empty_sequential_is_identity():
    x = nnlib.randn(2)
    assert nn.Sequential()(x) is x


def test_sequential_bad_input():
    message = assert_bad_input(TypeError, "Sequential", nn.Sequential, nn.Linear(2, 2), nn.ReLU)
    assert "position 1" in message and "nn.ReLU()" in message
    assert_bad_input(TypeError, "Sequential", nn.Sequential, nn.Linear(2, 2), F.relu)
    net = _mlp()
    assert_bad_input(IndexError, "Sequential[]", lambda: net[5])
    assert_bad_input(IndexError, "Sequential[]", lambda: net[-6])
    assert_bad_input(TypeError, "Sequential[]", lambda: net["0"])
    assert_bad_input(TypeError, "Sequential.append", net.append, "relu")


# -------------------------------------------------------------------- ModuleList
def test_module_list():
    blocks = nn.ModuleList([nn.Linear(4, 4) for _ in range(3)])
    assert len(blocks) == 3 and len(list(blocks.parameters())) == 6
    blocks.append(nn.Linear(4, 2))
    blocks.extend([nn.ReLU()])
    assert len(blocks) == 5 and isinstance(blocks[-1], nn.ReLU)
    assert isinstance(blocks[1:3], nn.ModuleList) and blocks[1:3][0] is blocks[1]
    assert [n for n, _ in blocks.named_parameters()][-1] == "3.bias"
    x = nnlib.randn(2, 4)
    for block in blocks:
        x = block(x)
    assert x.shape == (2, 2)
    assert_bad_input(TypeError, "ModuleList.forward", blocks, x)
    assert_bad_input(TypeError, "ModuleList.append", blocks.append, 3)

    class Residual(nn.Module):
        def __init__(self):
            super().__init__()
            self.layers = nn.ModuleList([nn.Linear(3, 3), nn.Linear(3, 3)])

        def forward(self, x):
            for layer in self.layers:
                x = x + layer(x).relu()
            return x

    assert [n for n, _ in Residual().named_parameters()] == [
        "layers.0.weight", "layers.0.bias", "layers.1.weight", "layers.1.bias",
    ]  # fmt: skip


# ----------------------------------------------------------------------- Dropout
def test_dropout_is_identity_when_not_training_or_p_zero():
    x = nnlib.randn(10, requires_grad=True)
    assert F.dropout(x, 0.5, training=False) is x
    assert F.dropout(x, 0.0) is x
    layer = nn.Dropout(0.3)
    layer.eval()
    assert layer(x) is x


def test_dropout_scales_kept_units_and_masks_the_gradient():
    nnlib.manual_seed(0)
    x = nnlib.tensor(RNG.uniform(1, 2, (50, 40)), requires_grad=True)
    out = F.dropout(x, p=0.25)
    kept = out.data != 0
    np.testing.assert_allclose(out.data[kept], x.data[kept] / 0.75, rtol=1e-15)
    out.backward(np.ones(out.shape))
    np.testing.assert_allclose(x.grad, kept / 0.75, rtol=1e-15)
    assert abs(kept.mean() - 0.75) < 0.05


def test_dropout_p_one_drops_everything():
    x = nnlib.randn(4, 3, requires_grad=True)
    out = F.dropout(x, p=1.0)
    assert np.all(out.data == 0)
    out.sum().backward()
    assert np.all(x.grad.data == 0)


def test_dropout_is_seeded_and_keeps_dtype():
    nnlib.manual_seed(7)
    a = F.dropout(nnlib.ones(100), 0.5)
    nnlib.manual_seed(7)
    b = F.dropout(nnlib.ones(100), 0.5)
    np.testing.assert_array_equal(a.data, b.data)
    assert a.dtype == np.float32
    assert F.dropout(nnlib.ones(3, dtype=nnlib.float64), 0.5).dtype == np.float64


@settings(max_examples=25, deadline=None)
@given(st.floats(0.0, 0.9), st.integers(0, 2**16))
def test_dropout_keeps_the_mean(p, seed):
    # E[dropout(x)] = x; the mean of n ones has standard deviation sqrt(p / ((1 - p) n)).
    nnlib.manual_seed(seed)
    n = 20_000
    out = F.dropout(nnlib.ones(n, dtype=nnlib.float64), p)
    assert abs(out.data.mean() - 1) < 6 * math.sqrt(p / ((1 - p) * n)) + 1e-12
    assert abs((out.data == 0).mean() - p) < 6 * math.sqrt(p * (1 - p) / n) + 1e-12


def test_dropout_module_reads_training_flag():
    layer = nn.Dropout(0.5)
    assert repr(layer) == repr(torch.nn.Dropout(0.5))
    nnlib.manual_seed(0)
    assert np.any(layer(nnlib.ones(64)).data == 0)
    layer.eval()
    assert np.all(layer(nnlib.ones(64)).data == 1)


@pytest.mark.parametrize("p", [1.5, -0.1, float("nan"), "0.5", None])
def test_dropout_bad_p(p):
    # PyTorch's wording, so no "expected": check the name and what it got by hand.
    message = assert_bad_input(ValueError, None, F.dropout, nnlib.ones(3), p)
    assert message.startswith("F.dropout:"), message
    assert "got" in message, message
    assert f"dropout probability has to be between 0 and 1, but got {p!r}" in message
    message = assert_bad_input(ValueError, None, nn.Dropout, p)
    assert message.startswith("Dropout:"), message
    assert "got" in message, message


def test_dropout_message_is_pytorchs():
    with pytest.raises(ValueError) as ours:
        F.dropout(nnlib.ones(3), 1.5)
    with pytest.raises(ValueError) as theirs:
        torch.nn.functional.dropout(torch.ones(3), 1.5)
    assert str(theirs.value) in str(ours.value)


def test_dropout_non_tensor():
    assert_bad_input(TypeError, "F.dropout", F.dropout, [1.0, 2.0])


# ------------------------------------------------------------------------ Maxout
def test_maxout_matches_linear_then_group_max_in_torch():
    layer = nn.Maxout(4, 3, pieces=2).double()
    tlin = torch.nn.Linear(4, 6).double()
    tlin.load_state_dict({k: torch.tensor(v) for k, v in layer.state_dict().items()})
    x_np = RNG.standard_normal((5, 4))
    x = nnlib.tensor(x_np, requires_grad=True)
    tx = torch.tensor(x_np, requires_grad=True)
    out = layer(x)
    tout = tlin(tx).reshape(5, 3, 2).max(dim=-1).values
    assert out.shape == (5, 3)
    assert_close(out, tout)
    _backward_both(out, tout)
    assert_close(x.grad, tx.grad)
    assert_close(layer.weight.grad, tlin.weight.grad)
    assert_close(layer.bias.grad, tlin.bias.grad)


def test_maxout_shapes_init_and_gradcheck():
    layer = nn.Maxout(3, 2, pieces=4, bias=False)
    assert layer.weight.shape == (8, 3) and layer.bias is None
    assert np.abs(layer.weight.data).max() <= 1 / math.sqrt(3)
    assert layer(nnlib.zeros(7, 3)).shape == (7, 2)
    assert layer(nnlib.zeros(2, 5, 3)).shape == (2, 5, 2)
    layer.double()
    x = nnlib.randn(4, 3, dtype=nnlib.float64, requires_grad=True)
    assert gradcheck(lambda t: layer(t), (x,))


def test_maxout_with_a_zero_piece_is_relu():
    # ReLU(w.x + b) = max(w.x + b, 0): two pieces, the second one fixed at zero.
    layer = nn.Maxout(3, 2, pieces=2).double()
    layer.weight.data[1::2] = 0
    layer.bias.data[1::2] = 0
    lin = nn.Linear(3, 2).double()
    lin.weight.data[...] = layer.weight.data[0::2]
    lin.bias.data[...] = layer.bias.data[0::2]
    x = nnlib.randn(10, 3, dtype=nnlib.float64)
    assert_close(layer(x), F.relu(lin(x)), 0, 0)


def test_maxout_bad_input():
    assert_bad_input(ValueError, "Maxout.forward", nn.Maxout(4, 2, 3), nnlib.zeros(2, 3))
    assert_bad_input(ValueError, "Maxout", nn.Maxout, 0, 2, 3)


# ------------------------------------------------------------------------- PReLU
def test_prelu_module_default_and_training_step():
    layer = nn.PReLU()
    np.testing.assert_array_equal(layer.weight.data, [0.25])
    out = layer(nnlib.tensor([[-4.0, 2.0], [-2.0, 1.0]]))
    assert_close(out, [[-1.0, 2.0], [-0.5, 1.0]], 0, 0)
    out.sum().backward()
    np.testing.assert_allclose(layer.weight.grad, [-6.0])


def test_prelu_per_channel_bad_input():
    assert_bad_input(ValueError, "F.prelu", nn.PReLU(3), nnlib.zeros(2, 4))


def test_append_after_slicing_never_overwrites():
    net = nn.Sequential(nn.Linear(2, 2), nn.ReLU(), nn.Linear(2, 2))[1:]
    assert list(net._modules) == ["1", "2"]
    net.append(nn.Tanh())
    assert len(net) == 3 and isinstance(net[-1], nn.Tanh)
    assert list(net._modules) == ["1", "2", "3"]


def test_flatten_start_after_end():
    assert_bad_input(ValueError, "Flatten.forward", nn.Flatten(2, 1), nnlib.zeros(2, 3, 4))


def test_dropout_gradcheck_with_a_fixed_mask():
    def fn(t):
        nnlib.manual_seed(0)  # the same mask on every call
        return F.dropout(t, p=0.4)

    assert gradcheck(fn, (nnlib.randn(4, 5, dtype=nnlib.float64, requires_grad=True),))
