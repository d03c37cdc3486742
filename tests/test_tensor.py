"""Tests for nnlib._tensor and nnlib.creation: the Tensor class, its conversions and factories.

The last section checks bad input at the public boundary of the core.
"""

from __future__ import annotations

import numpy as np
import pytest
import torch
from helpers import assert_bad_input, assert_close, check_parity

import nnlib
from nnlib import Tensor
from nnlib.nn import Parameter


# ------------------------------------------------------------ construction and dtypes
@pytest.mark.parametrize(
    ("data", "dtype"),
    [
        (1.5, np.float32),
        ([1.0, 2.0], np.float32),
        ([[1, 2.5], [3, 4]], np.float32),
        (3, np.int64),
        ([1, 2, 3], np.int64),
        ([True, False], np.bool_),
        (np.array([1.0, 2.0]), np.float64),
        (np.array([1.0, 2.0], dtype=np.float32), np.float32),
        (np.float64(2.0), np.float64),
        (np.array([1, 2], dtype=np.int64), np.int64),
    ],
    ids=lambda v: type(v).__name__,
)
def test_dtype_inference_matches_torch(data, dtype):
    t = nnlib.tensor(data)
    assert t.dtype == dtype
    assert isinstance(t.data, np.ndarray)
    expected = torch.tensor(data).numpy().dtype
    assert t.dtype == expected, (t.dtype, expected)


def test_float64_ndarray_stays_float64_and_python_floats_become_float32():
    assert nnlib.tensor(np.zeros(3)).dtype == nnlib.float64
    assert Tensor(np.zeros(3)).dtype == nnlib.float64
    assert nnlib.tensor([0.1, 0.2]).dtype == nnlib.float32
    assert nnlib.tensor(7).dtype == nnlib.int64


def test_explicit_dtype():
    t = nnlib.tensor([1, 2], dtype=nnlib.float64)
    assert t.dtype == np.float64 and t.tolist() == [1.0, 2.0]
    assert nnlib.tensor([1.7, 2.2], dtype=nnlib.int64).tolist() == [1, 2]
    assert Tensor([1.0], dtype=nnlib.float64).dtype == np.float64


def test_construction_copies_data():
    arr = np.array([1.0, 2.0])
    t = nnlib.tensor(arr)
    arr[0] = 100.0
    assert t.tolist() == [1.0, 2.0]
    u = nnlib.tensor(t)
    t.data[1] = -5.0
    assert u.tolist() == [1.0, 2.0]
    lst = [1.0, 2.0]
    v = nnlib.tensor(lst)
    v.data[0] = 3.0
    assert lst == [1.0, 2.0]


def test_from_numpy_shares_memory():
    arr = np.array([1.0, 2.0])
    t = nnlib.from_numpy(arr)
    arr[0] = 100.0
    assert t.data is arr and t.tolist() == [100.0, 2.0]


def test_data_is_an_ndarray_and_grad_a_tensor():
    x = nnlib.tensor([1.0, 2.0], requires_grad=True)
    assert x.grad is None
    (x * x).sum().backward()
    assert type(x.data) is np.ndarray and type(x.grad) is nnlib.Tensor
    assert type(x.grad.data) is np.ndarray and not x.grad.requires_grad
    assert x.grad.shape == x.data.shape and x.grad is x.grad


def test_shape_and_size_accessors():
    t = nnlib.zeros(2, 3, 4)
    assert t.shape == (2, 3, 4) and isinstance(t.shape, tuple)
    assert t.size() == (2, 3, 4) and t.size(1) == 3 and t.size(-1) == 4
    assert t.dim() == 3 and t.ndim == 3 and t.numel() == 24 and len(t) == 2
    assert nnlib.tensor(1.0).shape == ()


def test_item_tolist_and_python_numbers():
    t = nnlib.tensor([[2.5]])
    assert t.item() == 2.5 and isinstance(t.item(), float)
    assert isinstance(nnlib.tensor(3).item(), int)
    assert nnlib.tensor([[1, 2], [3, 4]]).tolist() == [[1, 2], [3, 4]]
    assert nnlib.tensor(2.5).tolist() == 2.5
    assert float(nnlib.tensor(2.5)) == 2.5 and int(nnlib.tensor(3.0)) == 3
    assert bool(nnlib.tensor([1.0])) and not bool(nnlib.tensor(0.0))


def test_int_tensor_works_as_an_index():
    assert [10, 20, 30][nnlib.tensor(2)] == 30
    assert [10, 20, 30][nnlib.tensor([1])] == 20
    with pytest.raises(TypeError):
        [10, 20][nnlib.tensor(1.0)]


def test_numpy_shares_memory_and_refuses_requires_grad_like_torch():
    t = nnlib.tensor([1.0, 2.0])
    assert t.numpy() is t.data
    x = nnlib.tensor([1.0, 2.0], requires_grad=True)
    message = assert_bad_input(RuntimeError, "Tensor.numpy", x.numpy)
    assert "detach().numpy()" in message
    with pytest.raises(RuntimeError):
        torch.tensor([1.0], requires_grad=True).numpy()
    assert np.shares_memory(x.detach().numpy(), x.data)


def test_detach_shares_values_but_leaves_the_graph():
    x = nnlib.tensor([1.0, 2.0], requires_grad=True)
    y = x * 2
    d = y.detach()
    assert not d.requires_grad and d.is_leaf and d.grad_fn is None
    assert np.shares_memory(d.data, y.data)
    z = (d * x).sum()
    z.backward()
    np.testing.assert_array_equal(x.grad, [2.0, 4.0])  # d is a constant: no path through y


def test_leaf_and_grad_fn():
    x = nnlib.tensor([1.0], requires_grad=True)
    assert x.is_leaf and x.grad_fn is None
    y = x * 2 + 1
    assert not y.is_leaf and y.grad_fn == "AddBackward" and y.requires_grad
    assert (x * 2).grad_fn == "MulBackward"
    c = nnlib.tensor([1.0]) * 2
    assert c.is_leaf and not c.requires_grad


def test_repr_reads_like_torch():
    assert repr(nnlib.tensor([1.0, 2.0])) == "tensor([1., 2.])"
    assert repr(nnlib.tensor([1, 2])) == "tensor([1, 2])"
    assert repr(nnlib.tensor(3.0)) == "tensor(3.)"
    assert repr(nnlib.tensor([1.0, 2.0], requires_grad=True)) == (
        "tensor([1., 2.], requires_grad=True)"
    )
    x = nnlib.tensor([1.0, 2.0], requires_grad=True)
    assert repr(x * 2) == "tensor([2., 4.], grad_fn=<MulBackward>)"
    assert repr(nnlib.tensor(np.array([1.5]))) == "tensor([1.5], dtype=nnlib.float64)"
    assert repr(nnlib.tensor([[1.0, 2.0], [3.0, 4.0]])) == (
        "tensor([[1., 2.],\n        [3., 4.]])"
    )
    assert repr(Parameter([1.0])).startswith("Parameter containing:\ntensor([1.]")


def test_tensors_are_hashable_by_identity():
    a, b = nnlib.tensor([1.0]), nnlib.tensor([1.0])
    assert len({a, b}) == 2 and {a: 1}[a] == 1


# --------------------------------------------------------------------- in-place updates
def test_inplace_update_under_no_grad_keeps_the_leaf():
    w = nnlib.tensor([1.0, 2.0], requires_grad=True)
    (w * w).sum().backward()
    grad_before = w.grad.data.copy()
    data_id = id(w.data)
    same = w
    with nnlib.no_grad():
        w -= 0.1 * nnlib.tensor(w.grad)
        w *= 2
        w += 1
        w /= 2
    assert w is same and id(w.data) == data_id
    assert w.requires_grad and w.is_leaf and w.grad_fn is None
    np.testing.assert_allclose(w.data, ((np.array([1.0, 2.0]) - 0.1 * grad_before) * 2 + 1) / 2,
                               rtol=1e-6)  # fmt: skip
    np.testing.assert_array_equal(w.grad, grad_before)
    assert w.dtype == np.float32


def test_inplace_update_with_ndarray_and_float64_keeps_dtype():
    w = nnlib.tensor([1.0, 2.0], requires_grad=True)
    with nnlib.no_grad():
        w -= np.array([0.5, 0.5])  # float64 array into a float32 leaf
    assert w.dtype == np.float32 and w.tolist() == [0.5, 1.5]


def test_inplace_on_leaf_requiring_grad_raises_clear_error():
    w = nnlib.tensor([1.0, 2.0], requires_grad=True)
    for update in ("+=", "-=", "*=", "/="):
        with pytest.raises(RuntimeError) as info:
            exec(f"w {update} 1.0", {"w": w})
        message = str(info.value)
        assert "leaf" in message and "no_grad" in message and "help:" in message
    assert w.tolist() == [1.0, 2.0]
    with pytest.raises(RuntimeError, match="leaf"):
        t = torch.tensor([1.0], requires_grad=True)
        t += 1


def test_inplace_on_plain_tensor_is_in_place():
    t = nnlib.zeros(3)
    data = t.data
    t += 1
    t *= nnlib.tensor([1.0, 2.0, 3.0])
    assert t.data is data and t.tolist() == [1.0, 2.0, 3.0]


def test_inplace_on_non_leaf_is_recorded_like_torch():
    def fn(x):
        y = x * 2
        y += x**2
        y *= 3
        y -= 1
        y /= 2
        return y

    check_parity(fn, fn, np.array([0.5, -1.0, 2.0]))


def test_accumulating_a_loss_into_a_plain_tensor_keeps_the_graph():
    """``total = zeros(()); total += loss`` must backpropagate, as in PyTorch."""

    def fn(w, zeros):
        total = zeros(())
        for k in range(3):
            total += (w * k).sum()
        return total

    check_parity(
        lambda w: fn(w, lambda s: nnlib.zeros(s, dtype=nnlib.float64)),
        lambda w: fn(w, lambda s: torch.zeros(s, dtype=torch.float64)),
        np.array([1.0, 2.0]),
    )


def test_requires_grad_on_int_tensor_raises():
    message = assert_bad_input(
        TypeError, "Tensor.requires_grad_", nnlib.tensor, [1, 2], requires_grad=True
    )
    assert "floating" in message
    assert_bad_input(TypeError, "Tensor.requires_grad_", nnlib.tensor([1, 2]).requires_grad_)
    assert_bad_input(
        TypeError, "Tensor.requires_grad_", nnlib.zeros, 2, dtype=nnlib.int64, requires_grad=True
    )
    with pytest.raises(RuntimeError):
        torch.tensor([1, 2], requires_grad=True)


def test_requires_grad_switch():
    t = nnlib.tensor([1.0]).requires_grad_()
    assert t.requires_grad
    assert not t.requires_grad_(False).requires_grad
    y = nnlib.tensor([1.0], requires_grad=True) * 2
    assert_bad_input(RuntimeError, "Tensor.requires_grad_", y.requires_grad_, False)


# ---------------------------------------------------------------------------- factories
def test_factories_shapes_and_dtypes():
    assert nnlib.zeros(2, 3).shape == (2, 3) and nnlib.zeros((2, 3)).dtype == np.float32
    assert nnlib.ones([4]).tolist() == [1.0] * 4
    assert nnlib.ones(2, dtype=nnlib.float64).dtype == np.float64
    assert nnlib.full((2, 2), 7.0).tolist() == [[7.0, 7.0], [7.0, 7.0]]
    assert nnlib.full(3, 1.5).shape == (3,)
    x = nnlib.tensor(np.ones((2, 3)))
    assert nnlib.zeros_like(x).dtype == np.float64 and nnlib.ones_like(x).shape == (2, 3)
    assert nnlib.zeros_like(x, requires_grad=True).requires_grad
    assert nnlib.arange(4).tolist() == [0, 1, 2, 3] and nnlib.arange(4).dtype == np.int64
    assert nnlib.arange(1, 2, 0.5).dtype == torch.arange(1, 2, 0.5).numpy().dtype
    assert nnlib.arange(5, dtype=nnlib.float64).dtype == np.float64
    assert_close(nnlib.linspace(0, 1, 5), torch.linspace(0, 1, 5), rtol=1e-7)
    np.testing.assert_array_equal(nnlib.eye(3).data, np.eye(3))
    r = nnlib.randn(3, 4, requires_grad=True)
    assert r.shape == (3, 4) and r.dtype == np.float32 and r.requires_grad and r.is_leaf
    assert nnlib.randn(2, dtype=nnlib.float64).dtype == np.float64
    u = nnlib.rand(1000)
    assert u.dtype == np.float32 and 0 <= u.data.min() and u.data.max() < 1
    i = nnlib.randint(0, 5, (100,))
    assert i.dtype == np.int64 and set(i.tolist()) <= set(range(5))


# ---------------------------------------------------------------------------- Parameter
def test_parameter_is_a_float_leaf_that_requires_grad():
    p = Parameter([[1, 2]])
    assert isinstance(p, Tensor) and p.requires_grad and p.is_leaf
    assert p.dtype == np.float32
    assert Parameter(np.zeros(2)).dtype == np.float64
    assert not Parameter([1.0], requires_grad=False).requires_grad
    y = p * 2
    assert type(y) is Tensor
    y.sum().backward()
    np.testing.assert_array_equal(p.grad, [[2.0, 2.0]])


# ---------------------------------------------------------------------------- bad input
def test_item_on_many_elements():
    message = assert_bad_input(ValueError, "Tensor.item", nnlib.tensor([1.0, 2.0]).item)
    assert message.startswith("Tensor.item:") and "(2,)" in message


def test_bool_of_many_elements_and_len_of_0d():
    assert_bad_input(RuntimeError, "bool(Tensor)", bool, nnlib.tensor([1.0, 2.0]))
    assert_bad_input(TypeError, None, len, nnlib.tensor(1.0))


def test_non_numeric_data_is_refused():
    assert_bad_input(TypeError, "Tensor", nnlib.tensor, ["a", "b"])
    assert_bad_input(TypeError, "Tensor", nnlib.tensor, np.array([None, 1.0]))


def test_from_numpy_refuses_lists():
    assert_bad_input(TypeError, "from_numpy", nnlib.from_numpy, [1.0, 2.0])


@pytest.mark.parametrize("seed", [-1, 1.5, "0", True])
def test_manual_seed_refuses_bad_seeds(seed):
    message = assert_bad_input(ValueError, "manual_seed", nnlib.manual_seed, seed)
    assert message.startswith("manual_seed:")


def test_iteration_gives_rows_and_refuses_0d_like_torch():
    rows = list(nnlib.tensor([[1.0, 2.0], [3.0, 4.0]]))
    assert [r.tolist() for r in rows] == [[1.0, 2.0], [3.0, 4.0]]
    a, b = nnlib.tensor([5, 6])
    assert (a.item(), b.item()) == (5, 6)
    assert_bad_input(TypeError, None, list, nnlib.tensor(3.0))
    with pytest.raises(TypeError):
        list(torch.tensor(3.0))
    check_parity(lambda t: sum(r * r for r in t), lambda t: sum(r * r for r in t), np.eye(3))


def test_numpy_reads_a_tensor_as_its_values() -> None:
    t = nnlib.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    arr = np.asarray(t)
    assert arr.dtype == np.float32 and arr.shape == (2, 2)
    np.testing.assert_array_equal(arr, t.data)
    assert np.asarray(t, dtype=np.float64).dtype == np.float64
    copied = np.array(t, copy=True)
    copied[0, 0] = 9.0
    assert t.data[0, 0] == 1.0  # a requested copy never writes through
    # Binary operations with arrays still go through Tensor (and record the graph).
    assert isinstance(np.ones((2, 2)) + t, nnlib.Tensor)


def test_fork_rng_restores_the_stream_even_after_manual_seed() -> None:
    from nnlib.random import fork_rng

    nnlib.manual_seed(3)
    expected = nnlib.rand(3).data
    nnlib.manual_seed(3)
    with fork_rng():
        nnlib.manual_seed(99)
        nnlib.randn(10)
    np.testing.assert_array_equal(nnlib.rand(3).data, expected)


def test_format_all_any_and_abs_as_in_pytorch():
    t = nnlib.tensor([[1.0, 0.0], [2.0, -3.0]])
    tt = torch.tensor([[1.0, 0.0], [2.0, -3.0]])
    assert f"{t[1, 1]:.2e}" == f"{tt[1, 1]:.2e}" == "-3.00e+00"
    with pytest.raises(TypeError, match="help: "):
        f"{t:.2f}"
    np.testing.assert_array_equal(t.all(dim=1).data, tt.all(dim=1).numpy())
    np.testing.assert_array_equal(t.any(axis=0).data, tt.any(axis=0).numpy())
    assert bool(np.all(t != 5)) and not bool(np.all(t != 0))  # NumPy calls t.all(axis=...)
    np.testing.assert_array_equal(abs(t).data, abs(tt).numpy())
