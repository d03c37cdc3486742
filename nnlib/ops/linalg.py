"""Matrix products: ``matmul`` (the ``@`` operator) and the fused affine map ``linear``.

``linear`` computes :math:`x W^\\top + b` as one graph node with one backward rule, which is
both how the maths is written in chapter 2 and the fastest way to run it.

Taught in chapter 2 (backpropagation).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from nnlib._graph import as_tensor, from_op
from nnlib.ops.pointwise import unbroadcast

if TYPE_CHECKING:
    from nnlib._tensor import Tensor


def matmul(a: Any, b: Any) -> Tensor:
    r"""Matrix product ``a @ b`` with NumPy's (and PyTorch's) rules for 1-d and batched inputs.

    For matrices, :math:`C = AB` has gradients :math:`\partial L/\partial A = G B^\top` and
    :math:`\partial L/\partial B = A^\top G`.
    """
    a, b = as_tensor(a), as_tensor(b)
    ad, bd = a.data, b.data
    if ad.ndim == 0 or bd.ndim == 0:
        raise ValueError(
            f"matmul: expected tensors with at least one dimension, got shapes {ad.shape} "
            f"and {bd.shape}.\nhelp: use * to multiply by a scalar."
        )
    if ad.shape[-1] != bd.shape[0 if bd.ndim == 1 else -2]:
        inner_b = bd.shape[0 if bd.ndim == 1 else -2]
        raise ValueError(
            f"matmul: expected the last dimension of the first tensor to equal the "
            f"{'first' if bd.ndim == 1 else 'second-to-last'} dimension of the second, got "
            f"shapes {ad.shape} and {bd.shape} ({ad.shape[-1]} vs {inner_b}).\n"
            "help: check which matrix should be transposed (.T)."
        )
    try:
        out = ad @ bd
    except ValueError:  # the batch dimensions do not broadcast
        raise ValueError(
            f"matmul: expected batch dimensions that broadcast, got shapes {ad.shape} and "
            f"{bd.shape}.\nhelp: all but the last two dimensions must be equal or 1."
        ) from None

    if ad.ndim == 2 and bd.ndim == 2:  # the common case, without any reshaping

        def backward2(g: np.ndarray) -> tuple[np.ndarray | None, np.ndarray | None]:
            ga = g @ bd.T if a.requires_grad else None
            gb = ad.T @ g if b.requires_grad else None
            return ga, gb

        return from_op(out, (a, b), backward2, "MmBackward", _saved_mm(a, b))

    def backward(g: np.ndarray) -> tuple[np.ndarray | None, np.ndarray | None]:
        a2 = ad[None, :] if ad.ndim == 1 else ad
        b2 = bd[:, None] if bd.ndim == 1 else bd
        g2 = g
        # Put back the dimensions that 1-d inputs dropped: b's column first, then a's row,
        # so that a vector-vector product's 0-d gradient becomes a (1, 1) matrix.
        if bd.ndim == 1:
            g2 = np.expand_dims(g2, -1)
        if ad.ndim == 1:
            g2 = np.expand_dims(g2, -2)
        ga = gb = None
        if a.requires_grad:
            ga = unbroadcast(g2 @ np.swapaxes(b2, -1, -2), a2.shape).reshape(ad.shape)
        if b.requires_grad:
            gb = unbroadcast(np.swapaxes(a2, -1, -2) @ g2, b2.shape).reshape(bd.shape)
        return ga, gb

    return from_op(out, (a, b), backward, "MatmulBackward", _saved_mm(a, b))


def _saved_mm(a: Tensor, b: Tensor) -> tuple[Tensor, ...]:
    """What a product saves, as in PyTorch: each factor only if the other needs a gradient."""
    return ((b,) if a.requires_grad else ()) + ((a,) if b.requires_grad else ())


def linear(x: Tensor, weight: Tensor, bias: Tensor | None = None) -> Tensor:
    r"""The affine map :math:`y = x W^\top + b` as a single graph node.

    Backward, with :math:`G = \partial L/\partial y` of shape ``(N, out)``:
    :math:`\partial L/\partial x = G W`, :math:`\partial L/\partial W = G^\top x`,
    :math:`\partial L/\partial b = \sum_n G_n`. The product for :math:`x` is skipped when
    :math:`x` needs no gradient (the input layer), which saves the largest matrix product.

    Args:
        x: Input of shape ``(*, in_features)``.
        weight: Weight of shape ``(out_features, in_features)``.
        bias: Optional bias of shape ``(out_features,)``.

    Returns:
        Output of shape ``(*, out_features)``.
    """
    xd, wd = x.data, weight.data
    out = xd @ wd.T
    if bias is not None:
        out += bias.data
        parents: tuple[Tensor, ...] = (x, weight, bias)
    else:
        parents = (x, weight)

    def backward(g: np.ndarray) -> tuple[np.ndarray | None, ...]:
        gx = g @ wd if x.requires_grad else None
        g2 = g.reshape(-1, g.shape[-1]) if g.ndim != 2 else g
        x2 = xd.reshape(-1, xd.shape[-1]) if xd.ndim != 2 else xd
        gw = g2.T @ x2 if weight.requires_grad else None
        if bias is None:
            return gx, gw
        return gx, gw, (g2.sum(axis=0) if bias.requires_grad else None)

    return from_op(out, parents, backward, "AddmmBackward", _saved_mm(x, weight))
