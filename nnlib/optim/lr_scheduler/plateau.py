"""Cut the learning rate when a metric stops improving: :class:`ReduceLROnPlateau`.

Import it from :mod:`nnlib.optim.lr_scheduler`.
"""

from __future__ import annotations

import math
from typing import Any, SupportsFloat

from nnlib._checks import error
from nnlib.optim.lr_scheduler.base import LRScheduler, _check_optimizer, _warn_epoch_deprecated
from nnlib.optim.optimizer import Optimizer


class ReduceLROnPlateau(LRScheduler):
    r"""Multiply the learning rates by ``factor`` when a metric has stopped improving.

    Call ``scheduler.step(metric)`` once per epoch with a validation metric (a loss with
    ``mode='min'``, an accuracy with ``mode='max'``). A value is an improvement on the
    best so far, :math:`b`, when (for ``mode='min'``)

    .. math::

        v < b\,(1 - \text{threshold}) \;\; (\text{'rel'}) \qquad\text{or}\qquad
        v < b - \text{threshold} \;\; (\text{'abs'})

    (and symmetrically above for ``'max'``). After more than ``patience`` epochs in a row
    without improvement, every group's rate becomes
    :math:`\max(\eta \cdot \text{factor}, \text{min\_lr})` (changes smaller than ``eps``
    are skipped), and the count of bad epochs is ignored for ``cooldown`` epochs.

    Args:
        optimizer: The optimizer whose learning rates this scheduler sets.
        mode: ``'min'`` (default) or ``'max'``: whether the metric should fall or rise.
        factor: The factor to multiply the rate by, below 1 (default 0.1).
        patience: Epochs without improvement tolerated before a cut (default 10).
        threshold: The least change that counts as an improvement (default 1e-4).
        threshold_mode: ``'rel'`` (default, a fraction of the best) or ``'abs'``.
        cooldown: Epochs to wait after a cut before counting bad epochs again (default 0).
        min_lr: The lowest rate, one number or one per parameter group (default 0).
        eps: Changes of the rate smaller than this are not made (default 1e-8).

    Raises:
        ValueError: for ``factor >= 1``, an unknown ``mode`` or ``threshold_mode``, a
            negative ``patience`` or ``cooldown``, or a ``min_lr`` list of the wrong length.

    Example:
        >>> import numpy as np
        >>> from nnlib.nn import Parameter
        >>> from nnlib.optim import SGD
        >>> from nnlib.optim.lr_scheduler import ReduceLROnPlateau
        >>> opt = SGD([Parameter(np.zeros(1))], lr=1.0)
        >>> scheduler = ReduceLROnPlateau(opt, factor=0.5, patience=1)
        >>> lrs = []
        >>> for val_loss in [1.0, 0.9, 0.95, 0.93, 0.92, 0.8]:
        ...     opt.step()
        ...     scheduler.step(val_loss)
        ...     lrs.append(scheduler.get_last_lr()[0])
        >>> lrs
        [1.0, 1.0, 1.0, 0.5, 0.5, 0.5]

    Taught in chapter 10 (A recipe for training networks).
    """

    def __init__(
        self,
        optimizer: Optimizer,
        mode: str = "min",
        factor: float = 0.1,
        patience: int = 10,
        threshold: float = 1e-4,
        threshold_mode: str = "rel",
        cooldown: int = 0,
        min_lr: list[float] | float = 0,
        eps: float = 1e-8,
    ) -> None:
        if not factor < 1.0:
            raise ValueError(
                f"Factor should be < 1.0.\nhelp: got factor={factor}; pass e.g. factor=0.1 "
                "to divide the learning rate by 10 on a plateau."
            )
        self.factor = factor
        _check_optimizer(optimizer, "ReduceLROnPlateau(optimizer)")
        for name, value in (("patience", patience), ("cooldown", cooldown)):
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                error(
                    "ReduceLROnPlateau",
                    f"{name} to be an int >= 0",
                    repr(value),
                    f"pass a number of epochs, e.g. {name}=5.",
                )
        self.optimizer = optimizer
        if isinstance(min_lr, (list, tuple)):
            if len(min_lr) != len(optimizer.param_groups):
                raise ValueError(
                    f"expected {len(optimizer.param_groups)} min_lrs, got {len(min_lr)}\n"
                    "help: pass one min_lr per parameter group, or a single number."
                )
            self.default_min_lr = None
            self.min_lrs = list(min_lr)
        else:
            self.default_min_lr = min_lr
            self.min_lrs = [min_lr] * len(optimizer.param_groups)
        self.patience = patience
        self.cooldown = cooldown
        self.eps = eps
        self.last_epoch = 0
        self._last_lr = self._current_lrs()
        self._init_is_better(mode, threshold, threshold_mode)
        self._reset()

    def _init_is_better(self, mode: str, threshold: float, threshold_mode: str) -> None:
        if mode not in ("min", "max"):
            raise ValueError(
                f"mode {mode} is unknown!\nhelp: pass mode='min' for a loss or mode='max' "
                "for an accuracy."
            )
        if threshold_mode not in ("rel", "abs"):
            raise ValueError(
                f"threshold mode {threshold_mode} is unknown!\nhelp: pass "
                "threshold_mode='rel' (a fraction of the best value) or 'abs'."
            )
        self.mode_worse = math.inf if mode == "min" else -math.inf
        self.mode = mode
        self.threshold = threshold
        self.threshold_mode = threshold_mode

    def _reset(self) -> None:
        """Forget the best value, the bad-epoch count and the cooldown."""
        self.best = self.mode_worse
        self.cooldown_counter = 0
        self.num_bad_epochs = 0

    @property
    def in_cooldown(self) -> bool:
        """Whether the scheduler is still waiting after a cut."""
        return self.cooldown_counter > 0

    def _is_better(self, a: float, best: float) -> bool:
        """Whether the metric value ``a`` improves on ``best`` by more than the threshold."""
        if self.threshold_mode == "rel":
            if self.mode == "min":
                return a < best * (1.0 - self.threshold)
            return a > best * (1.0 + self.threshold)
        if self.mode == "min":
            return a < best - self.threshold
        return a > best + self.threshold

    def step(self, metrics: SupportsFloat, epoch: int | None = None) -> None:  # type: ignore[override]  # takes the metric, as PyTorch's does
        """Record one epoch's metric and cut the rates if it has plateaued.

        Args:
            metrics: The epoch's metric, a number or a one-element tensor.
            epoch: Deprecated in PyTorch: the epoch number to record.
        """
        current = float(metrics)
        if epoch is None:
            epoch = self.last_epoch + 1
        else:
            _warn_epoch_deprecated()
        self.last_epoch = epoch
        if self._is_better(current, self.best):
            self.best = current
            self.num_bad_epochs = 0
        else:
            self.num_bad_epochs += 1
        if self.in_cooldown:
            self.cooldown_counter -= 1
            self.num_bad_epochs = 0  # bad epochs during the cooldown do not count
        if self.num_bad_epochs > self.patience:
            self._reduce_lr()
            self.cooldown_counter = self.cooldown
            self.num_bad_epochs = 0
        self._last_lr = self._current_lrs()

    def _reduce_lr(self) -> None:
        groups = self.optimizer.param_groups
        if len(groups) != len(self.min_lrs):
            if self.default_min_lr is None:
                raise RuntimeError(
                    f"The number of param groups in the `optimizer` ({len(groups)}) differs "
                    f"from when `ReduceLROnPlateau` was initialized ({len(self.min_lrs)}), "
                    "usually due to a new param group being added to the optimizer. Please "
                    "modify the `min_lrs` field to match the length of the `optimizer` param "
                    "groups.\nhelp: set scheduler.min_lrs to one value per group."
                )
            self.min_lrs = [self.default_min_lr] * len(groups)
        for group, min_lr in zip(groups, self.min_lrs, strict=True):
            old_lr = float(group["lr"])
            new_lr = max(old_lr * self.factor, min_lr)
            if old_lr - new_lr > self.eps:
                group["lr"] = new_lr

    def get_lr(self) -> list[float]:
        """The current rates: this scheduler changes them only in :meth:`step`."""
        return self._current_lrs()

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        """Restore a state saved by :meth:`state_dict`.

        Args:
            state_dict: The dict :meth:`state_dict` returned.
        """
        self.__dict__.update(state_dict)
        self._init_is_better(self.mode, self.threshold, self.threshold_mode)
