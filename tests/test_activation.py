"""Tests for nnlib.nn.functional.activation and the activation layers in nnlib.nn."""

from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn.functional as TF
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import nnlib
from nnlib import nn
from nnlib.autograd import gradcheck
from nnlib.nn import functional as F
from tests.helpers import assert_bad_input, assert_close, check_parity, to_torch

RNG = np.random.default_rng(0)


def _x(*shape: int, scale: float = 3.0) -> np.ndarray:
    """Random float64 values with some exact zeros (the kinks of the ReLU family)."""
    x = RNG.standard_normal(shape) * scale
    x.reshape(-1)[::7] = 0.0
    return x


# (name, nnlib function, torch function), all element-wise
ELEMENTWISE = [
    ("relu", F.relu, TF.relu),
    ("leaky_relu", F.leaky_relu, TF.leaky_relu),
    ("leaky_relu_0.2", lambda x: F.leaky_relu(x, 0.2), lambda x: TF.leaky_relu(x, 0.2)),
    ("sigmoid", F.sigmoid, torch.sigmoid),
    ("tanh", F.tanh, torch.tanh),
    ("softplus", F.softplus, TF.softplus),
    ("softplus_beta2_t5", lambda x: F.softplus(x, beta=2.0, threshold=5.0),
     lambda x: TF.softplus(x, beta=2.0, threshold=5.0)),
    ("softplus_beta0.5", lambda x: F.softplus(x, beta=0.5), lambda x: TF.softplus(x, beta=0.5)),
    ("gelu", F.gelu, TF.gelu),
    ("gelu_tanh", lambda x: F.gelu(x, approximate="tanh"),
     lambda x: TF.gelu(x, approximate="tanh")),
    ("silu", F.silu, TF.silu),
]  # fmt: skip

ALONG_DIM = [
    ("softmax", F.softmax, TF.softmax),
    ("log_softmax", F.log_softmax, TF.log_softmax),
]


# ------------------------------------------------------------------ PyTorch parity
@pytest.mark.parametrize(("name", "fn", "tfn"), ELEMENTWISE, ids=[e[0] for e in ELEMENTWISE])
@pytest.mark.parametrize("shape", [(7,), (4, 5), (2, 3, 4)])
def test_elementwise_parity(name, fn, tfn, shape):
    check_parity(fn, tfn, _x(*shape), rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize(("name", "fn", "tfn"), ELEMENTWISE, ids=[e[0] for e in ELEMENTWISE])
def test_elementwise_parity_extreme_inputs(name, fn, tfn):
    x = np.concatenate(
        [
            np.linspace(-1000, 1000, 401),
            [-1e3, -745.0, -40.0, -20.5, -8.5, 19.99, 20.0, 20.01, 40.0, 1e3],
        ]
    )
    out, (xt,) = check_parity(fn, tfn, x, rtol=1e-12, atol=1e-14)
    assert np.isfinite(out.data).all() and np.isfinite(xt.grad.data).all()


@pytest.mark.parametrize("x", [-1e300, -1e30, -38.0, -8.3, -2.9, -2.8, 2.8, 2.9, 1e30, 1e300])
def test_gelu_far_tails_match_torch(x):
    check_parity(F.gelu, TF.gelu, np.array([x]), rtol=1e-12, atol=1e-14)


def test_gelu_exact_is_accurate_to_double_precision():
    # Compare Phi(x) = 0.5 erfc(-x / sqrt 2) with torch's erfc: relative error, also in tails.
    x = np.linspace(-37, 37, 20001)
    phi = F.gelu(nnlib.tensor(x)).data / np.where(x == 0, 1, x)
    ref = 0.5 * torch.erfc(-torch.tensor(x) * 0.7071067811865476).numpy()
    ok = x != 0
    rel = np.abs(phi[ok] - ref[ok]) / ref[ok]
    # The only digits lost are those of 1 + erf(u) for u in (-2, -0.5): ~1e-13 at worst.
    assert rel.max() < 2e-13
    assert rel[(x[ok] < -2.9) | (x[ok] > -0.7)].max() < 5e-15


@pytest.mark.parametrize(("name", "fn", "tfn"), ALONG_DIM, ids=[e[0] for e in ALONG_DIM])
@pytest.mark.parametrize(("shape", "dim"), [((5,), 0), ((4, 6), 1), ((4, 6), 0), ((4, 6), -1),
                                            ((2, 3, 4), 1), ((2, 3, 4), -1)])  # fmt: skip
def test_softmax_parity(name, fn, tfn, shape, dim):
    check_parity(lambda x: fn(x, dim=dim), lambda x: tfn(x, dim=dim), _x(*shape),
                 rtol=1e-12, atol=1e-14)  # fmt: skip


@pytest.mark.parametrize(("name", "fn", "tfn"), ALONG_DIM, ids=[e[0] for e in ALONG_DIM])
def test_softmax_parity_extreme_logits(name, fn, tfn):
    x = np.array([[1000.0, -1000.0, 0.0, 999.0], [-1000.0, -1000.0, -999.0, -1000.0],
                  [1e3, 1e3, 1e3, 1e3], [0.0, 1e-300, -745.0, 745.0]])  # fmt: skip
    out, (xt,) = check_parity(lambda t: fn(t, dim=1), lambda t: tfn(t, dim=1), x,
                              rtol=1e-12, atol=1e-14)  # fmt: skip
    assert np.isfinite(out.data).all() and np.isfinite(xt.grad.data).all()


def test_softmax_sum_backward_matches_torch_and_is_zero():
    # Each softmax row sums to 1, so the gradient of the total is zero.
    _, (xt,) = check_parity(lambda t: F.softmax(t, dim=-1).sum(),
                            lambda t: TF.softmax(t, dim=-1).sum(), _x(3, 4))  # fmt: skip
    assert np.abs(xt.grad.data).max() < 1e-15


def test_float32_inputs_stay_float32():
    x = nnlib.randn(4, 3, requires_grad=True)
    fns = [f for _, f, _ in ELEMENTWISE] + [lambda t: F.softmax(t, 1),
                                           lambda t: F.log_softmax(t, 1)]  # fmt: skip
    for fn in fns:
        x.grad = None
        out = fn(x)
        assert out.dtype == np.float32
        out.sum().backward()
        assert x.grad.dtype == np.float32


@pytest.mark.parametrize("weight_size", [1, 3])
@pytest.mark.parametrize("shape", [(4, 3), (2, 3, 5), (2, 3, 2, 2)])
def test_prelu_parity(weight_size, shape):
    w = RNG.uniform(0.05, 0.5, weight_size)
    check_parity(F.prelu, TF.prelu, _x(*shape), w, rtol=1e-12, atol=1e-14)


def test_prelu_1d_input_with_one_slope():
    check_parity(F.prelu, TF.prelu, _x(6), np.array([0.25]))


@pytest.mark.parametrize(("shape", "pieces"), [((4, 6), 2), ((4, 6), 3), ((2, 3, 8), 4),
                                               ((5,), 5), ((3, 4), 1)])  # fmt: skip
def test_maxout_parity(shape, pieces):
    def torch_maxout(t):
        return t.reshape(*t.shape[:-1], t.shape[-1] // pieces, pieces).max(dim=-1).values

    check_parity(lambda t: F.maxout(t, pieces), torch_maxout, RNG.standard_normal(shape))


# ------------------------------------------------------- finite-difference checks
def _away_from_kinks(*shape: int) -> nnlib.Tensor:
    x = RNG.uniform(0.2, 2.0, shape) * RNG.choice([-1.0, 1.0], shape)
    return nnlib.tensor(x, requires_grad=True)


@pytest.mark.parametrize(("name", "fn", "tfn"), ELEMENTWISE, ids=[e[0] for e in ELEMENTWISE])
def test_elementwise_gradcheck(name, fn, tfn):
    assert gradcheck(fn, (_away_from_kinks(3, 4),))


@pytest.mark.parametrize("fn", [F.softmax, F.log_softmax])
@pytest.mark.parametrize("dim", [0, 1])
def test_softmax_gradcheck(fn, dim):
    assert gradcheck(lambda t: fn(t, dim=dim), (nnlib.randn(3, 4, dtype=nnlib.float64,
                                                            requires_grad=True),))  # fmt: skip


def test_prelu_and_maxout_gradcheck():
    w = nnlib.tensor([0.1, 0.3, 0.2], dtype=nnlib.float64, requires_grad=True)
    assert gradcheck(F.prelu, (_away_from_kinks(4, 3, 2), w))
    # distinct values, so that no group of the maxout has a tie
    x = nnlib.tensor(RNG.permutation(24).reshape(4, 6) * 0.1, dtype=nnlib.float64,
                     requires_grad=True)  # fmt: skip
    assert gradcheck(lambda t: F.maxout(t, 3), (x,))


def test_gelu_derivative_is_smooth_and_matches_finite_differences_widely():
    x = nnlib.tensor(np.linspace(-12, 12, 49), dtype=nnlib.float64, requires_grad=True)
    assert gradcheck(F.gelu, (x,))


# ------------------------------------------------------------------- properties
_logits = hnp.arrays(np.float64, hnp.array_shapes(min_dims=1, max_dims=3, max_side=6),
                     elements=st.floats(-1e3, 1e3))  # fmt: skip


@settings(max_examples=60, deadline=None)
@given(_logits, st.integers(0, 2))
def test_softmax_is_a_distribution(x, dim):
    dim = dim % x.ndim
    s = F.softmax(nnlib.tensor(x), dim=dim).data
    assert np.all((s >= 0) & (s <= 1))
    np.testing.assert_allclose(s.sum(axis=dim), 1.0, rtol=0, atol=1e-12)


@settings(max_examples=60, deadline=None)
@given(_logits, st.integers(0, 2))
def test_log_softmax_is_log_of_softmax(x, dim):
    dim = dim % x.ndim
    s = F.softmax(nnlib.tensor(x), dim=dim).data
    ls = F.log_softmax(nnlib.tensor(x), dim=dim).data
    assert np.all(ls <= 0) and np.isfinite(ls).all()
    np.testing.assert_allclose(np.exp(ls), s, rtol=1e-12, atol=1e-300)
    big = s > 1e-300
    np.testing.assert_allclose(ls[big], np.log(s[big]), rtol=1e-12, atol=1e-12)


@settings(max_examples=40, deadline=None)
@given(hnp.arrays(np.float64, hnp.array_shapes(max_dims=3, max_side=5),
                  elements=st.floats(-50, 50)))  # fmt: skip
def test_relu_equals_maxout_of_x_and_zero(x):
    stacked = np.stack([x, np.zeros_like(x)], axis=-1).reshape(*x.shape[:-1], -1)
    assert_close(F.maxout(nnlib.tensor(stacked), 2), F.relu(nnlib.tensor(x)), 0, 0)


@settings(max_examples=40, deadline=None)
@given(hnp.arrays(np.float64, hnp.array_shapes(max_dims=2, max_side=6),
                  elements=st.floats(-1e3, 1e3)))  # fmt: skip
def test_softplus_is_positive_above_relu_and_smooth(x):
    y = F.softplus(nnlib.tensor(x)).data
    assert np.all(y >= 0) and np.all(y >= x)
    assert np.all(y - np.maximum(x, 0) <= np.log(2) + 1e-15)


# -------------------------------------------------------------------- bad input
@pytest.mark.parametrize("fn", [F.softmax, F.log_softmax])
def test_softmax_requires_dim(fn):
    where = "F." + fn.__name__
    message = assert_bad_input(TypeError, where, fn, nnlib.randn(2, 3))
    assert "dim" in message


def test_softmax_dim_out_of_range():
    assert_bad_input(IndexError, "F.softmax", F.softmax, nnlib.randn(2, 3), dim=2)


def test_gelu_bad_approximate():
    assert_bad_input(ValueError, "F.gelu", F.gelu, nnlib.randn(3), approximate="fast")


def test_prelu_weight_of_wrong_size():
    message = assert_bad_input(ValueError, "F.prelu", F.prelu, nnlib.randn(4, 3),
                               nnlib.tensor([0.1, 0.2]))  # fmt: skip
    assert "(2,)" in message and "3" in message


@pytest.mark.parametrize("pieces", [0, 4, 2.0])
def test_maxout_bad_pieces(pieces):
    assert_bad_input(ValueError, "F.maxout", F.maxout, nnlib.randn(2, 6), pieces)


@pytest.mark.parametrize("fn", [F.relu, F.sigmoid, F.tanh, F.silu, F.gelu, F.softplus])
def test_non_tensor_input(fn):
    assert_bad_input(TypeError, "F." + fn.__name__, fn, [1.0, 2.0])


# ---------------------------------------------------------------------- modules
MODULES = [
    (nn.ReLU(), torch.nn.ReLU()),
    (nn.LeakyReLU(), torch.nn.LeakyReLU()),
    (nn.LeakyReLU(0.2), torch.nn.LeakyReLU(0.2)),
    (nn.Sigmoid(), torch.nn.Sigmoid()),
    (nn.Tanh(), torch.nn.Tanh()),
    (nn.Softplus(), torch.nn.Softplus()),
    (nn.Softplus(beta=2.0, threshold=10.0), torch.nn.Softplus(beta=2.0, threshold=10.0)),
    (nn.GELU(), torch.nn.GELU()),
    (nn.GELU("tanh"), torch.nn.GELU("tanh")),
    (nn.SiLU(), torch.nn.SiLU()),
    (nn.Softmax(dim=1), torch.nn.Softmax(dim=1)),
    (nn.LogSoftmax(dim=-1), torch.nn.LogSoftmax(dim=-1)),
    (nn.Softmax(dim=0), torch.nn.Softmax(dim=0)),
]


@pytest.mark.parametrize(("module", "tmodule"), MODULES, ids=[repr(m[0]) for m in MODULES])
def test_activation_modules_match_torch(module, tmodule):
    assert repr(module) == repr(tmodule)
    assert list(module.parameters()) == []
    check_parity(module, tmodule, _x(4, 5), rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("num_parameters", [1, 3])
def test_prelu_module_matches_torch(num_parameters):
    layer = nn.PReLU(num_parameters, init=0.3)
    tlayer = torch.nn.PReLU(num_parameters, init=0.3).double()
    assert repr(layer) == repr(tlayer)
    assert layer.weight.shape == (num_parameters,) and layer.weight.dtype == np.float32
    assert [n for n, _ in layer.named_parameters()] == ["weight"]
    layer.double()
    x = _x(2, 3, 4)
    out = layer(nnlib.tensor(x))
    tout = tlayer(torch.tensor(x))
    assert_close(out, tout)
    g = RNG.standard_normal(out.shape)
    out.backward(g)
    tout.backward(torch.tensor(g))
    assert_close(layer.weight.grad, tlayer.weight.grad)


def test_prelu_slope_is_learned():
    layer = nn.PReLU()
    layer(nnlib.tensor([-2.0, -1.0, 3.0])).sum().backward()
    np.testing.assert_allclose(layer.weight.grad, [-3.0])


def test_module_reprs():
    assert repr(nn.Maxout(4, 2, 3)) == "Maxout(in_features=4, out_features=2, pieces=3, bias=True)"
    assert repr(nn.PReLU()) == "PReLU(num_parameters=1)"


def test_bad_module_arguments():
    assert_bad_input(ValueError, "PReLU", nn.PReLU, 0)
    assert_bad_input(ValueError, "Maxout", nn.Maxout, 4, 2, 0)
    assert_bad_input(TypeError, "F.softmax", nn.Softmax(), nnlib.randn(2, 3))


def test_softmax_module_on_logits_of_1000():
    probs = nn.Softmax(dim=-1)(nnlib.tensor([[1000.0, 0.0], [-1000.0, -1000.0]]))
    assert_close(probs, [[1.0, 0.0], [0.5, 0.5]], rtol=0, atol=1e-300)


def test_tensor_to_torch_roundtrip():
    # the helper used across these tests
    x = nnlib.randn(2, 3, dtype=nnlib.float64)
    assert_close(x, to_torch(x), rtol=0, atol=0)


def test_prelu_keeps_the_input_shape_for_one_slope():
    w = nnlib.tensor([0.5], requires_grad=True)
    out = F.prelu(nnlib.tensor(-2.0), w)
    assert out.shape == () and out.item() == -1.0
    out.backward()
    np.testing.assert_allclose(w.grad, [-2.0])


@pytest.mark.parametrize("fn", [F.softmax, F.log_softmax])
def test_softmax_refuses_integer_logits(fn):
    assert_bad_input(TypeError, "F." + fn.__name__, fn, nnlib.tensor([1, 2]), dim=0)


def test_softmax_of_a_0d_tensor():
    for _, fn, tfn in ALONG_DIM:
        check_parity(lambda t, fn=fn: fn(t, dim=0), lambda t, tfn=tfn: tfn(t, dim=0),
                     np.array(1.5))  # fmt: skip
