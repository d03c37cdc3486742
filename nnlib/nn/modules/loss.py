r"""Loss modules with PyTorch's names and constructor arguments: ``nn.MSELoss()`` and friends.

Each one stores its options and calls the function of the same name in
:mod:`nnlib.nn.functional`, where the formulas, shapes and checks are documented. As there,
a target whose shape differs from the input's raises ``ValueError`` instead of broadcasting.

Taught in chapter 4 (loss functions).
"""

from __future__ import annotations

from nnlib._checks import check_reduction, error
from nnlib._tensor import Tensor
from nnlib.nn import functional as F
from nnlib.nn.modules.module import Module

__all__ = [
    "BCELoss",
    "BCEWithLogitsLoss",
    "CosineEmbeddingLoss",
    "CrossEntropyLoss",
    "GaussianNLLLoss",
    "HuberLoss",
    "KLDivLoss",
    "L1Loss",
    "MSELoss",
    "NLLLoss",
    "TripletMarginLoss",
]


class _Loss(Module):
    """Base of the loss modules, as in PyTorch: holds the checked ``reduction``.

    A subclass's ``forward`` calls the function of the same name in
    :mod:`nnlib.nn.functional` with ``reduction=self.reduction``.
    """

    def __init__(self, reduction: str = "mean") -> None:
        super().__init__()
        self._check_reduction(reduction)
        self.reduction = reduction

    def _check_reduction(self, reduction: str) -> None:
        check_reduction(type(self).__name__, reduction)

    def extra_repr(self) -> str:
        return f"reduction={self.reduction!r}" if self.reduction != "mean" else ""


class _WeightedLoss(_Loss):
    """A loss with an optional ``weight`` tensor, kept as a buffer (saved with the module)."""

    def __init__(self, weight: Tensor | None = None, reduction: str = "mean") -> None:
        super().__init__(reduction)
        self.register_buffer("weight", weight)


class MSELoss(_Loss):
    r"""Mean squared error :math:`\frac1N \sum (\hat y - y)^2`; see :func:`~nnlib.nn.functional.mse_loss`.

    Args:
        reduction: ``'mean'`` (default), ``'sum'`` or ``'none'``.

    Shape:
        - Input and target: the same shape, any.
        - Output: a scalar, or the input's shape for ``'none'``.

    Example:
        >>> import nnlib
        >>> from nnlib import nn
        >>> nn.MSELoss()(nnlib.tensor([1.0, 2.0]), nnlib.tensor([1.0, 4.0])).item()
        2.0

    Taught in chapter 4 (loss functions).
    """  # noqa: E501

    def __init__(self, reduction: str = "mean") -> None:
        super().__init__(reduction)

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        return F.mse_loss(input, target, reduction=self.reduction)


class L1Loss(_Loss):
    r"""Mean absolute error :math:`\frac1N \sum |\hat y - y|`; see :func:`~nnlib.nn.functional.l1_loss`.

    Args:
        reduction: ``'mean'`` (default), ``'sum'`` or ``'none'``.

    Example:
        >>> import nnlib
        >>> from nnlib import nn
        >>> nn.L1Loss()(nnlib.tensor([1.0, 2.0]), nnlib.tensor([1.0, 4.0])).item()
        1.0

    Taught in chapter 4 (loss functions).
    """  # noqa: E501

    def __init__(self, reduction: str = "mean") -> None:
        super().__init__(reduction)

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        return F.l1_loss(input, target, reduction=self.reduction)


class HuberLoss(_Loss):
    r"""Huber loss: quadratic below ``delta``, linear above; see :func:`~nnlib.nn.functional.huber_loss`.

    Args:
        reduction: ``'mean'`` (default), ``'sum'`` or ``'none'``.
        delta: Where the quadratic part turns linear.

    Example:
        >>> import nnlib
        >>> from nnlib import nn
        >>> nn.HuberLoss(delta=1.0)(nnlib.tensor([3.0]), nnlib.tensor([0.0])).item()
        2.5

    Taught in chapter 4 (loss functions).
    """  # noqa: E501

    def __init__(self, reduction: str = "mean", delta: float = 1.0) -> None:
        super().__init__(reduction)
        self.delta = delta

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        return F.huber_loss(input, target, reduction=self.reduction, delta=self.delta)


class BCELoss(_WeightedLoss):
    r"""Binary cross-entropy on probabilities; see :func:`~nnlib.nn.functional.binary_cross_entropy`.

    Prefer :class:`BCEWithLogitsLoss` on raw scores: it is numerically stable.

    Args:
        weight: Optional rescaling of each element's loss, broadcastable to the input.
        reduction: ``'mean'`` (default), ``'sum'`` or ``'none'``.

    Example:
        >>> import nnlib
        >>> from nnlib import nn
        >>> round(nn.BCELoss()(nnlib.tensor([0.9]), nnlib.tensor([1.0])).item(), 4)
        0.1054

    Taught in chapter 4 (loss functions).
    """  # noqa: E501

    def __init__(self, weight: Tensor | None = None, reduction: str = "mean") -> None:
        super().__init__(weight, reduction)

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        return F.binary_cross_entropy(input, target, self.weight, reduction=self.reduction)


class BCEWithLogitsLoss(_WeightedLoss):
    r"""Sigmoid + binary cross-entropy in one stable step; see :func:`~nnlib.nn.functional.binary_cross_entropy_with_logits`.

    Args:
        weight: Optional rescaling of each element's loss, broadcastable to the input.
        reduction: ``'mean'`` (default), ``'sum'`` or ``'none'``.
        pos_weight: Optional weight of positive examples, one per class (shape ``(C,)``).

    Example:
        >>> import nnlib
        >>> from nnlib import nn
        >>> round(nn.BCEWithLogitsLoss()(nnlib.tensor([0.0]), nnlib.tensor([1.0])).item(), 4)
        0.6931

    Taught in chapter 4 (loss functions).
    """  # noqa: E501

    def __init__(
        self,
        weight: Tensor | None = None,
        reduction: str = "mean",
        pos_weight: Tensor | None = None,
    ) -> None:
        super().__init__(weight, reduction)
        self.register_buffer("pos_weight", pos_weight)

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        return F.binary_cross_entropy_with_logits(
            input, target, self.weight, reduction=self.reduction, pos_weight=self.pos_weight
        )


class CrossEntropyLoss(_WeightedLoss):
    r"""Cross-entropy on logits (log-softmax + NLL, fused); see :func:`~nnlib.nn.functional.cross_entropy`.

    Args:
        weight: Optional weight per class, shape ``(C,)``.
        ignore_index: Targets equal to it are skipped.
        reduction: ``'mean'`` (default, weighted), ``'sum'`` or ``'none'``.
        label_smoothing: Mix :math:`\varepsilon` of the uniform distribution into the target.

    Shape:
        - Input: logits ``(N, C)`` (or ``(C,)``, ``(N, C, d1, ...)``).
        - Target: class indices ``(N,)``, or class probabilities ``(N, C)``.
        - Output: a scalar, or ``(N,)`` for ``'none'``.

    Example:
        >>> import nnlib
        >>> from nnlib import nn
        >>> loss_fn = nn.CrossEntropyLoss()
        >>> round(loss_fn(nnlib.tensor([[0.0, 0.0]]), nnlib.tensor([1])).item(), 4)
        0.6931

    Taught in chapter 4 (loss functions).
    """  # noqa: E501

    def __init__(
        self,
        weight: Tensor | None = None,
        ignore_index: int = -100,
        reduction: str = "mean",
        label_smoothing: float = 0.0,
    ) -> None:
        super().__init__(weight, reduction)
        self.ignore_index = ignore_index
        self.label_smoothing = label_smoothing

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        return F.cross_entropy(
            input,
            target,
            self.weight,
            ignore_index=self.ignore_index,
            reduction=self.reduction,
            label_smoothing=self.label_smoothing,
        )


class NLLLoss(_WeightedLoss):
    r"""Negative log-likelihood of the true class; see :func:`~nnlib.nn.functional.nll_loss`.

    Expects log-probabilities (``LogSoftmax`` output), not logits.

    Args:
        weight: Optional weight per class, shape ``(C,)``.
        ignore_index: Targets equal to it are skipped.
        reduction: ``'mean'`` (default, weighted), ``'sum'`` or ``'none'``.

    Example:
        >>> import nnlib
        >>> from nnlib import nn
        >>> nn.NLLLoss()(nnlib.tensor([[-0.5, -1.0]]), nnlib.tensor([1])).item()
        1.0

    Taught in chapter 4 (loss functions).
    """

    def __init__(
        self, weight: Tensor | None = None, ignore_index: int = -100, reduction: str = "mean"
    ) -> None:
        super().__init__(weight, reduction)
        self.ignore_index = ignore_index

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        return F.nll_loss(
            input, target, self.weight, ignore_index=self.ignore_index, reduction=self.reduction
        )


class GaussianNLLLoss(_Loss):
    r"""Gaussian negative log-likelihood with a predicted variance; see :func:`~nnlib.nn.functional.gaussian_nll_loss`.

    Args:
        full: Include the constant :math:`\tfrac12 \log 2\pi`.
        eps: Lower clamp of the variance.
        reduction: ``'mean'`` (default), ``'sum'`` or ``'none'``.

    Shape:
        ``forward(input, target, var)``: ``var`` has the input's shape, or that shape with
        the last dimension 1 or missing.

    Example:
        >>> import nnlib
        >>> from nnlib import nn
        >>> loss_fn = nn.GaussianNLLLoss()
        >>> loss_fn(nnlib.tensor([0.0]), nnlib.tensor([1.0]), nnlib.tensor([1.0])).item()
        0.5

    Taught in chapter 4 (loss functions).
    """  # noqa: E501

    def __init__(self, *, full: bool = False, eps: float = 1e-6, reduction: str = "mean") -> None:
        super().__init__(reduction)
        self.full = full
        self.eps = eps

    def forward(self, input: Tensor, target: Tensor, var: Tensor | float) -> Tensor:
        return F.gaussian_nll_loss(
            input, target, var, full=self.full, eps=self.eps, reduction=self.reduction
        )


class KLDivLoss(_Loss):
    r"""KL divergence with log-probability input; see :func:`~nnlib.nn.functional.kl_div`.

    Use ``reduction='batchmean'`` for the true KL divergence per example: the default
    ``'mean'`` also divides by the number of classes (PyTorch's default, kept).

    Args:
        reduction: ``'mean'`` (default), ``'batchmean'``, ``'sum'`` or ``'none'``.
        log_target: Whether the target holds log-probabilities.

    Example:
        >>> import nnlib
        >>> from nnlib import nn
        >>> kl = nn.KLDivLoss(reduction='batchmean')
        >>> kl(nnlib.tensor([[0.5, 0.5]]).log(), nnlib.tensor([[0.5, 0.5]])).item()
        0.0

    Taught in chapter 4 (loss functions).
    """

    def __init__(self, reduction: str = "mean", log_target: bool = False) -> None:
        super().__init__(reduction)
        self.log_target = log_target

    def _check_reduction(self, reduction: str) -> None:
        if reduction not in ("mean", "batchmean", "sum", "none"):
            error(
                "KLDivLoss",
                "reduction 'mean', 'batchmean', 'sum' or 'none'",
                repr(reduction),
                "use reduction='batchmean' for the KL divergence per example.",
            )

    def extra_repr(self) -> str:
        return f"reduction={self.reduction!r}, log_target={self.log_target}"

    def forward(self, input: Tensor, target: Tensor) -> Tensor:
        return F.kl_div(input, target, reduction=self.reduction, log_target=self.log_target)


class TripletMarginLoss(_Loss):
    r"""Triplet margin loss on embeddings; see :func:`~nnlib.nn.functional.triplet_margin_loss`.

    Args:
        margin: Required gap between positive and negative distances.
        p: The norm's degree.
        eps: Added to the differences before the norm.
        swap: Use the distance swap.
        reduction: ``'mean'`` (default), ``'sum'`` or ``'none'``.

    Example:
        >>> import nnlib
        >>> from nnlib import nn
        >>> a, pos, neg = nnlib.zeros(1, 2), nnlib.zeros(1, 2), nnlib.ones(1, 2) * 10
        >>> nn.TripletMarginLoss()(a, pos, neg).item()
        0.0

    Taught in chapter 4 (loss functions).
    """

    def __init__(
        self,
        margin: float = 1.0,
        p: float = 2.0,
        eps: float = 1e-6,
        swap: bool = False,
        reduction: str = "mean",
    ) -> None:
        super().__init__(reduction)
        self.margin, self.p, self.eps, self.swap = margin, p, eps, swap

    def forward(self, anchor: Tensor, positive: Tensor, negative: Tensor) -> Tensor:
        return F.triplet_margin_loss(
            anchor,
            positive,
            negative,
            margin=self.margin,
            p=self.p,
            eps=self.eps,
            swap=self.swap,
            reduction=self.reduction,
        )


class CosineEmbeddingLoss(_Loss):
    r"""Cosine embedding loss for pairs labelled 1 or -1; see :func:`~nnlib.nn.functional.cosine_embedding_loss`.

    Args:
        margin: For dissimilar pairs, cosines below it cost nothing.
        reduction: ``'mean'`` (default), ``'sum'`` or ``'none'``.

    Example:
        >>> import nnlib
        >>> from nnlib import nn
        >>> a = nnlib.tensor([[1.0, 0.0]])
        >>> nn.CosineEmbeddingLoss()(a, a, nnlib.tensor([1])).item()
        0.0

    Taught in chapter 4 (loss functions).
    """  # noqa: E501

    def __init__(self, margin: float = 0.0, reduction: str = "mean") -> None:
        super().__init__(reduction)
        self.margin = margin

    def forward(self, input1: Tensor, input2: Tensor, target: Tensor) -> Tensor:
        return F.cosine_embedding_loss(
            input1, input2, target, margin=self.margin, reduction=self.reduction
        )
