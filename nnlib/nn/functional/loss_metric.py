r"""Loss functions, part 4: divergences and distances (``kl_div``, triplet, cosine embedding).

These compare distributions (:func:`kl_div`) or learn embeddings in which similar examples
sit close together (:func:`triplet_margin_loss`, :func:`cosine_embedding_loss`).

Taught in chapter 4 (loss functions).
"""

from __future__ import annotations

import numpy as np

from nnlib._checks import check_reduction, error, shape_str
from nnlib._tensor import Tensor, as_tensor, from_op
from nnlib.nn.functional._loss_common import floating, like, reduce_loss, same_shape
from nnlib.ops import pointwise as P
from nnlib.ops import reduce as R

__all__ = ["cosine_embedding_loss", "kl_div", "triplet_margin_loss"]


def kl_div(
    input: Tensor, target: Tensor, reduction: str = "mean", log_target: bool = False
) -> Tensor:
    r"""Kullback-Leibler divergence :math:`\mathrm{KL}(P \,\|\, Q)`, with :math:`Q` given as logs.

    .. math::

        \ell_i = p_i \left( \log p_i - \log q_i \right)

    where ``input`` holds :math:`\log q` (log-probabilities, e.g. from ``log_softmax``) and
    ``target`` holds :math:`p` (or :math:`\log p` with ``log_target=True``). Terms with
    :math:`p_i = 0` are 0.

    **Pitfall:** ``reduction='mean'`` (the default, kept for PyTorch compatibility) averages
    over *all* elements, which is the KL divergence divided by the number of classes too.
    Use ``reduction='batchmean'`` for the true mean KL per example (sum / batch size).

    Args:
        input: Log-probabilities :math:`\log q`, shape ``(N, *)``.
        target: Probabilities :math:`p` (or :math:`\log p`), the same shape as ``input``.
        reduction: ``'mean'`` (default, see the pitfall), ``'batchmean'``, ``'sum'`` or
            ``'none'``.
        log_target: Whether ``target`` holds log-probabilities.

    Returns:
        A scalar tensor, or the per-element terms for ``reduction='none'``.

    Example:
        >>> import nnlib
        >>> from nnlib.nn import functional as F
        >>> p = nnlib.tensor([[0.5, 0.5]])
        >>> log_q = nnlib.tensor([[0.25, 0.75]]).log()
        >>> round(F.kl_div(log_q, p, reduction='batchmean').item(), 4)
        0.1438

    Taught in chapter 4 (loss functions).
    """
    where = "kl_div"
    if reduction not in ("mean", "batchmean", "sum", "none"):
        error(
            where,
            "reduction 'mean', 'batchmean', 'sum' or 'none'",
            repr(reduction),
            "use reduction='batchmean' for the KL divergence per example.",
        )
    input = floating(where, input)
    target = like(target, input)
    same_shape(where, input, target)
    x, t = input.data, target.data
    if log_target:
        p = np.exp(t)
        loss = p * (t - x)
    else:
        with np.errstate(divide="ignore", invalid="ignore"):
            log_t = np.where(t > 0, np.log(np.where(t > 0, t, 1)), 0)
        loss = np.where(t > 0, t * log_t, 0) - t * x
        p = t
    if reduction == "none":
        count = 1.0
    elif reduction == "mean":
        count = float(max(x.size, 1))
    elif reduction == "batchmean" and x.ndim:
        count = float(x.shape[0])
    else:
        count = 1.0

    def backward(g: np.ndarray) -> tuple[np.ndarray | None, np.ndarray | None]:
        g = g / count
        gx = -p * g if input.requires_grad else None
        gt = None
        if target.requires_grad:
            if log_target:
                gt = g * p * (t - x + 1)
            else:
                gt = np.where(t > 0, g * (log_t + 1 - x), 0)
        return gx, gt

    out = loss if reduction == "none" else np.asarray(loss.sum() / count, dtype=x.dtype)
    return from_op(out.astype(x.dtype, copy=False), (input, target), backward, "KlDivBackward")


def _pairwise_distance(x1: Tensor, x2: Tensor, p: float, eps: float) -> Tensor:
    """PyTorch's ``pairwise_distance``: the p-norm of ``x1 - x2 + eps`` along the last axis."""
    diff = P.add(P.sub(x1, x2), eps)
    if p == 2:
        return P.sqrt(R.sum(P.mul(diff, diff), dim=-1))
    if p == 1:
        return R.sum(P.abs(diff), dim=-1)
    return P.pow(R.sum(P.pow(P.abs(diff), p), dim=-1), 1.0 / p)


def triplet_margin_loss(
    anchor: Tensor,
    positive: Tensor,
    negative: Tensor,
    margin: float = 1.0,
    p: float = 2,
    eps: float = 1e-6,
    swap: bool = False,
    reduction: str = "mean",
) -> Tensor:
    r"""Triplet margin loss: pull the positive closer to the anchor than the negative, by a margin.

    .. math::

        \ell_n = \max\left(d(a_n, p_n) - d(a_n, n_n) + \mathrm{margin},\; 0\right), \qquad
        d(x, y) = \lVert x - y + \varepsilon \rVert_p

    As PyTorch's ``pairwise_distance``, :math:`\varepsilon` is added to the difference (it
    keeps the norm's gradient finite when two embeddings coincide). With ``swap=True`` the
    negative distance is :math:`\min(d(a, n), d(p, n))` (Balntas et al., 2016).

    Args:
        anchor: Embeddings of shape ``(N, D)`` or ``(D,)``.
        positive: Embeddings of the same class, the same shape.
        negative: Embeddings of another class, the same shape.
        margin: Required gap between the two distances.
        p: The norm's degree (:math:`p > 0`; 2 is Euclidean).
        eps: Added to the difference before the norm.
        swap: Use the distance swap.
        reduction: ``'mean'`` (default), ``'sum'`` or ``'none'``.

    Returns:
        A scalar tensor, or the per-triplet losses of shape ``(N,)`` for ``'none'``.

    Example:
        >>> import nnlib
        >>> from nnlib.nn import functional as F
        >>> a, pos, neg = nnlib.tensor([[0.0, 0.0]]), nnlib.tensor([[3.0, 4.0]]), nnlib.tensor([[0.0, 1.0]])
        >>> round(F.triplet_margin_loss(a, pos, neg).item(), 4)
        5.0

    Taught in chapter 4 (loss functions).
    """  # noqa: E501
    where = "triplet_margin_loss"
    check_reduction(where, reduction)
    if not (p > 0 and np.isfinite(p)):
        error(where, "a finite norm degree p > 0", repr(p), "use p=2 (Euclidean) or p=1.")
    anchor = floating(where, anchor, "anchor")
    positive = like(positive, anchor)
    negative = like(negative, anchor)
    if anchor.data.ndim not in (1, 2):
        error(
            where,
            "embeddings of shape (N, D) or (D,)",
            f"anchor of shape {shape_str(anchor.data.shape)}",
            "flatten each embedding first, e.g. anchor.flatten(1).",
        )
    same_shape(where, anchor, positive, "positive")
    same_shape(where, anchor, negative, "negative")
    d_pos = _pairwise_distance(anchor, positive, p, eps)
    d_neg = _pairwise_distance(anchor, negative, p, eps)
    if swap:
        d_swap = _pairwise_distance(positive, negative, p, eps)
        d_neg = P.neg(P.maximum(P.neg(d_neg), P.neg(d_swap)))  # element-wise minimum
    loss = P.clip(P.add(P.sub(d_pos, d_neg), margin), min=0.0)
    return reduce_loss(where, loss, reduction)


_EPSILON = 1e-12  # PyTorch's EPSILON in cosine_embedding_loss


def cosine_embedding_loss(
    input1: Tensor,
    input2: Tensor,
    target: Tensor,
    margin: float = 0.0,
    reduction: str = "mean",
) -> Tensor:
    r"""Cosine embedding loss: make pairs similar (:math:`y = 1`) or dissimilar (:math:`y = -1`).

    .. math::

        \ell_n = \begin{cases}
            1 - \cos(x_{1,n}, x_{2,n}) & y_n = 1 \\
            \max\left(0, \cos(x_{1,n}, x_{2,n}) - \mathrm{margin}\right) & y_n = -1
        \end{cases}

    with :math:`\cos(a, b) = a \cdot b / \sqrt{(\lVert a\rVert^2 + \epsilon)
    (\lVert b\rVert^2 + \epsilon)}` and :math:`\epsilon = 10^{-12}`, as PyTorch (so a zero
    vector gives cosine 0 instead of NaN).

    Args:
        input1: Embeddings of shape ``(N, D)`` or ``(D,)``.
        input2: Embeddings of the same shape.
        target: Labels 1 or -1, shape ``(N,)`` (or ``()``). Other values raise ``ValueError``.
        margin: For dissimilar pairs, cosines below it cost nothing; in :math:`[-1, 1]`.
        reduction: ``'mean'`` (default), ``'sum'`` or ``'none'``.

    Returns:
        A scalar tensor, or the per-pair losses for ``'none'``.

    Example:
        >>> import nnlib
        >>> from nnlib.nn import functional as F
        >>> a, b = nnlib.tensor([[1.0, 0.0], [1.0, 0.0]]), nnlib.tensor([[1.0, 1.0], [1.0, 1.0]])
        >>> F.cosine_embedding_loss(a, b, nnlib.tensor([1, -1]), reduction='none')
        tensor([0.2929, 0.7071])

    Taught in chapter 4 (loss functions).
    """
    where = "cosine_embedding_loss"
    check_reduction(where, reduction)
    input1 = floating(where, input1, "input1")
    input2 = like(input2, input1)
    same_shape(where, input1, input2, "input2")
    target = as_tensor(target)
    shape = input1.data.shape
    if len(shape) not in (1, 2):
        error(
            where,
            "embeddings of shape (N, D) or (D,)",
            f"input1 of shape {shape_str(shape)}",
            "flatten each embedding first, e.g. input1.flatten(1).",
        )
    if target.data.shape != shape[:-1]:
        error(
            where,
            f"target of shape {shape_str(shape[:-1])} (one label per pair)",
            shape_str(target.data.shape),
            "pass one label, 1 (similar) or -1 (dissimilar), per pair of embeddings.",
        )
    t = target.data
    if not np.all((t == 1) | (t == -1)):
        bad = t[(t != 1) & (t != -1)].ravel()[0]
        error(
            where,
            "target labels 1 (similar) or -1 (dissimilar)",
            f"the value {bad}",
            "labels in {0, 1} become 2 * y - 1.",
        )
    prod = R.sum(P.mul(input1, input2), dim=-1)
    mag1 = P.add(R.sum(P.mul(input1, input1), dim=-1), _EPSILON)
    mag2 = P.add(R.sum(P.mul(input2, input2), dim=-1), _EPSILON)
    cos = P.div(prod, P.sqrt(P.mul(mag1, mag2)))
    pos = P.add(P.neg(cos), 1.0)
    neg = P.clip(P.sub(cos, margin), min=0.0)
    return reduce_loss(where, P.where(t == 1, pos, neg), reduction)
