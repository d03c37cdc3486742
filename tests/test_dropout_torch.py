"""Dropout against PyTorch (chapter 7). The two libraries draw masks from different
generators, so the comparison is statistical: the fraction dropped, the value of the kept
elements, the gradient (the mask, scaled) and the identity in evaluation mode."""

import numpy as np
import pytest
import torch

import nnlib
from nnlib import nn
from nnlib.nn import functional as F


@pytest.mark.parametrize("p", [0.1, 0.3, 0.5, 0.8])
def test_dropout_statistics_match_torch(p):
    nnlib.manual_seed(0)
    torch.manual_seed(0)
    shape = (400, 500)
    x = nnlib.ones(*shape, dtype=nnlib.float64, requires_grad=True)
    xt = torch.ones(*shape, dtype=torch.float64, requires_grad=True)
    out, out_t = F.dropout(x, p), torch.nn.functional.dropout(xt, p)
    out.sum().backward()
    out_t.sum().backward()
    tol = 5 * np.sqrt(p * (1 - p) / out.data.size)
    assert abs(np.mean(out.data == 0) - p) < tol
    assert abs((out_t == 0).double().mean().item() - p) < tol
    kept, kept_t = out.data[out.data > 0], out_t.detach().numpy()[out_t.detach().numpy() > 0]
    np.testing.assert_allclose(kept, 1 / (1 - p), rtol=0, atol=1e-15)
    np.testing.assert_allclose(kept_t, 1 / (1 - p), rtol=0, atol=1e-15)
    np.testing.assert_array_equal(x.grad.data, out.data)  # d(sum)/dx = mask / (1 - p)
    torch.testing.assert_close(xt.grad, out_t.detach(), rtol=0, atol=0)


def test_dropout_module_is_identity_in_eval_mode_like_torch():
    x = nnlib.tensor(np.linspace(-2, 2, 24).reshape(4, 6))
    xt = torch.tensor(x.data)
    ours, theirs = nn.Dropout(0.5).eval(), torch.nn.Dropout(0.5).eval()
    np.testing.assert_array_equal(ours(x).data, theirs(xt).numpy())
    assert repr(ours) == repr(theirs)


def test_dropout_mean_and_variance_match_the_chapter_formula():
    # E[y] = x and Var[y] = x^2 p / (1 - p), as derived in chapter 7's Exercise 2.
    nnlib.manual_seed(1)
    p, value = 0.25, 3.0
    y = F.dropout(nnlib.full((1_000_000,), value, dtype=nnlib.float64), p).data
    assert abs(y.mean() - value) < 5 * np.sqrt(value**2 * p / (1 - p) / y.size)
    assert abs(y.var() / (value**2 * p / (1 - p)) - 1) < 0.01
