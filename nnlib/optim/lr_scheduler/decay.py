"""Schedules that multiply the initial learning rate by a factor that depends on the epoch.

:class:`LambdaLR` (any function of the epoch), :class:`StepLR` (by ``gamma`` every
``step_size`` epochs) and :class:`ExponentialLR` (by ``gamma`` every epoch). Import them
from :mod:`nnlib.optim.lr_scheduler`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from nnlib._checks import error
from nnlib.optim.lr_scheduler.base import LRScheduler, _callable_state, _check_count
from nnlib.optim.optimizer import Optimizer


class LambdaLR(LRScheduler):
    r"""Set each group's learning rate to its initial value times a function of the epoch.

    .. math::

        \eta_t = \eta_0 \cdot \lambda(t)

    Args:
        optimizer: The optimizer whose learning rates this scheduler sets.
        lr_lambda: A function of the epoch index returning a factor, or a list of such
            functions, one per parameter group.
        last_epoch: The index of the last epoch; leave it at -1 to start a new schedule.

    Raises:
        ValueError: if a list of functions does not have one per parameter group.

    Example:
        >>> import numpy as np
        >>> from nnlib.nn import Parameter
        >>> from nnlib.optim import SGD
        >>> from nnlib.optim.lr_scheduler import LambdaLR
        >>> opt = SGD([Parameter(np.zeros(1))], lr=1.0)
        >>> scheduler = LambdaLR(opt, lr_lambda=lambda epoch: 1 / (epoch + 1))
        >>> for _ in range(3):
        ...     opt.step()
        ...     scheduler.step()
        >>> scheduler.get_last_lr()
        [0.25]

    Taught in chapter 5 (optimizers).
    """

    def __init__(
        self,
        optimizer: Optimizer,
        lr_lambda: Callable[[int], float] | list[Callable[[int], float]],
        last_epoch: int = -1,
    ) -> None:
        self.optimizer = optimizer
        if not isinstance(lr_lambda, (list, tuple)):
            self.lr_lambdas = [lr_lambda] * len(optimizer.param_groups)
        else:
            if len(lr_lambda) != len(optimizer.param_groups):
                raise ValueError(
                    f"Expected {len(optimizer.param_groups)} lr_lambdas, but got "
                    f"{len(lr_lambda)}\nhelp: pass one function per parameter group, or a "
                    "single function for all of them."
                )
            self.lr_lambdas = list(lr_lambda)
        super().__init__(optimizer, last_epoch)

    def get_lr(self) -> list[float]:
        """Return ``base_lr * lr_lambda(last_epoch)`` for each group."""
        return [
            base_lr * lmbda(self.last_epoch)
            for lmbda, base_lr in zip(self.lr_lambdas, self.base_lrs, strict=True)
        ]

    def state_dict(self) -> dict[str, Any]:
        """Return the scheduler's state; plain functions and lambdas are saved as ``None``.

        Returns:
            A dict to pass to :meth:`load_state_dict`.
        """
        state = self._state_without("lr_lambdas")
        state["lr_lambdas"] = [_callable_state(fn) for fn in self.lr_lambdas]
        return state

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        """Restore a state saved by :meth:`state_dict` (callable objects get their attributes).

        Args:
            state_dict: The dict :meth:`state_dict` returned.
        """
        state = dict(state_dict)
        lr_lambdas = state.pop("lr_lambdas")
        self.__dict__.update(state)
        for fn, saved in zip(self.lr_lambdas, lr_lambdas, strict=True):
            if saved is not None:
                fn.__dict__.update(saved)


class StepLR(LRScheduler):
    r"""Multiply each group's learning rate by ``gamma`` every ``step_size`` epochs.

    .. math::

        \eta_t = \eta_0 \cdot \gamma^{\lfloor t / \text{step\_size} \rfloor}

    Args:
        optimizer: The optimizer whose learning rates this scheduler sets.
        step_size: Number of epochs between two decays.
        gamma: The decay factor (default 0.1).
        last_epoch: The index of the last epoch; leave it at -1 to start a new schedule.

    Raises:
        ValueError: if ``step_size`` is not a positive int or ``gamma`` is negative.

    Example:
        >>> from nnlib.optim.lr_scheduler import StepLR, record_lrs
        >>> record_lrs(lambda opt: StepLR(opt, step_size=2, gamma=0.5), steps=5)
        [1.0, 1.0, 0.5, 0.5, 0.25]

    Taught in chapter 5 (optimizers).
    """

    def __init__(
        self, optimizer: Optimizer, step_size: int, gamma: float = 0.1, last_epoch: int = -1
    ) -> None:
        _check_count("StepLR", "step_size", step_size)
        if not gamma >= 0:
            error("StepLR", "gamma >= 0", repr(gamma), "pass a decay factor such as gamma=0.1.")
        self.step_size = step_size
        self.gamma = gamma
        super().__init__(optimizer, last_epoch)

    def get_lr(self) -> list[float]:
        """Multiply the current rates by ``gamma`` when the epoch is a multiple of step_size."""
        if self.last_epoch == 0 or self.last_epoch % self.step_size != 0:
            return self._current_lrs()
        return [group["lr"] * self.gamma for group in self.optimizer.param_groups]

    def _get_closed_form_lr(self) -> list[float]:
        return [
            base_lr * self.gamma ** (self.last_epoch // self.step_size)
            for base_lr in self.base_lrs
        ]


class ExponentialLR(LRScheduler):
    r"""Multiply each group's learning rate by ``gamma`` every epoch.

    .. math::

        \eta_t = \eta_0 \cdot \gamma^t

    Args:
        optimizer: The optimizer whose learning rates this scheduler sets.
        gamma: The decay factor per epoch.
        last_epoch: The index of the last epoch; leave it at -1 to start a new schedule.

    Raises:
        ValueError: if ``gamma`` is negative.

    Example:
        >>> from nnlib.optim.lr_scheduler import ExponentialLR, record_lrs
        >>> record_lrs(lambda opt: ExponentialLR(opt, gamma=0.5), steps=3)
        [1.0, 0.5, 0.25]

    Taught in chapter 5 (optimizers).
    """

    def __init__(self, optimizer: Optimizer, gamma: float, last_epoch: int = -1) -> None:
        if not gamma >= 0:
            error("ExponentialLR", "gamma >= 0", repr(gamma), "pass e.g. gamma=0.95.")
        self.gamma = gamma
        super().__init__(optimizer, last_epoch)

    def get_lr(self) -> list[float]:
        """Multiply the current rates by ``gamma`` (not on the construction step)."""
        if self._is_initial:
            return self._current_lrs()
        return [group["lr"] * self.gamma for group in self.optimizer.param_groups]

    def _get_closed_form_lr(self) -> list[float]:
        return [base_lr * self.gamma**self.last_epoch for base_lr in self.base_lrs]
