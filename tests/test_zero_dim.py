"""A 0-d tensor's ``.data`` stays a 0-d NumPy array through every operation.

NumPy returns a scalar (``np.float64``), not a 0-d array, from most operations on a 0-d
array; nnlib keeps ``Tensor.data`` an ``ndarray`` so that in-place updates, ``.shape`` and
the exercise checkers treat a loss like any other tensor.
"""

import numpy as np
import pytest

import nnlib

UNARY = {
    "neg": lambda t: -t,
    "exp": nnlib.exp,
    "log": nnlib.log,
    "abs": abs,
    "tanh": lambda t: t.tanh(),
    "sigmoid": lambda t: t.sigmoid(),
    "relu": lambda t: t.relu(),
    "pow": lambda t: t**2,
    "mul": lambda t: t * 3.0,
    "add": lambda t: t + 1.0,
    "sub": lambda t: 1.0 - t,
    "div": lambda t: 1.0 / t,
    "sum": lambda t: t.sum(),
    "mean": lambda t: t.mean(),
}


@pytest.mark.parametrize("name", list(UNARY))
def test_ops_on_a_0d_tensor_give_a_0d_array(name: str) -> None:
    t = nnlib.tensor(2.0, dtype=nnlib.float64, requires_grad=True)
    out = UNARY[name](t)
    assert type(out.data) is np.ndarray and out.data.shape == (), type(out.data)
    out.backward()
    assert type(t.grad.data) is np.ndarray and t.grad.shape == ()


def test_a_negated_loss_keeps_array_data() -> None:
    loss = nnlib.nn.functional.mse_loss(nnlib.tensor([1.0, 2.0]), nnlib.tensor([0.0, 0.0]))
    assert type((-loss).data) is np.ndarray
