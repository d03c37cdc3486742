"""The warm-up schedule :class:`LinearLR`: a factor moving linearly, then held.

Import it from :mod:`nnlib.optim.lr_scheduler`.
"""

from __future__ import annotations

from nnlib.optim.lr_scheduler.base import LRScheduler, _check_count
from nnlib.optim.optimizer import Optimizer


class LinearLR(LRScheduler):
    r"""Scale each group's learning rate by a factor moving linearly over ``total_iters`` epochs.

    A warm-up, typically: the factor goes from ``start_factor`` to ``end_factor`` and then
    stays there.

    .. math::

        \eta_t = \eta_0 \left(s + (e - s) \frac{\min(t, T)}{T}\right)

    Args:
        optimizer: The optimizer whose learning rates this scheduler sets.
        start_factor: Factor :math:`s` at epoch 0, in (0, 1] (default 1/3).
        end_factor: Factor :math:`e` from epoch ``total_iters`` on, in [0, 1] (default 1).
        total_iters: Number of epochs :math:`T` the change takes (default 5).
        last_epoch: The index of the last epoch; leave it at -1 to start a new schedule.

    Raises:
        ValueError: if a factor is out of range or ``total_iters`` is not a positive int.

    Example:
        >>> from nnlib.optim.lr_scheduler import LinearLR, record_lrs
        >>> record_lrs(lambda opt: LinearLR(opt, start_factor=0.25, total_iters=3), steps=5)
        [0.25, 0.5, 0.75, 1.0, 1.0]

    Taught in chapter 5 (optimizers).
    """

    def __init__(
        self,
        optimizer: Optimizer,
        start_factor: float = 1.0 / 3,
        end_factor: float = 1.0,
        total_iters: int = 5,
        last_epoch: int = -1,
    ) -> None:
        if not 0 < start_factor <= 1.0:
            raise ValueError(
                "Starting multiplicative factor expected to be greater than 0 and less or "
                f"equal to 1.\nhelp: got start_factor={start_factor!r}; pass e.g. 0.1."
            )
        if not 0 <= end_factor <= 1.0:
            raise ValueError(
                "Ending multiplicative factor expected to be between 0 and 1.\n"
                f"help: got end_factor={end_factor!r}; pass e.g. 1.0."
            )
        _check_count("LinearLR", "total_iters", total_iters)
        self.start_factor = start_factor
        self.end_factor = end_factor
        self.total_iters = total_iters
        super().__init__(optimizer, last_epoch)

    def get_lr(self) -> list[float]:
        """Move the current rates one epoch further along the linear ramp."""
        if self.last_epoch == 0:
            return [group["lr"] * self.start_factor for group in self.optimizer.param_groups]
        if self._is_initial or self.last_epoch > self.total_iters:
            return self._current_lrs()
        ratio = 1.0 + (self.end_factor - self.start_factor) / (
            self.total_iters * self.start_factor
            + (self.last_epoch - 1) * (self.end_factor - self.start_factor)
        )
        return [group["lr"] * ratio for group in self.optimizer.param_groups]

    def _get_closed_form_lr(self) -> list[float]:
        return [
            base_lr
            * (
                self.start_factor
                + (self.end_factor - self.start_factor)
                * min(self.total_iters, self.last_epoch)
                / self.total_iters
            )
            for base_lr in self.base_lrs
        ]
