"""Cosine annealing, :class:`CosineAnnealingLR`: from the initial rate down to a minimum.

Import it from :mod:`nnlib.optim.lr_scheduler`.
"""

from __future__ import annotations

import math

from nnlib._checks import error
from nnlib.optim.lr_scheduler.base import LRScheduler, _check_count
from nnlib.optim.optimizer import Optimizer


class CosineAnnealingLR(LRScheduler):
    r"""Anneal each group's learning rate from its initial value to ``eta_min`` along a cosine.

    .. math::

        \eta_t = \eta_{\min} + \frac{1}{2}(\eta_0 - \eta_{\min})
            \left(1 + \cos\left(\frac{t \pi}{T_{\max}}\right)\right)

    Like PyTorch, the rate is updated recursively from the current one, so changes made to
    ``group['lr']`` by other code carry on; past ``T_max`` the cosine climbs back up
    (there is no restart).

    Args:
        optimizer: The optimizer whose learning rates this scheduler sets.
        T_max: Number of epochs from the initial rate down to ``eta_min``.
        eta_min: The minimum learning rate (default 0).
        last_epoch: The index of the last epoch; leave it at -1 to start a new schedule.

    Raises:
        ValueError: if ``T_max`` is not a positive int or ``eta_min`` is negative.

    Example:
        >>> from nnlib.optim.lr_scheduler import CosineAnnealingLR, record_lrs
        >>> lrs = record_lrs(lambda opt: CosineAnnealingLR(opt, T_max=4), steps=5)
        >>> [round(lr, 4) for lr in lrs]
        [1.0, 0.8536, 0.5, 0.1464, 0.0]

    Taught in chapter 5 (optimizers).
    """

    def __init__(
        self, optimizer: Optimizer, T_max: int, eta_min: float = 0.0, last_epoch: int = -1
    ) -> None:
        _check_count("CosineAnnealingLR", "T_max", T_max)
        if not eta_min >= 0:
            error("CosineAnnealingLR", "eta_min >= 0", repr(eta_min), "pass e.g. eta_min=0.0.")
        self.T_max = T_max
        self.eta_min = eta_min
        super().__init__(optimizer, last_epoch)

    def get_lr(self) -> list[float]:
        """Move the current rates one epoch further along the cosine (PyTorch's recursion)."""
        if self._is_initial:
            return self._current_lrs()
        groups = self.optimizer.param_groups
        if self._step_count == 1 and self.last_epoch > 0:
            return self._get_closed_form_lr()
        if (self.last_epoch - 1 - self.T_max) % (2 * self.T_max) == 0:
            # At the trough the recursion would divide by 1 + cos(pi) = 0: step up instead.
            return [
                group["lr"] + (base_lr - self.eta_min) * (1 - math.cos(math.pi / self.T_max)) / 2
                for base_lr, group in zip(self.base_lrs, groups, strict=True)
            ]
        return [
            (1 + math.cos(math.pi * self.last_epoch / self.T_max))
            / (1 + math.cos(math.pi * (self.last_epoch - 1) / self.T_max))
            * (group["lr"] - self.eta_min)
            + self.eta_min
            for group in groups
        ]

    def _get_closed_form_lr(self) -> list[float]:
        return [
            self.eta_min
            + (base_lr - self.eta_min) * (1 + math.cos(math.pi * self.last_epoch / self.T_max)) / 2
            for base_lr in self.base_lrs
        ]
