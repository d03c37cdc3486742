"""A residual block built from nnlib modules (a branch plus ``nn.Identity`` as the skip)
matches the same block in PyTorch, forward and backward, in float64; and the chapter 8
claim that the skip carries the gradient: with the branch's weights at zero the block's
input gradient is exactly the output gradient."""

import numpy as np
import torch

import nnlib
from nnlib import nn


class Residual(nn.Module):
    def __init__(self, width: int) -> None:
        super().__init__()
        self.branch = nn.Sequential(nn.Linear(width, width), nn.ReLU())
        self.skip = nn.Identity()

    def forward(self, x):
        return self.skip(x) + self.branch(x)


class TorchResidual(torch.nn.Module):
    def __init__(self, width: int) -> None:
        super().__init__()
        self.branch = torch.nn.Sequential(torch.nn.Linear(width, width), torch.nn.ReLU())
        self.skip = torch.nn.Identity()

    def forward(self, x):
        return self.skip(x) + self.branch(x)


def _pair(depth: int = 5, width: int = 6):
    nnlib.manual_seed(0)
    ours = nn.Sequential(*[Residual(width) for _ in range(depth)]).double()
    theirs = torch.nn.Sequential(*[TorchResidual(width) for _ in range(depth)]).double()
    with torch.no_grad():
        for p, q in zip(ours.parameters(), theirs.parameters(), strict=True):
            q.copy_(torch.from_numpy(p.data))
    return ours, theirs


def test_residual_stack_matches_torch_forward_and_backward():
    ours, theirs = _pair()
    x = np.random.default_rng(1).normal(size=(4, 6))
    xa = nnlib.tensor(x, requires_grad=True)
    xt = torch.tensor(x, requires_grad=True)
    out_a, out_t = ours(xa), theirs(xt)
    np.testing.assert_allclose(out_a.data, out_t.detach().numpy(), rtol=1e-12, atol=1e-14)
    (out_a * out_a).sum().backward()
    (out_t * out_t).sum().backward()
    np.testing.assert_allclose(xa.grad.data, xt.grad.numpy(), rtol=1e-12, atol=1e-14)
    for p, q in zip(ours.parameters(), theirs.parameters(), strict=True):
        np.testing.assert_allclose(p.grad.data, q.grad.numpy(), rtol=1e-12, atol=1e-14)


def test_the_skip_passes_the_gradient_unchanged_when_the_branch_is_zero():
    ours, _ = _pair(depth=20)
    for p in ours.parameters():
        p.data[...] = 0.0
    x = nnlib.tensor(np.random.default_rng(2).normal(size=(3, 6)), requires_grad=True)
    g = np.random.default_rng(3).normal(size=(3, 6))
    (ours(x) * nnlib.tensor(g)).sum().backward()
    np.testing.assert_array_equal(x.grad.data, g)
