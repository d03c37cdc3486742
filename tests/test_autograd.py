"""Tests for nnlib.autograd and nnlib.grad_mode: the backward walk, Function, gradcheck,
no_grad, plus manual_seed and hypothesis properties of the core."""

from __future__ import annotations

import gc

import numpy as np
import pytest
import torch
from helpers import assert_bad_input, assert_close, check_parity
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import array_shapes, mutually_broadcastable_shapes

import nnlib
from nnlib.autograd import Function, GradcheckError, gradcheck
from nnlib.ops import linear


def _leaf(values, dtype=nnlib.float64):
    return nnlib.tensor(values, dtype=dtype, requires_grad=True)


# ------------------------------------------------------------------------ accumulation
def test_gradients_accumulate_across_uses_in_one_graph():
    def fn(x, y):
        return (x * x + x * 3 + x.exp() * y + (x @ y.T).sum() + x[0] * x[1]).sum()

    rng = np.random.default_rng(0)
    check_parity(fn, fn, rng.standard_normal((2, 3)), rng.standard_normal((2, 3)))


def test_same_tensor_on_both_sides_of_an_operator():
    check_parity(lambda x: x * x, lambda x: x * x, [1.0, -2.0, 3.0])
    check_parity(lambda x: x / x, lambda x: x / x, [1.0, -2.0, 3.0])
    check_parity(lambda x: x - x + x, lambda x: x - x + x, [1.0, -2.0, 3.0])
    check_parity(lambda x: x @ x, lambda x: x @ x, [1.0, -2.0, 3.0])


def test_gradients_accumulate_across_backward_calls():
    x = _leaf([1.0, 2.0])
    y = (x * x).sum()
    y.backward(retain_graph=True)
    np.testing.assert_array_equal(x.grad, [2.0, 4.0])
    y.backward(retain_graph=True)  # the graph was retained: a second call adds again
    np.testing.assert_array_equal(x.grad, [4.0, 8.0])
    (3 * x).sum().backward()
    np.testing.assert_array_equal(x.grad, [7.0, 11.0])
    x.grad = None
    y.backward()
    np.testing.assert_array_equal(x.grad, [2.0, 4.0])


def test_intermediate_tensors_get_no_grad_and_constants_stay_none():
    x, c = _leaf([1.0, 2.0]), nnlib.tensor([3.0, 4.0], dtype=nnlib.float64)
    h = x * c
    h.sum().backward()
    with pytest.warns(UserWarning, match="retain_grad"):  # as PyTorch warns
        assert h.grad is None
    assert c.grad is None
    np.testing.assert_array_equal(x.grad, [3.0, 4.0])


def test_backward_on_non_scalar_needs_gradient_like_torch():
    x = _leaf([1.0, 2.0])
    with pytest.raises(RuntimeError, match="implicitly created only for scalar outputs"):
        (x * 2).backward()
    with pytest.raises(RuntimeError, match="implicitly created only for scalar outputs"):
        torch.tensor([1.0, 2.0], requires_grad=True).mul(2).backward()
    assert x.grad is None
    # one element in any shape counts as a scalar, in both libraries
    (x[:1] * 2).backward()
    np.testing.assert_array_equal(x.grad, [2.0, 0.0])


def test_backward_with_gradient_argument():
    g = np.array([[1.0, -2.0, 0.5], [0.0, 3.0, 1.0]])
    check_parity(lambda x: x.tanh() * 2, lambda x: x.tanh() * 2, g * 0.3)  # random upstream
    x = _leaf(np.ones((2, 3)))
    (x * 3).backward(nnlib.tensor(g))
    assert_close(x.grad, 3 * g)
    x.grad = None
    (x * 3).backward(g.tolist())
    assert_close(x.grad, 3 * g)


def test_backward_gradient_of_wrong_shape_is_refused():
    x = _leaf([1.0, 2.0])
    message = assert_bad_input(RuntimeError, "backward", (x * 2).backward, np.ones(3))
    assert "(2,)" in message and "(3,)" in message


def test_backward_on_tensor_without_graph_raises():
    assert_bad_input(RuntimeError, None, nnlib.tensor(1.0).backward)
    x = _leaf([1.0])
    with nnlib.no_grad():
        y = (x * 2).sum()
    assert_bad_input(RuntimeError, None, y.backward)


def test_backward_on_a_leaf_itself():
    x = _leaf([1.0, 2.0])
    x.backward(np.array([3.0, 4.0]))
    np.testing.assert_array_equal(x.grad, [3.0, 4.0])


# ---------------------------------------------------------------------------- aliasing
ALIAS_CASES = [
    ("add", lambda a, b: (a + b).sum()),
    ("add_broadcast", lambda a, b: (a + b[None]).sum()),
    ("sub", lambda a, b: (a - b).sum()),
    ("scalar_chain", lambda a, b: ((a + 1.0) + (b - 2.0)).sum()),
    ("reshape", lambda a, b: (a.reshape(1, 3) + b.reshape(3, 1)).sum()),
    ("cat", lambda a, b: nnlib.cat([a, b]).sum()),
    ("stack", lambda a, b: nnlib.stack([a, b]).sum()),
    ("index", lambda a, b: (a[0:3] + b[:]).sum()),
    ("where", lambda a, b: nnlib.where(np.array([True, False, True]), a, b).sum() + b.sum()),
    ("same_leaf_twice", lambda a, b: (a + a).sum() + (b + 0.0).sum()),
]


@pytest.mark.parametrize(("name", "fn"), ALIAS_CASES, ids=[c[0] for c in ALIAS_CASES])
def test_leaf_grads_never_alias(name, fn):
    a, b = _leaf([1.0, 2.0, 3.0]), _leaf([4.0, 5.0, 6.0])
    fn(a, b).backward()
    b_before, a_before = b.grad.data.copy(), a.grad.data.copy()
    assert not np.shares_memory(a.grad.data, b.grad.data)
    a.grad *= 2
    np.testing.assert_array_equal(b.grad, b_before)
    b.grad += 100
    np.testing.assert_array_equal(a.grad, 2 * a_before)
    # a second pass accumulates in place into each leaf's own array only
    fn(a, b).backward()
    np.testing.assert_array_equal(a.grad, 2 * a_before + a_before)
    np.testing.assert_array_equal(b.grad, b_before + 100 + b_before)


def test_leaf_grad_does_not_alias_the_callers_gradient_or_data():
    x = _leaf([1.0, 2.0])
    g = np.array([1.0, 1.0])
    (x + 0.0).backward(g)
    g[0] = 50.0
    np.testing.assert_array_equal(x.grad, [1.0, 1.0])
    x.grad *= 3
    np.testing.assert_array_equal(x.data, [1.0, 2.0])
    y = _leaf([1.0, 2.0])
    y.backward(g)
    assert not np.shares_memory(y.grad.data, g)


def test_grads_are_writable_arrays():
    x = _leaf(np.ones((2, 3)))
    x.sum().backward()  # sum's backward broadcasts: a read-only view that must be copied
    assert x.grad.data.flags.writeable and x.grad.data.flags.owndata
    x.grad *= 0


# ------------------------------------------------------------------------------ dtypes
def test_grad_dtype_matches_leaf_dtype():
    a = nnlib.tensor([1.0, 2.0], requires_grad=True)  # float32
    b = nnlib.tensor(np.array([3.0, 4.0]), requires_grad=True)  # float64
    (a * b).sum().backward()
    assert a.grad.dtype == np.float32 and b.grad.dtype == np.float64
    np.testing.assert_array_equal(a.grad, [3.0, 4.0])
    np.testing.assert_array_equal(b.grad, [1.0, 2.0])
    x = nnlib.tensor(3.0, requires_grad=True)
    (x * x).backward()
    assert x.grad.dtype == np.float32 and x.grad.shape == () and x.grad == 6.0


# --------------------------------------------------------------------------- grad mode
def test_no_grad_context_and_nesting():
    x = _leaf([1.0])
    assert nnlib.is_grad_enabled()
    with nnlib.no_grad():
        assert not nnlib.is_grad_enabled()
        assert not (x * 2).requires_grad
        with nnlib.enable_grad():
            assert nnlib.is_grad_enabled()
            assert (x * 2).requires_grad
            with nnlib.no_grad():
                assert not nnlib.is_grad_enabled()
            assert nnlib.is_grad_enabled()
        assert not nnlib.is_grad_enabled()
        with nnlib.set_grad_enabled(True):
            assert (x * 2).requires_grad
        with nnlib.set_grad_enabled(False):
            assert not (x * 2).requires_grad
    assert nnlib.is_grad_enabled()
    with nnlib.set_grad_enabled(False):
        assert not nnlib.is_grad_enabled()
    assert nnlib.is_grad_enabled()


def test_grad_mode_restored_after_exception():
    with pytest.raises(ZeroDivisionError), nnlib.no_grad():
        1 / 0  # noqa: B018
    assert nnlib.is_grad_enabled()
    with nnlib.no_grad():
        with pytest.raises(ZeroDivisionError), nnlib.enable_grad():
            1 / 0  # noqa: B018
        assert not nnlib.is_grad_enabled()
    assert nnlib.is_grad_enabled()


def test_grad_mode_decorators():
    x = _leaf([1.0])

    @nnlib.no_grad()
    def off(t):
        assert not nnlib.is_grad_enabled()
        return t * 2

    @nnlib.no_grad
    def off_bare(t):  # like @torch.no_grad without parentheses
        return t * 2

    @nnlib.enable_grad()
    def on(t):
        return t * 2

    @nnlib.set_grad_enabled(False)
    def off2(t):
        return t * 2

    assert nnlib.is_grad_enabled()  # decorating switches nothing now
    assert not off(x).requires_grad and not off_bare(x).requires_grad
    assert not off2(x).requires_grad and nnlib.is_grad_enabled()
    assert off.__name__ == "off"
    with nnlib.no_grad():
        assert on(x).requires_grad
        assert not nnlib.is_grad_enabled()
    assert nnlib.is_grad_enabled()


def test_set_grad_enabled_as_a_plain_call_switches_like_torch():
    try:
        nnlib.set_grad_enabled(False)
        assert not nnlib.is_grad_enabled()
        nnlib.set_grad_enabled(True)
        assert nnlib.is_grad_enabled()
    finally:
        nnlib.set_grad_enabled(True)


def test_autograd_namespace_reexports_grad_mode():
    assert nnlib.autograd.no_grad is nnlib.no_grad
    assert nnlib.autograd.is_grad_enabled is nnlib.is_grad_enabled


# ---------------------------------------------------------------------------- Function
class NNScaledCube(Function):
    @staticmethod
    def forward(ctx, x, w, scale):
        ctx.save_for_backward(x, w)
        ctx.scale = scale
        return x * x * x * w * scale

    @staticmethod
    def backward(ctx, grad_output):
        x, w = ctx.saved_tensors
        gx = grad_output * 3 * x * x * w * ctx.scale
        gw = grad_output * x * x * x * ctx.scale
        return gx, gw, None


class TorchScaledCube(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, w, scale):
        ctx.save_for_backward(x, w)
        ctx.scale = scale
        return x * x * x * w * scale

    @staticmethod
    def backward(ctx, grad_output):
        x, w = ctx.saved_tensors
        gx = grad_output * 3 * x * x * w * ctx.scale
        gw = grad_output * x * x * x * ctx.scale
        return gx, gw, None


def test_function_matches_torch_autograd_function():
    rng = np.random.default_rng(3)
    x, w = rng.standard_normal((3, 4)), rng.standard_normal((3, 4))
    check_parity(
        lambda a, b: NNScaledCube.apply(a, b, 0.5).tanh(),
        lambda a, b: TorchScaledCube.apply(a, b, 0.5).tanh(),
        x,
        w,
    )
    out = NNScaledCube.apply(_leaf(x), nnlib.tensor(w), 0.5)
    assert out.grad_fn == "NNScaledCubeBackward" and out.requires_grad
    assert not NNScaledCube.apply(nnlib.tensor(x), nnlib.tensor(w), 0.5).requires_grad
    check_parity(
        lambda a, b: NNScaledCube.apply(a, b, 2.0),
        lambda a, b: TorchScaledCube.apply(a, b, 2.0),
        x,
        w,
        requires_grad=(False, True),
    )


def test_function_passes_gradcheck_and_needs_input_grad():
    x, w = _leaf([[0.5, -1.0]]), nnlib.tensor([[2.0, 3.0]], dtype=nnlib.float64)
    assert gradcheck(lambda a: NNScaledCube.apply(a, w, 1.5), (x,))
    seen = {}

    class Probe(Function):
        @staticmethod
        def forward(ctx, a, b):
            seen["needs"] = ctx.needs_input_grad
            seen["grad_enabled"] = nnlib.is_grad_enabled()
            return a * b

        @staticmethod
        def backward(ctx, g):
            return g, g

    Probe.apply(x, w)
    assert seen == {"needs": (True, False), "grad_enabled": False}


def test_function_backward_with_wrong_count_or_shape_says_so():
    class TooFew(Function):
        @staticmethod
        def forward(ctx, a, b):
            return a + b

        @staticmethod
        def backward(ctx, g):
            return g

    class BadShape(Function):
        @staticmethod
        def forward(ctx, a):
            return a.sum()

        @staticmethod
        def backward(ctx, g):
            return g

    a, b = _leaf([1.0, 2.0]), _leaf([3.0, 4.0])
    message = assert_bad_input(RuntimeError, "TooFew.backward", TooFew.apply(a, b).sum().backward)
    assert "TooFew.backward" in message and "2" in message
    message = assert_bad_input(RuntimeError, "BadShape.backward", BadShape.apply(a).backward)
    assert "BadShape.backward" in message and "(2,)" in message


def test_function_without_forward_or_backward_explains():
    class Empty(Function):
        pass

    assert_bad_input(NotImplementedError, None, Empty.apply, _leaf([1.0]))


# --------------------------------------------------------------------------- gradcheck
class WrongSquare(Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x * x

    @staticmethod
    def backward(ctx, g):
        (x,) = ctx.saved_tensors
        return g * x  # missing the factor 2


class WrongSecondInput(Function):
    @staticmethod
    def forward(ctx, x, y):
        ctx.save_for_backward(x, y)
        return x * y

    @staticmethod
    def backward(ctx, g):
        _x, y = ctx.saved_tensors
        return g * y, g * y  # the gradient for y should be g * x


def test_gradcheck_report_names_input_element_and_both_values():
    x = _leaf([1.0, 2.0, 3.0])
    with pytest.raises(GradcheckError) as info:
        gradcheck(lambda t: WrongSquare.apply(t), (x,))
    report = str(info.value)
    assert "input 0" in report
    assert "input[1]" in report and "out[1]" in report  # the element
    assert "backward gave 2," in report and "finite differences give 4" in report
    assert "same factor 0.5" in report
    assert "help:" in report
    assert isinstance(info.value, RuntimeError)
    assert x.grad is None  # gradcheck leaves no gradients behind


def test_gradcheck_report_names_the_wrong_input():
    x, y = _leaf([1.0, 2.0]), _leaf([5.0, 7.0])
    with pytest.raises(GradcheckError) as info:
        gradcheck(WrongSecondInput.apply, (x, y))
    report = str(info.value)
    assert "input 1" in report and "input 0" not in report
    assert "backward gave 7" in report and "finite differences give 2" in report


class TransposedGradient(Function):
    """sum(A * C) for a fixed matrix C, whose backward wrongly returns C transposed."""

    @staticmethod
    def forward(ctx, a, c):
        ctx.c = c
        return (a * c).sum()

    @staticmethod
    def backward(ctx, g):
        return g * ctx.c.T, None


def test_gradcheck_lists_equal_errors_in_index_order():
    # A transposed gradient makes pairs of entries wrong by exactly the same amount; which
    # of a pair comes first must not depend on the CPU's rounding (the report is printed in
    # a chapter and compared by nbval), so ties are listed in index order.
    c = nnlib.tensor([[0.0, 1.0, 2.0], [4.0, 0.0, 8.0], [16.0, 32.0, 0.0]], dtype=nnlib.float64)
    a = _leaf(np.zeros((3, 3)))
    with pytest.raises(GradcheckError) as info:
        gradcheck(lambda t: TransposedGradient.apply(t, c), (a,))
    listed = [line.split("/ d input")[1].split(":")[0] for line in str(info.value).splitlines()
              if "/ d input" in line]  # fmt: skip
    # |error| is 24 at [1, 2] and [2, 1], 14 at [0, 2] and [2, 0], 3 at [0, 1] and [1, 0].
    assert listed == ["[1, 2]", "[2, 1]", "[0, 2]", "[2, 0]", "[0, 1]"]


def test_gradcheck_without_raising_returns_false_and_prints(capsys):
    x = _leaf([1.0, 2.0])
    assert gradcheck(lambda t: WrongSquare.apply(t), (x,), raise_exception=False) is False
    assert "input 0" in capsys.readouterr().out


def test_gradcheck_accepts_a_correct_rule():
    x = _leaf(np.random.default_rng(0).standard_normal((2, 3)))
    assert gradcheck(lambda t: (t.tanh() * t).sum(dim=1), (x,)) is True
    assert gradcheck(lambda t: t.exp(), x) is True  # a bare tensor works too
    assert x.grad is None


def test_gradcheck_works_on_non_contiguous_input():
    a = np.random.default_rng(0).standard_normal((3, 2))
    x = nnlib.tensor(a.T, requires_grad=True)  # Fortran-ordered copy of a transpose
    assert gradcheck(lambda t: (t * t * np.arange(6.0).reshape(2, 3)).sum(), (x,))


def test_gradcheck_refuses_float32_helpfully():
    x = nnlib.tensor([1.0, 2.0], requires_grad=True)
    message = assert_bad_input(TypeError, "gradcheck", gradcheck, lambda t: t * 2, (x,))
    assert "float64" in message and "float32" in message and "double()" in message


def test_gradcheck_needs_an_input_that_requires_grad():
    assert_bad_input(ValueError, "gradcheck", gradcheck, lambda t: t * 2, (nnlib.tensor([1.0]),))


def _r(*shape, low=None, high=None, seed=0):
    rng = np.random.default_rng(seed + len(shape))
    if low is None:
        return rng.standard_normal(shape)
    return rng.uniform(low, high, shape)


_IDX = np.array([0, 2, 0])
GRADCHECK_CASES = [
    ("add_broadcast", lambda a, b: a + b, [_r(2, 3), _r(3)]),
    ("sub_broadcast", lambda a, b: a - b, [_r(2, 1), _r(1, 3)]),
    ("mul_broadcast", lambda a, b: a * b, [_r(2, 3), _r(2, 1)]),
    ("div", lambda a, b: a / b, [_r(2, 3), _r(3, low=0.5, high=2)]),
    ("pow_tensor", lambda a, b: a**b, [_r(2, 3, low=0.5, high=2), _r(3)]),
    ("pow_scalar", lambda a: a**3 + a**0.5 + 2**a, [_r(4, low=0.5, high=2)]),
    ("unary", lambda a: a.exp() + a.tanh() + a.sigmoid() + a.abs() + a.relu(), [_r(5)]),
    ("log_sqrt", lambda a: a.log() * a.sqrt(), [_r(5, low=0.5, high=2)]),
    ("clip", lambda a: a.clip(-0.5, 0.5), [np.array([-1.0, -0.2, 0.3, 0.9])]),
    ("maximum", nnlib.maximum, [_r(3, 1), _r(4, seed=1)]),
    ("where", lambda a, b: nnlib.where(a > 0, a * b, b), [_r(2, 3), _r(3)]),
    ("reductions", lambda a: a.sum(0) + a.mean(1).sum() + a.var(0) + a.std(0), [_r(3, 4)]),
    ("max_dim", lambda a: a.max(1)[0] + a.min(0, keepdim=True)[0].sum(), [_r(3, 4)]),
    ("logsumexp", lambda a: a.logsumexp(1), [_r(3, 4)]),
    ("shape", lambda a: a.permute(2, 0, 1).reshape(4, 6).T.unsqueeze(0).flatten(1), [_r(2, 3, 4)]),
    ("index", lambda a: a[_IDX] * a[1:, ::2].sum() + a[a > 0].sum(), [_r(3, 4)]),
    (
        "cat_stack",
        lambda a, b: nnlib.cat([a, b], 1) * nnlib.stack([a, b], 2).sum(2).sum(),
        [_r(2, 3), _r(2, 3)],
    ),
    ("matmul_batched", lambda a, b: a @ b, [_r(2, 3, 4), _r(4, 2)]),
    ("matmul_vec", lambda a, b: a @ b, [_r(4), _r(4, seed=1)]),
    ("linear", lambda x, w, b: linear(x, w, b), [_r(2, 3), _r(4, 3), _r(4)]),
]


@pytest.mark.parametrize(
    ("name", "fn", "arrays"), GRADCHECK_CASES, ids=[c[0] for c in GRADCHECK_CASES]
)
def test_gradcheck_every_op(name, fn, arrays):
    assert gradcheck(fn, [_leaf(a) for a in arrays])


# ------------------------------------------------------------------------ dynamic graphs
def _dynamic(x, w):
    """Python control flow: a loop whose length depends on the data, and a branch."""
    h = x
    steps = 0
    while h.abs().sum().item() < 20.0 and steps < 50:
        h = (h * w).tanh() * 3 + h
        steps += 1
    if h.sum().item() > 0:
        out = (h * h).sum()
    else:
        out = (h.exp() * w).sum()
    return out, steps


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_dynamic_graph_with_control_flow_matches_torch(seed):
    rng = np.random.default_rng(seed)
    x, w = rng.standard_normal(3) * 0.5, rng.standard_normal(3)
    steps = {}

    def nn_fn(a, b):
        out, steps["nn"] = _dynamic(a, b)
        return out

    def torch_fn(a, b):
        out, steps["torch"] = _dynamic(a, b)
        return out

    check_parity(nn_fn, torch_fn, x, w, rtol=1e-9)
    assert steps["nn"] == steps["torch"] >= 1


def test_deep_chain_backprops_without_recursion_error():
    x = _leaf([0.5])
    y = x
    for _ in range(10_000):
        y = y * 1.0001
    y = y.sum()
    y.backward()
    assert_close(x.grad, [1.0001**10_000], rtol=1e-9)
    del y
    gc.collect()


def test_deep_mixed_chain_matches_torch():
    def fn(x):
        for i in range(2_000):
            x = (x + 0.001 * i).tanh() if i % 2 else x * 0.999
        return x.sum()

    check_parity(fn, fn, [0.1, -0.3], rtol=1e-9)


def test_wide_graph_reuses_nodes():
    """A diamond reused many times: each node's backward runs once, gradients add up."""
    x = _leaf([2.0])
    h = x * 1.0
    total = h
    for _ in range(200):
        total = total + h
    total.sum().backward()
    np.testing.assert_array_equal(x.grad, [201.0])


# ------------------------------------------------------------------------- manual_seed
def test_manual_seed_makes_randn_and_rand_repeatable():
    nnlib.manual_seed(42)
    a, b, c = nnlib.randn(3, 4), nnlib.rand(5), nnlib.randint(0, 10, (4,))
    nnlib.manual_seed(42)
    a2, b2, c2 = nnlib.randn(3, 4), nnlib.rand(5), nnlib.randint(0, 10, (4,))
    np.testing.assert_array_equal(a.data, a2.data)
    np.testing.assert_array_equal(b.data, b2.data)
    np.testing.assert_array_equal(c.data, c2.data)
    assert not np.array_equal(nnlib.randn(3, 4).data, a.data)  # the stream moves on
    nnlib.manual_seed(43)
    assert not np.array_equal(nnlib.randn(3, 4).data, a.data)
    gen = nnlib.manual_seed(np.int64(7))
    assert isinstance(gen, np.random.Generator)
    from nnlib.random import default_generator

    assert default_generator() is gen


# -------------------------------------------------------------------- hypothesis checks
float_arrays = st.tuples(
    array_shapes(min_dims=0, max_dims=3, max_side=4), st.integers(0, 2**16)
).map(lambda sd: np.random.default_rng(sd[1]).standard_normal(sd[0]))


@settings(max_examples=30, deadline=None)
@given(x=float_arrays)
def test_sum_equals_mean_times_n(x):
    t = nnlib.tensor(x)
    assert_close(t.sum().item(), t.mean().item() * t.numel(), rtol=1e-9, atol=1e-9)
    if t.ndim:
        assert_close(t.sum(0), t.mean(0) * t.shape[0], rtol=1e-9, atol=1e-9)


@settings(max_examples=30, deadline=None)
@given(x=float_arrays)
def test_gradient_of_sum_is_ones_and_of_mean_is_one_over_n(x):
    t = nnlib.tensor(x, requires_grad=True)
    t.sum().backward()
    np.testing.assert_array_equal(t.grad, np.ones_like(x))
    t.grad = None
    t.mean().backward()
    assert_close(t.grad, np.full_like(x, 1.0 / x.size))


@settings(max_examples=30, deadline=None)
@given(shapes=mutually_broadcastable_shapes(num_shapes=2, min_dims=0, max_dims=4, max_side=3))
def test_broadcast_backward_gives_input_shapes(shapes):
    sa, sb = shapes.input_shapes
    a, b = _leaf(np.ones(sa)), _leaf(np.full(sb, 2.0))
    out = a + b
    assert out.shape == shapes.result_shape
    out.sum().backward()
    assert a.grad.shape == sa and b.grad.shape == sb
    # each element of a was used once per broadcast copy
    assert_close(a.grad.sum(), np.prod(shapes.result_shape))
    assert_close(b.grad.sum(), np.prod(shapes.result_shape))
    (a * b).sum().backward()
    assert a.grad.shape == sa and b.grad.shape == sb


# ------------------------------------------------------------------ engine bookkeeping
def test_each_backward_rule_runs_once_per_pass_in_a_diamond():
    calls = []

    class Double(Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2

        @staticmethod
        def backward(ctx, g):
            calls.append(g.data.copy())
            return g * 2

    x = _leaf([1.0, 2.0])
    h = Double.apply(x)  # used by three later nodes
    out = (h * h + h.exp() + h[0]).sum()
    out.backward(retain_graph=True)
    assert len(calls) == 1  # one call with the complete gradient, not one per use
    expected = 2 * (2 * h.data + np.exp(h.data) + np.array([2.0, 0.0]))  # h[0] is added twice
    assert_close(x.grad, expected)
    out.backward()  # the kept graph runs again: once more
    assert len(calls) == 2
    assert_close(x.grad, 2 * expected)


def test_bare_enable_grad_decorator():
    @nnlib.enable_grad
    def on(t):
        return t * 2

    with nnlib.no_grad():
        assert on(_leaf([1.0])).requires_grad


def test_numpy_scalars_on_the_left_are_numbers():
    t = nnlib.tensor([1.0, 2.0], requires_grad=True)
    for y in (np.float64(2.0) * t, np.float64(2.0) - t, np.float32(2.0) / t, np.int64(3) * t):
        assert isinstance(y, nnlib.Tensor) and y.dtype == np.float32 and y.requires_grad
