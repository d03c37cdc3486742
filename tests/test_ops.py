"""Tests for nnlib.ops: every differentiable operation against PyTorch, values and gradients.

Each test builds the same float64 leaves in nnlib and torch, runs the operation in both,
backpropagates the same random upstream gradient and compares the results
(:func:`helpers.check_parity`).
"""

from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn.functional as torch_F
from helpers import assert_bad_input, assert_close, check_parity, rand_array
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import mutually_broadcastable_shapes

import nnlib
from nnlib.ops import linear

RNG_SEED = 1234


@pytest.fixture
def rng() -> np.random.Generator:
    return np.random.default_rng(RNG_SEED)


# --------------------------------------------------------------------- binary operators
# (name, nnlib, torch, (low, high) for the first input, (low, high) for the second)
BINARY = [
    ("add", lambda a, b: a + b, lambda a, b: a + b, None, None),
    ("sub", lambda a, b: a - b, lambda a, b: a - b, None, None),
    ("mul", lambda a, b: a * b, lambda a, b: a * b, None, None),
    ("div", lambda a, b: a / b, lambda a, b: a / b, None, (0.5, 2.0)),
    ("pow", lambda a, b: a**b, lambda a, b: a**b, (0.5, 2.0), None),
    ("maximum", nnlib.maximum, torch.maximum, None, None),
    ("add_method", lambda a, b: a.add(b), lambda a, b: a.add(b), None, None),
    ("sub_method", lambda a, b: a.sub(b), lambda a, b: a.sub(b), None, None),
    ("mul_method", lambda a, b: a.mul(b), lambda a, b: a.mul(b), None, None),
    ("div_method", lambda a, b: a.div(b), lambda a, b: a.div(b), None, (0.5, 2.0)),
    ("pow_method", lambda a, b: a.pow(b), lambda a, b: a.pow(b), (0.5, 2.0), None),
]
BINARY_IDS = [b[0] for b in BINARY]

SHAPE_PAIRS = [
    ((3, 4), (3, 4)),
    ((3, 4), (4,)),
    ((4,), (3, 4)),
    ((3, 1), (1, 4)),
    ((2, 3, 4), (3, 1)),
    ((1, 3, 1), (2, 1, 4)),
    ((), (2, 3)),
    ((2, 3), ()),
    ((5,), (1,)),
    ((2, 1, 3), (2, 4, 3)),
]


def _binary_inputs(rng, sa, sb, dom_a, dom_b):
    a = rand_array(rng, sa, *(dom_a or (None, None)))
    b = rand_array(rng, sb, *(dom_b or (None, None)))
    return a, b


@pytest.mark.parametrize("shapes", SHAPE_PAIRS, ids=str)
@pytest.mark.parametrize(("name", "nn_op", "torch_op", "dom_a", "dom_b"), BINARY, ids=BINARY_IDS)
def test_binary_parity_with_broadcasting(rng, shapes, name, nn_op, torch_op, dom_a, dom_b):
    a, b = _binary_inputs(rng, *shapes, dom_a, dom_b)
    check_parity(nn_op, torch_op, a, b)


@pytest.mark.parametrize(("name", "nn_op", "torch_op", "dom_a", "dom_b"), BINARY, ids=BINARY_IDS)
@pytest.mark.parametrize("which", [(True, False), (False, True)], ids=["a_only", "b_only"])
def test_binary_gradient_to_one_side_only(rng, name, nn_op, torch_op, dom_a, dom_b, which):
    a, b = _binary_inputs(rng, (3, 4), (4,), dom_a, dom_b)
    check_parity(nn_op, torch_op, a, b, requires_grad=which)


@settings(max_examples=25, deadline=None)
@given(
    shapes=mutually_broadcastable_shapes(num_shapes=2, min_dims=0, max_dims=4, max_side=3),
    op=st.sampled_from(BINARY),
    seed=st.integers(0, 2**16),
)
def test_binary_broadcasting_property(shapes, op, seed):
    """Any broadcast-compatible pair: values and reduced gradients agree with torch."""
    _, nn_op, torch_op, dom_a, dom_b = op
    a, b = _binary_inputs(np.random.default_rng(seed), *shapes.input_shapes, dom_a, dom_b)
    out, (_x, _y) = check_parity(nn_op, torch_op, a, b, seed=seed)
    assert out.shape == shapes.result_shape


def test_matmul_operator_and_method(rng):
    a, b = rng.standard_normal((3, 4)), rng.standard_normal((4, 2))
    check_parity(lambda x, y: x @ y, lambda x, y: x @ y, a, b)
    check_parity(lambda x, y: x.matmul(y), lambda x, y: x.matmul(y), a, b)
    check_parity(nnlib.matmul, torch.matmul, a, b)


MATMUL_SHAPES = [
    ((4,), (4,)),
    ((4,), (4, 3)),
    ((3, 4), (4,)),
    ((3, 4), (4, 5)),
    ((2, 3, 4), (4, 5)),
    ((3, 4), (2, 4, 5)),
    ((2, 3, 4), (2, 4, 5)),
    ((2, 1, 3, 4), (5, 4, 2)),
    ((2, 3, 4), (4,)),
    ((4,), (2, 4, 5)),
    ((1, 3, 4), (2, 4, 5)),
]


@pytest.mark.parametrize(("sa", "sb"), MATMUL_SHAPES, ids=str)
def test_matmul_parity_all_shapes(rng, sa, sb):
    a, b = rng.standard_normal(sa), rng.standard_normal(sb)
    check_parity(lambda x, y: x @ y, lambda x, y: x @ y, a, b)


@pytest.mark.parametrize("which", [(True, False), (False, True)], ids=["a_only", "b_only"])
@pytest.mark.parametrize(("sa", "sb"), [((4,), (4,)), ((2, 3, 4), (4, 5)), ((3, 4), (4, 2))])
def test_matmul_gradient_to_one_side_only(rng, sa, sb, which):
    a, b = rng.standard_normal(sa), rng.standard_normal(sb)
    check_parity(lambda x, y: x @ y, lambda x, y: x @ y, a, b, requires_grad=which)


def test_matmul_with_ndarray_on_either_side(rng):
    a, m = rng.standard_normal((3, 4)), rng.standard_normal((4, 2))
    check_parity(lambda x: x @ m, lambda x: x @ torch.tensor(m), a)
    check_parity(lambda x: m.T @ x.T, lambda x: torch.tensor(m.T) @ x.T, a)


@pytest.mark.parametrize(
    ("sa", "sb"), [((3, 4), (5, 2)), ((4,), (3,)), ((2, 3, 4), (5, 3, 2)), ((2, 3, 4), (3, 4, 5))]
)
def test_matmul_bad_shapes_name_both_shapes(sa, sb):
    a, b = nnlib.zeros(*sa), nnlib.zeros(*sb)
    message = assert_bad_input(ValueError, "matmul", lambda: a @ b)
    assert message.startswith("matmul:"), message
    assert str(sa) in message and str(sb) in message, message


def test_matmul_refuses_scalars():
    message = assert_bad_input(
        ValueError, "matmul", nnlib.matmul, nnlib.tensor(2.0), nnlib.ones(3)
    )
    assert "()" in message and "(3,)" in message


@pytest.mark.parametrize("bias", [True, False])
@pytest.mark.parametrize("x_shape", [(5, 4), (4,), (2, 5, 4)], ids=str)
def test_linear_parity(rng, x_shape, bias):
    x, w, b = rng.standard_normal(x_shape), rng.standard_normal((3, 4)), rng.standard_normal(3)
    if bias:
        check_parity(linear, torch_F.linear, x, w, b)
    else:
        check_parity(linear, torch_F.linear, x, w)


def test_linear_input_without_grad(rng):
    x, w, b = rng.standard_normal((5, 4)), rng.standard_normal((3, 4)), rng.standard_normal(3)
    check_parity(linear, torch_F.linear, x, w, b, requires_grad=(False, True, True))


# ------------------------------------------------------------------- scalar operands
SCALAR_OPS = [
    ("add", lambda t: t + 2.5),
    ("radd", lambda t: 2.5 + t),
    ("add_int", lambda t: t + 3),
    ("sub", lambda t: t - 2.5),
    ("rsub", lambda t: 2.5 - t),
    ("mul", lambda t: t * -1.5),
    ("rmul", lambda t: -1.5 * t),
    ("div", lambda t: t / 4.0),
    ("rdiv", lambda t: 3.0 / t),
    ("rdiv_int", lambda t: 3 / t),
    ("pow2", lambda t: t**2),
    ("pow3", lambda t: t**3),
    ("pow_half", lambda t: t**0.5),
    ("pow_neg", lambda t: t**-1.5),
    ("pow1", lambda t: t**1),
    ("rpow", lambda t: 2.0**t),
    ("rpow_int", lambda t: 3**t),
    ("neg", lambda t: -t),
    ("neg_method", lambda t: t.neg()),
    ("numpy_scalar", lambda t: t * np.float64(2.0) + np.float64(1.0)),
    ("chain", lambda t: (2 * t + 1) / (t**2 + 1) - 3.0 / t),
]


@pytest.mark.parametrize(("name", "fn"), SCALAR_OPS, ids=[s[0] for s in SCALAR_OPS])
def test_scalar_operand_parity(rng, name, fn):
    x = rng.uniform(0.5, 2.0, size=(3, 4))
    check_parity(fn, fn, x)


def test_pow_zero_exponent_has_zero_gradient_at_zero():
    # torch: d(x**0)/dx is 0 everywhere, even at x = 0 (no 0 * inf = nan).
    x = np.array([0.0, 1.0, -2.0])
    check_parity(lambda t: t**0, lambda t: t**0, x)
    check_parity(lambda t, e: t**e, lambda t, e: t**e, x, np.zeros(3))


def test_pow_tensor_exponent_at_zero_base_matches_torch():
    # d(0**y)/dy: torch masks the 0 * log(0) = nan to 0 for y >= 0.
    check_parity(lambda a, b: a**b, lambda a, b: a**b, [0.0, 0.0, 2.0], [2.0, 3.0, 1.5])


def test_ndarray_on_the_left_is_handed_to_the_tensor(rng):
    m = rng.standard_normal((3, 4))
    x = rng.uniform(0.5, 2.0, size=(3, 4))
    tm = torch.tensor(m)
    check_parity(lambda t: m + t, lambda t: tm + t, x)
    check_parity(lambda t: m - t, lambda t: tm - t, x)
    check_parity(lambda t: m * t, lambda t: tm * t, x)
    check_parity(lambda t: m / t, lambda t: tm / t, x)
    assert isinstance(m + nnlib.tensor(x), nnlib.Tensor)


def test_float32_stays_float32_with_python_scalars():
    x = nnlib.tensor([1.0, 2.0], requires_grad=True)
    for y in (x + 1, 1 + x, x - 1.5, 2 - x, x * 2, 2.0 * x, x / 2, 2 / x, x**2, 2**x, -x):
        assert y.dtype == np.float32, y
    assert nnlib.where(x > 1, x, 0.0).dtype == np.float32
    assert nnlib.maximum(x, 0.0).dtype == np.float32
    assert nnlib.maximum(0.0, x).dtype == np.float32
    assert x.clip(0.0, 1.0).dtype == np.float32


# -------------------------------------------------------------------- unary functions
UNARY = [
    ("exp", nnlib.exp, torch.exp, None),
    ("log", nnlib.log, torch.log, (0.1, 3.0)),
    ("sqrt", nnlib.sqrt, torch.sqrt, (0.1, 3.0)),
    ("abs", nnlib.abs, torch.abs, None),
    ("tanh", nnlib.tanh, torch.tanh, None),
    ("sigmoid", nnlib.sigmoid, torch.sigmoid, None),
    ("relu", nnlib.relu, torch.relu, None),
    ("exp_method", lambda t: t.exp(), lambda t: t.exp(), None),
    ("log_method", lambda t: t.log(), lambda t: t.log(), (0.1, 3.0)),
    ("sqrt_method", lambda t: t.sqrt(), lambda t: t.sqrt(), (0.1, 3.0)),
    ("abs_method", lambda t: t.abs(), lambda t: t.abs(), None),
    ("tanh_method", lambda t: t.tanh(), lambda t: t.tanh(), None),
    ("sigmoid_method", lambda t: t.sigmoid(), lambda t: t.sigmoid(), None),
    ("relu_method", lambda t: t.relu(), lambda t: t.relu(), None),
    ("clip_both", lambda t: t.clip(-0.5, 0.7), lambda t: t.clip(-0.5, 0.7), None),
    ("clip_min", lambda t: t.clip(min=-0.2), lambda t: t.clip(min=-0.2), None),
    ("clip_max", lambda t: t.clip(max=0.3), lambda t: t.clip(max=0.3), None),
    ("clamp", lambda t: t.clamp(-0.5, 0.5), lambda t: t.clamp(-0.5, 0.5), None),
    ("nnlib_clip", lambda t: nnlib.clip(t, -1, 1), lambda t: torch.clip(t, -1, 1), None),
    ("nnlib_clamp", lambda t: nnlib.clamp(t, max=0.1), lambda t: torch.clamp(t, max=0.1), None),
    ("clone", lambda t: t.clone() * 1.0, lambda t: t.clone() * 1.0, None),
    ("double", lambda t: t.double(), lambda t: t.double(), None),
]


@pytest.mark.parametrize("shape", [(), (5,), (3, 4), (2, 3, 4)], ids=str)
@pytest.mark.parametrize(("name", "nn_fn", "torch_fn", "dom"), UNARY, ids=[u[0] for u in UNARY])
def test_unary_parity(rng, name, nn_fn, torch_fn, dom, shape):
    x = rand_array(rng, shape, *(dom or (None, None)))
    check_parity(nn_fn, torch_fn, x)


@pytest.mark.parametrize(
    ("name", "nn_fn", "torch_fn"),
    [
        ("relu", nnlib.relu, torch.relu),
        ("abs", nnlib.abs, torch.abs),
        ("clip", lambda t: t.clip(-1.0, 1.0), lambda t: t.clip(-1.0, 1.0)),
        ("clip_min", lambda t: t.clip(min=0.0), lambda t: t.clip(min=0.0)),
        ("maximum", lambda t: nnlib.maximum(t, 0.0), lambda t: torch.maximum(t, t.new_zeros(()))),
    ],
)
def test_kinks_take_pytorch_choice(name, nn_fn, torch_fn):
    """At the kink (0 for relu/abs, exactly on a clip bound) the gradient matches torch."""
    x = np.array([-1.0, 0.0, 1.0, -2.0, 2.0, 0.5])
    check_parity(nn_fn, torch_fn, x)


def test_maximum_ties_share_gradient_like_torch():
    a = np.array([1.0, 2.0, 3.0, -1.0])
    b = np.array([1.0, 3.0, 3.0, -2.0])
    check_parity(nnlib.maximum, torch.maximum, a, b)


def test_sigmoid_is_finite_at_extremes():
    x = nnlib.tensor([-800.0, -50.0, 0.0, 50.0, 800.0], dtype=nnlib.float64, requires_grad=True)
    y = nnlib.sigmoid(x)
    assert np.all(np.isfinite(y.data))
    assert y.data[0] == 0.0 and y.data[-1] == 1.0 and y.data[2] == 0.5
    y.sum().backward()
    assert np.all(np.isfinite(x.grad.data))
    check_parity(nnlib.sigmoid, torch.sigmoid, [-800.0, -30.0, 0.0, 30.0, 800.0])
    x32 = nnlib.tensor([-800.0, 800.0])
    with np.errstate(over="raise", divide="raise", invalid="raise"):
        assert np.all(np.isfinite(nnlib.sigmoid(x32).data))


def test_clip_needs_a_bound():
    message = assert_bad_input(ValueError, "clip", nnlib.tensor([1.0]).clip)
    assert message.startswith("clip:")
    assert_bad_input(ValueError, "clip", nnlib.clamp, nnlib.tensor([1.0]))


# ---------------------------------------------------------------------------- where
def test_where_parity(rng):
    a, b = rng.standard_normal((3, 4)), rng.standard_normal((3, 4))
    cond = rng.standard_normal((3, 4)) > 0
    check_parity(
        lambda x, y: nnlib.where(nnlib.tensor(cond), x, y),
        lambda x, y: torch.where(torch.tensor(cond), x, y),
        a,
        b,
    )


def test_where_broadcasts_and_takes_scalars(rng):
    a, b = rng.standard_normal((3, 1)), rng.standard_normal((4,))
    cond = rng.standard_normal((3, 4)) > 0
    tc = torch.tensor(cond)
    check_parity(lambda x, y: nnlib.where(cond, x, y), lambda x, y: torch.where(tc, x, y), a, b)
    check_parity(lambda x: nnlib.where(x > 0, x, 0.0), lambda x: torch.where(x > 0, x, 0.0), a)
    check_parity(lambda x: nnlib.where(x > 0, 1.0, x), lambda x: torch.where(x > 0, 1.0, x), a)


# ------------------------------------------------------------------------ reductions
DIMS = [0, 1, -1, (0, 2), (-1, 0), (0, 1, 2)]


@pytest.mark.parametrize("keepdim", [False, True])
@pytest.mark.parametrize("dim", DIMS, ids=str)
@pytest.mark.parametrize("name", ["sum", "mean", "var", "std", "logsumexp"])
def test_reduction_parity(rng, name, dim, keepdim):
    x = rng.standard_normal((2, 3, 4))
    check_parity(
        lambda t: getattr(t, name)(dim, keepdim=keepdim),
        lambda t: getattr(t, name)(dim, keepdim=keepdim),
        x,
    )


@pytest.mark.parametrize("name", ["sum", "mean", "var", "std"])
def test_full_reduction_parity(rng, name):
    x = rng.standard_normal((2, 3, 4))
    check_parity(lambda t: getattr(t, name)(), lambda t: getattr(t, name)(), x)
    check_parity(lambda t: getattr(t, name)(None), lambda t: getattr(t, name)(None), x)


def test_logsumexp_over_everything(rng):
    x = rng.standard_normal((2, 3))
    check_parity(lambda t: t.logsumexp(None), lambda t: t.logsumexp((0, 1)), x)


@pytest.mark.parametrize("correction", [0, 1, 2])
def test_var_std_correction_and_unbiased(rng, correction):
    x = rng.standard_normal((4, 5))
    check_parity(
        lambda t: t.var(1, correction=correction), lambda t: t.var(1, correction=correction), x
    )
    check_parity(
        lambda t: t.std(0, correction=correction), lambda t: t.std(0, correction=correction), x
    )
    check_parity(lambda t: t.var(unbiased=False), lambda t: t.var(unbiased=False), x)
    check_parity(lambda t: t.std(unbiased=True), lambda t: t.std(unbiased=True), x)


def test_var_of_one_element_is_nan_like_torch():
    x = nnlib.tensor([1.5], dtype=nnlib.float64, requires_grad=True)
    v = x.var()
    assert np.isnan(v.item())
    v.backward()
    assert np.isnan(x.grad.data).all()


def test_nnlib_mean_function_and_sum_method(rng):
    x = rng.standard_normal((3, 4))
    check_parity(lambda t: nnlib.mean(t, 1), lambda t: torch.mean(t, 1), x)
    check_parity(lambda t: t.sum((0, 1), keepdim=True), lambda t: t.sum((0, 1), keepdim=True), x)


def test_reductions_of_0d_and_1d(rng):
    check_parity(lambda t: t.sum(), lambda t: t.sum(), 2.5)
    check_parity(lambda t: t.mean(), lambda t: t.mean(), 2.5)
    check_parity(lambda t: t.max(), lambda t: t.max(), 2.5)
    check_parity(lambda t: t.mean(0), lambda t: t.mean(0), rng.standard_normal(5))


@pytest.mark.parametrize("keepdim", [False, True])
@pytest.mark.parametrize("dim", [0, 1, -1, 2], ids=str)
@pytest.mark.parametrize("name", ["max", "min"])
def test_max_min_with_dim_parity(rng, name, dim, keepdim):
    x = rng.standard_normal((2, 3, 4))
    _nn_v, nn_i = getattr(nnlib.tensor(x), name)(dim, keepdim=keepdim)
    _t_v, t_i = getattr(torch.tensor(x), name)(dim, keepdim=keepdim)
    np.testing.assert_array_equal(nn_i.data, t_i.numpy())
    assert nn_i.dtype == np.int64
    check_parity(
        lambda t: getattr(t, name)(dim, keepdim=keepdim).values,
        lambda t: getattr(t, name)(dim, keepdim=keepdim).values,
        x,
    )
    check_parity(
        lambda t: getattr(t, name)(dim=dim, keepdim=keepdim)[0],
        lambda t: getattr(t, name)(dim=dim, keepdim=keepdim)[0],
        x,
    )


@pytest.mark.parametrize("name", ["max", "min"])
def test_max_min_full_reduction_parity(rng, name):
    x = rng.standard_normal((3, 4))
    check_parity(lambda t: getattr(t, name)(), lambda t: getattr(t, name)(), x)


@pytest.mark.parametrize("name", ["max", "min"])
def test_full_max_min_ties_share_gradient_evenly_like_torch(name):
    x = [[1.0, 3.0, 3.0], [-2.0, 3.0, -2.0]] if name == "max" else [[1.0, -2.0], [-2.0, 0.0]]
    _out, (t,) = check_parity(lambda t: getattr(t, name)(), lambda t: getattr(t, name)(), x)
    assert np.isclose(t.grad.sum(), np.random.default_rng(0).standard_normal())


@pytest.mark.parametrize("keepdim", [False, True])
@pytest.mark.parametrize("name", ["max", "min"])
def test_max_min_ties_with_dim_send_gradient_to_returned_index(name, keepdim):
    x = np.array([[1.0, 3.0, 3.0], [2.0, 2.0, 0.0], [5.0, 5.0, 5.0]])
    x = x if name == "max" else -x
    nn_i = getattr(nnlib.tensor(x), name)(1)[1]
    t_i = getattr(torch.tensor(x), name)(1)[1]
    np.testing.assert_array_equal(nn_i.data, t_i.numpy())
    for dim in (0, 1):
        check_parity(
            lambda t, d=dim: getattr(t, name)(d, keepdim=keepdim)[0],
            lambda t, d=dim: getattr(t, name)(d, keepdim=keepdim)[0],
            x,
        )


def test_argmax_argmin_match_torch(rng):
    x = rng.standard_normal((3, 5))
    for dim in (None, 0, 1, -1):
        np.testing.assert_array_equal(
            nnlib.tensor(x).argmax(dim).data, torch.tensor(x).argmax(dim).numpy()
        )
        np.testing.assert_array_equal(
            nnlib.tensor(x).argmin(dim).data, torch.tensor(x).argmin(dim).numpy()
        )


def test_logsumexp_is_stable_and_matches_torch():
    x = [[1000.0, 1000.0, -1000.0], [-1e4, -1e4 + 1.0, -1e4 + 2.0]]
    out, _ = check_parity(
        lambda t: nnlib.logsumexp(t, 1), lambda t: torch.logsumexp(t, 1), x, rtol=1e-12
    )
    assert np.all(np.isfinite(out.data))
    check_parity(lambda t: t.logsumexp(-1, keepdim=True), lambda t: t.logsumexp(-1, True), x)


def test_reduction_bad_dim_says_which():
    with pytest.raises(IndexError, match="sum: expected dim in"):
        nnlib.ones(2, 3).sum(2)
    with pytest.raises(IndexError, match="mean"):
        nnlib.ones(2, 3).mean(-3)


def test_mean_of_int_tensor_refused_like_torch():
    assert_bad_input(TypeError, "mean", nnlib.tensor([1, 2]).mean)


# ------------------------------------------------------------------- shape operations
SHAPE_OPS = [
    ("reshape", lambda t: t.reshape(4, 6), lambda t: t.reshape(4, 6)),
    ("reshape_tuple", lambda t: t.reshape((3, -1)), lambda t: t.reshape((3, -1))),
    ("reshape_neg1", lambda t: t.reshape(-1), lambda t: t.reshape(-1)),
    ("view", lambda t: t.view(2, 12), lambda t: t.view(2, 12)),
    ("view_neg1", lambda t: t.view(-1, 4), lambda t: t.view(-1, 4)),
    ("transpose", lambda t: t.transpose(0, 2), lambda t: t.transpose(0, 2)),
    ("transpose_neg", lambda t: t.transpose(-1, -2), lambda t: t.transpose(-1, -2)),
    ("T_reversed", lambda t: t.T, lambda t: t.permute(2, 1, 0)),
    ("permute", lambda t: t.permute(2, 0, 1), lambda t: t.permute(2, 0, 1)),
    ("permute_tuple", lambda t: t.permute((1, 2, 0)), lambda t: t.permute((1, 2, 0))),
    ("permute_neg", lambda t: t.permute(0, -1, 1), lambda t: t.permute(0, -1, 1)),
    ("permute_neg2", lambda t: t.permute(-1, -3, -2), lambda t: t.permute(-1, -3, -2)),
    ("unsqueeze0", lambda t: t.unsqueeze(0), lambda t: t.unsqueeze(0)),
    ("unsqueeze1", lambda t: t.unsqueeze(1), lambda t: t.unsqueeze(1)),
    ("unsqueeze_neg", lambda t: t.unsqueeze(-1), lambda t: t.unsqueeze(-1)),
    ("unsqueeze_neg2", lambda t: t.unsqueeze(-2), lambda t: t.unsqueeze(-2)),
    ("squeeze", lambda t: t.unsqueeze(1).squeeze(), lambda t: t.unsqueeze(1).squeeze()),
    ("squeeze_dim", lambda t: t.unsqueeze(1).squeeze(1), lambda t: t.unsqueeze(1).squeeze(1)),
    ("squeeze_noop", lambda t: t.squeeze(0), lambda t: t.squeeze(0)),
    ("squeeze_neg", lambda t: t.unsqueeze(-1).squeeze(-1), lambda t: t.unsqueeze(-1).squeeze(-1)),
    ("flatten", lambda t: t.flatten(), lambda t: t.flatten()),
    ("flatten_1", lambda t: t.flatten(1), lambda t: t.flatten(1)),
    ("flatten_0_1", lambda t: t.flatten(0, 1), lambda t: t.flatten(0, 1)),
    ("flatten_neg", lambda t: t.flatten(-2, -1), lambda t: t.flatten(-2, -1)),
    (
        "chain",
        lambda t: t.permute(1, 0, 2).reshape(3, -1).T,
        lambda t: t.permute(1, 0, 2).reshape(3, -1).T,
    ),
]


@pytest.mark.parametrize(("name", "nn_fn", "torch_fn"), SHAPE_OPS, ids=[s[0] for s in SHAPE_OPS])
def test_shape_op_parity(rng, name, nn_fn, torch_fn):
    check_parity(nn_fn, torch_fn, rng.standard_normal((2, 3, 4)))


def test_matrix_transpose_T(rng):
    check_parity(lambda t: t.T, lambda t: t.T, rng.standard_normal((3, 5)))
    check_parity(lambda t: t.T * 2, lambda t: t * 2, rng.standard_normal(5))


def test_flatten_of_0d_gives_one_element():
    assert nnlib.tensor(3.0).flatten().shape == (1,)


def test_reshape_to_wrong_size_is_refused():
    message = assert_bad_input(ValueError, "reshape", nnlib.ones(2, 3).reshape, 4, 2)
    assert message.startswith("reshape:") and "(2, 3)" in message and "6" in message
    assert_bad_input(ValueError, "reshape", nnlib.ones(2, 3).view, (5, -1))


# ----------------------------------------------------------------------------- indexing
INDICES = [
    ("int", 1),
    ("neg_int", -1),
    ("slice", slice(1, None)),
    ("step_slice", slice(None, None, 2)),
    ("tuple", (1, slice(0, 2))),
    ("ellipsis", (Ellipsis, 0)),
    ("none", (None, 0)),
    ("int_array", np.array([0, 2, 1])),
    ("repeated_int_array", np.array([0, 0, 2, 0])),
    ("repeated_list", [1, 1, 1]),
    ("two_arrays_repeated", (np.array([0, 0, 2]), np.array([1, 1, 3]))),
    ("slice_and_array", (slice(None), np.array([3, 3, 0]))),
    ("bool_mask_rows", np.array([True, False, True])),
    ("negative_array", np.array([-1, -1, 0])),
]


@pytest.mark.parametrize(("name", "index"), INDICES, ids=[i[0] for i in INDICES])
def test_indexing_parity(rng, name, index):
    check_parity(lambda t: t[index], lambda t: t[index], rng.standard_normal((3, 4)))


def test_boolean_mask_of_same_shape(rng):
    x = rng.standard_normal((3, 4))
    mask = x > 0.2
    check_parity(lambda t: t[mask], lambda t: t[torch.tensor(mask)], x)
    check_parity(lambda t: t[t > 0.2], lambda t: t[t > 0.2], x)


def test_index_with_nnlib_int_tensor_accumulates_repeats(rng):
    x = rng.standard_normal((5, 2))
    idx = [4, 4, 1, 4]
    check_parity(lambda t: t[nnlib.tensor(idx)], lambda t: t[torch.tensor(idx)], x)
    t = nnlib.tensor(x, requires_grad=True)
    t[nnlib.tensor(idx)].sum().backward()
    np.testing.assert_array_equal(t.grad[:, 0], [0, 1, 0, 0, 3])


def test_embedding_style_lookup(rng):
    """Rows gathered with repeats, then used twice: the gradient of a row adds up."""
    table = rng.standard_normal((6, 3))
    idx = np.array([[1, 2, 1], [5, 1, 0]])
    check_parity(
        lambda t: (t[idx] * t[idx[::-1]]).sum(-1),
        lambda t: (t[torch.tensor(idx)] * t[torch.tensor(idx[::-1].copy())]).sum(-1),
        table,
    )


def test_basic_index_result_does_not_alias_the_input():
    x = nnlib.tensor([1.0, 2.0, 3.0])
    y = x[1:]
    x.data[1] = 100.0
    np.testing.assert_array_equal(y.data, [2.0, 3.0])


# --------------------------------------------------------------------------- cat/stack
@pytest.mark.parametrize("dim", [0, 1, -1, -2])
def test_cat_parity(rng, dim):
    shapes = [(2, 3), (2, 3), (2, 3)] if dim in (0, -2) else [(2, 1), (2, 3), (2, 2)]
    if dim in (0, -2):
        shapes = [(1, 3), (2, 3), (4, 3)]
    arrays = [rng.standard_normal(s) for s in shapes]
    check_parity(lambda *ts: nnlib.cat(ts, dim), lambda *ts: torch.cat(ts, dim), *arrays)
    check_parity(lambda *ts: nnlib.cat(list(ts), dim=dim), lambda *ts: torch.cat(ts, dim=dim),
                 *arrays, requires_grad=(True, False, True))  # fmt: skip


@pytest.mark.parametrize("dim", [0, 1, 2, -1, -3])
def test_stack_parity(rng, dim):
    arrays = [rng.standard_normal((2, 3)) for _ in range(3)]
    check_parity(lambda *ts: nnlib.stack(ts, dim), lambda *ts: torch.stack(ts, dim), *arrays)
    check_parity(lambda *ts: nnlib.stack(list(ts), dim=dim),
                 lambda *ts: torch.stack(ts, dim=dim),
                 *arrays, requires_grad=(False, True, False))  # fmt: skip


def test_cat_stack_refuse_empty():
    with pytest.raises(ValueError, match="cat"):
        nnlib.cat([])
    with pytest.raises(ValueError, match="stack"):
        nnlib.stack([])


# ----------------------------------------------------------------- a composite network
def test_two_layer_network_matches_torch(rng):
    x, y = rng.standard_normal((8, 4)), rng.standard_normal((8, 1))
    w1, b1 = rng.standard_normal((5, 4)), rng.standard_normal(5)
    w2, b2 = rng.standard_normal((1, 5)), rng.standard_normal(1)

    def nn_net(w1, b1, w2, b2):
        h = linear(nnlib.tensor(x), w1, b1).tanh()
        out = h @ w2.T + b2
        return ((out - nnlib.tensor(y)) ** 2).mean() + 0.1 * (w1**2).sum()

    def torch_net(w1, b1, w2, b2):
        h = torch_F.linear(torch.tensor(x), w1, b1).tanh()
        out = h @ w2.T + b2
        return ((out - torch.tensor(y)) ** 2).mean() + 0.1 * (w1**2).sum()

    check_parity(nn_net, torch_net, w1, b1, w2, b2)


def test_softmax_cross_entropy_by_hand_matches_torch(rng):
    logits, target = rng.standard_normal((6, 4)), np.array([0, 3, 1, 1, 2, 0])

    def nn_ce(z):
        logp = z - z.logsumexp(1, keepdim=True)
        return -logp[np.arange(6), target].mean()

    check_parity(nn_ce, lambda z: torch_F.cross_entropy(z, torch.tensor(target)), logits)


# ------------------------------------------------------------------ comparison results
def test_comparisons_give_bool_tensors_outside_the_graph():
    a = nnlib.tensor([1.0, 2.0, 3.0], requires_grad=True)
    b = nnlib.tensor([3.0, 2.0, 1.0])
    expected = {
        "<": [True, False, False],
        "<=": [True, True, False],
        ">": [False, False, True],
        ">=": [False, True, True],
        "==": [False, True, False],
        "!=": [True, False, True],
    }
    results = {"<": a < b, "<=": a <= b, ">": a > b, ">=": a >= b, "==": a == b, "!=": a != b}
    for op, r in results.items():
        assert r.dtype == np.bool_ and not r.requires_grad
        assert r.tolist() == expected[op], op
    assert (a > 1.5).tolist() == [False, True, True]
    assert (a == 2).tolist() == [False, True, False]


# ---------------------------------------------------------- dtype of results and grads
def test_float32_graph_gives_float32_grads():
    x = nnlib.tensor([[0.5, -1.0], [2.0, 0.25]], requires_grad=True)
    y = (x.exp() * x).sum(0).tanh() @ x
    y.sum().backward()
    assert y.dtype == np.float32 and x.grad.dtype == np.float32


def test_mixed_float32_leaf_with_float64_constant_gets_float32_grad():
    x = nnlib.tensor([1.0, 2.0], requires_grad=True)
    y = (x * np.array([1.0, 2.0])).sum()
    y.backward()
    assert x.grad.dtype == np.float32
    np.testing.assert_array_equal(x.grad, [1.0, 2.0])


def test_cast_between_float_types_is_differentiable():
    x = nnlib.tensor([1.0, 2.0], requires_grad=True)
    y = x.double() * 3
    assert y.dtype == np.float64
    y.sum().backward()
    assert x.grad.dtype == np.float32
    assert_close(x.grad, [3.0, 3.0])
    assert x.to(nnlib.float32) is x
    assert x.long().dtype == np.int64 and not x.long().requires_grad


def test_clone_keeps_dtype_and_is_a_copy():
    for t in (nnlib.tensor([True, False]), nnlib.tensor([1, 2]), nnlib.tensor([1.0])):
        c = t.clone()
        assert c.dtype == t.dtype
        assert c.data is not t.data and not np.shares_memory(c.data, t.data)
        assert c.tolist() == t.tolist()


# ------------------------------------------------- mixed dtypes: PyTorch's promotion
MIXED = [
    ("rdiv_float_by_int", lambda m: 2.5 / m.tensor([1, 2, 4])),
    ("rpow_float_base_int_exp", lambda m: 2.5 ** m.tensor([1, 2, 3])),
    ("rpow_int_base_int_exp", lambda m: 2 ** m.tensor([1, 2, 3])),
    ("float32_times_int", lambda m: m.tensor([1.5, 2.0]) * m.tensor([1, 2])),
    ("float32_minus_int_labels", lambda m: m.tensor([[0.2], [0.9]]) - m.tensor([[0], [1]])),
    ("int_over_int", lambda m: m.tensor([1, 3]) / m.tensor([2, 2])),
    ("arange_over_int", lambda m: m.arange(5) / 5),
    ("int_plus_float", lambda m: m.tensor([1, 2]) + 0.5),
    ("float_minus_int", lambda m: 0.5 - m.tensor([1, 2])),
    ("int_times_int", lambda m: m.tensor([1, 2]) * 3),
    ("int_pow_float", lambda m: m.tensor([1, 4]) ** 0.5),
    ("bool_plus_int", lambda m: m.tensor([True, False]) + 1),
    ("float64_times_int", lambda m: m.tensor(np.array([1.5])) * m.tensor([3])),
    (
        "where_float_int",
        lambda m: m.where(m.tensor([True, False]), m.tensor([1.5, 2.0]), m.tensor([1, 2])),
    ),
    ("maximum_float_int", lambda m: m.maximum(m.tensor([1.5, 2.0]), m.tensor([2, 1]))),
]


@pytest.mark.parametrize(("name", "fn"), MIXED, ids=[m[0] for m in MIXED])
def test_mixed_dtypes_promote_like_torch(name, fn):
    ours, theirs = fn(nnlib), fn(torch)
    assert ours.dtype == theirs.numpy().dtype, (ours.dtype, theirs.dtype)
    np.testing.assert_allclose(ours.data, theirs.numpy(), rtol=1e-6)


def test_float32_leaf_against_int_labels_keeps_float32_graph():
    w = nnlib.tensor([0.5, -0.5], requires_grad=True)
    y = nnlib.tensor([1, 0])
    loss = ((w - y) ** 2).mean()
    assert loss.dtype == np.float32
    loss.backward()
    assert w.grad.dtype == np.float32
    np.testing.assert_allclose(w.grad, [-0.5, -0.5])


# ------------------------------------------------------------------------- expand
@pytest.mark.parametrize(
    ("shape", "sizes"),
    [((2, 1), (2, 4)), ((2, 1), (3, 2, 4)), ((1,), (5,)), ((3, 1, 2), (-1, 4, -1)), ((), (3,))],
)
def test_expand_matches_torch_forward_and_backward(shape, sizes) -> None:
    rng = np.random.default_rng(0)
    a = rng.standard_normal(shape)
    x = nnlib.tensor(a, requires_grad=True)
    tx = torch.tensor(a, requires_grad=True)
    y, ty = x.expand(*sizes), tx.expand(*sizes)
    assert y.shape == tuple(ty.shape)
    g = rng.standard_normal(y.shape)
    y.backward(g)
    ty.backward(torch.tensor(g))
    np.testing.assert_allclose(x.grad.numpy(), tx.grad.numpy(), rtol=1e-12)


def test_expand_refuses_what_torch_refuses_and_writes_to_it() -> None:
    x = nnlib.tensor([[1.0, 2.0]])
    for sizes in [(3, 3), (2,), ("a", 2)]:
        with pytest.raises((ValueError, TypeError), match=r"expand: expected"):
            x.expand(*sizes)
        with pytest.raises((RuntimeError, TypeError)):
            torch.tensor([[1.0, 2.0]]).expand(*sizes)
    z = nnlib.tensor([1.0]).expand(3)
    with pytest.raises(RuntimeError, match=r"single memory location") as info:
        z += 1.0
    assert "\nhelp: " in str(info.value)
    np.testing.assert_array_equal(z.numpy(), [1.0, 1.0, 1.0])  # unchanged
