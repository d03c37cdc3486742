"""Learning-rate schedules: change each parameter group's ``lr`` as training goes on.

A scheduler wraps an optimizer and rewrites ``group['lr']`` every time its :meth:`step` is
called, usually once per epoch, *after* ``optimizer.step()``::

    scheduler = StepLR(optimizer, step_size=30, gamma=0.1)
    for epoch in range(100):
        train_one_epoch(model, optimizer)
        scheduler.step()

The classes mirror ``torch.optim.lr_scheduler`` and produce the same learning rates.
"""

from __future__ import annotations

import functools
import math
import types
import warnings
import weakref
from collections.abc import Callable
from typing import Any

from nnlib._checks import error
from nnlib.optim.optimizer import Optimizer

# In source order, which the reference page follows.
__all__ = [  # noqa: RUF022
    "LRScheduler",
    "LambdaLR",
    "StepLR",
    "ExponentialLR",
    "LinearLR",
    "CosineAnnealingLR",
]


def _check_count(where: str, name: str, value: Any) -> None:
    """Refuse a count (``step_size``, ``T_max``, ``total_iters``) that is not a positive int."""
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        error(where, f"{name} to be a positive int", repr(value), f"pass e.g. {name}=10.")


def _mark_steps(optimizer: Optimizer) -> None:
    """Wrap ``optimizer.step`` so that it records that it ran (for the order warning)."""
    if getattr(optimizer.step, "_wrapped_by_lr_sched", False):
        return
    step = type(optimizer).step
    optimizer_ref = weakref.ref(optimizer)

    @functools.wraps(step)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        opt = optimizer_ref()
        opt._opt_called = True
        return step(opt, *args, **kwargs)

    wrapper._wrapped_by_lr_sched = True
    optimizer.step = wrapper


class LRScheduler:
    r"""Base class of the learning-rate schedulers (PyTorch's ``LRScheduler``).

    On construction it records each group's starting learning rate as
    ``group['initial_lr']`` (kept in :attr:`base_lrs`) and takes a first step to epoch 0.
    Subclasses implement :meth:`get_lr`, the learning rates for epoch :attr:`last_epoch`.

    Args:
        optimizer: The optimizer whose learning rates this scheduler sets.
        last_epoch: The index of the last epoch; leave it at -1 to start a new schedule.

    Raises:
        TypeError: if ``optimizer`` is not an :class:`~nnlib.optim.Optimizer`.
        KeyError: if ``last_epoch`` is not -1 and a group has no ``'initial_lr'``.

    Taught in chapter 5 (optimizers).
    """

    _get_lr_called_within_step: bool = False
    _is_initial: bool = False

    def __init__(self, optimizer: Optimizer, last_epoch: int = -1) -> None:
        if not isinstance(optimizer, Optimizer):
            raise TypeError(
                f"{type(optimizer).__name__} is not an Optimizer\n"
                "help: pass the optimizer itself, e.g. StepLR(optimizer, step_size=10)."
            )
        self.optimizer = optimizer
        if last_epoch == -1:
            for group in optimizer.param_groups:
                group.setdefault("initial_lr", group["lr"])
        else:
            for i, group in enumerate(optimizer.param_groups):
                if "initial_lr" not in group:
                    raise KeyError(
                        f"param 'initial_lr' is not specified in param_groups[{i}] when "
                        "resuming scheduler with last_epoch >= 0.\n"
                        "help: load the optimizer's state_dict before resuming, or leave "
                        "last_epoch=-1 for a fresh schedule."
                    )
        self.base_lrs: list[float] = [group["initial_lr"] for group in optimizer.param_groups]
        self.last_epoch = last_epoch
        _mark_steps(optimizer)
        self._initial_step()

    def _initial_step(self) -> None:
        """Move to epoch 0 (from ``last_epoch``), setting the first learning rates."""
        self._step_count = 0
        self._is_initial = True
        try:
            self.step()
        finally:
            self._is_initial = False

    def get_lr(self) -> list[float]:
        """Compute the learning rate of each group for epoch :attr:`last_epoch`.

        Returns:
            One learning rate per parameter group.
        """
        raise NotImplementedError

    def get_last_lr(self) -> list[float]:
        """Return the learning rates set by the latest :meth:`step`, one per group.

        Returns:
            A new list each call (editing it does not change the optimizer).
        """
        return list(self._last_lr)

    def step(self, epoch: int | None = None) -> None:
        """Advance the schedule by one epoch and write the new rates into the optimizer.

        Call it after ``optimizer.step()``.

        Args:
            epoch: Deprecated in PyTorch: jump to this epoch, using the closed form when
                the scheduler has one. Prefer calling ``step()`` without arguments.
        """
        if self._step_count == 1 and not getattr(self.optimizer, "_opt_called", False):
            warnings.warn(
                "Detected call of `lr_scheduler.step()` before `optimizer.step()`. "
                "In PyTorch 1.1.0 and later, you should call them in the opposite order: "
                "`optimizer.step()` before `lr_scheduler.step()`.  Failure to do this "
                "will result in PyTorch skipping the first value of the learning rate "
                "schedule.",
                UserWarning,
                stacklevel=2,
            )
        self._step_count += 1
        self._get_lr_called_within_step = True
        try:
            if epoch is None:
                self.last_epoch += 1
                values = self.get_lr()
            else:
                warnings.warn(
                    "The epoch parameter in `scheduler.step()` was not necessary and is being "
                    "deprecated where possible. Please use `scheduler.step()` to step the "
                    "scheduler.",
                    UserWarning,
                    stacklevel=2,
                )
                self.last_epoch = epoch
                closed_form = getattr(self, "_get_closed_form_lr", None)
                values = closed_form() if closed_form is not None else self.get_lr()
        finally:
            self._get_lr_called_within_step = False
        for group, lr in zip(self.optimizer.param_groups, values, strict=True):
            group["lr"] = lr
        self._last_lr = [group["lr"] for group in self.optimizer.param_groups]

    def state_dict(self) -> dict[str, Any]:
        """Return the scheduler's state: every attribute except the optimizer.

        Returns:
            A dict to pass to :meth:`load_state_dict` when resuming.
        """
        return {key: value for key, value in self.__dict__.items() if key != "optimizer"}

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        """Restore a state saved by :meth:`state_dict`.

        Args:
            state_dict: The dict :meth:`state_dict` returned.
        """
        self.__dict__.update(state_dict)

    def _current_lrs(self) -> list[float]:
        return [group["lr"] for group in self.optimizer.param_groups]


# PyTorch's name before version 2.0, still accepted there.
_LRScheduler = LRScheduler


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
        state = {
            key: value
            for key, value in self.__dict__.items()
            if key not in ("optimizer", "lr_lambdas")
        }
        state["lr_lambdas"] = [
            None if isinstance(fn, types.FunctionType) else fn.__dict__.copy()
            for fn in self.lr_lambdas
        ]
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
        >>> import numpy as np
        >>> from nnlib.nn import Parameter
        >>> from nnlib.optim import SGD
        >>> from nnlib.optim.lr_scheduler import StepLR
        >>> opt = SGD([Parameter(np.zeros(1))], lr=1.0)
        >>> scheduler = StepLR(opt, step_size=2, gamma=0.5)
        >>> lrs = []
        >>> for _ in range(5):
        ...     lrs.append(scheduler.get_last_lr()[0])
        ...     opt.step()
        ...     scheduler.step()
        >>> lrs
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
        >>> import numpy as np
        >>> from nnlib.nn import Parameter
        >>> from nnlib.optim import SGD
        >>> from nnlib.optim.lr_scheduler import ExponentialLR
        >>> opt = SGD([Parameter(np.zeros(1))], lr=1.0)
        >>> scheduler = ExponentialLR(opt, gamma=0.5)
        >>> opt.step(); scheduler.step(); opt.step(); scheduler.step()
        >>> scheduler.get_last_lr()
        [0.25]

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
        >>> import numpy as np
        >>> from nnlib.nn import Parameter
        >>> from nnlib.optim import SGD
        >>> from nnlib.optim.lr_scheduler import LinearLR
        >>> opt = SGD([Parameter(np.zeros(1))], lr=1.0)
        >>> scheduler = LinearLR(opt, start_factor=0.25, total_iters=3)
        >>> lrs = []
        >>> for _ in range(5):
        ...     lrs.append(scheduler.get_last_lr()[0])
        ...     opt.step()
        ...     scheduler.step()
        >>> lrs
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
        >>> import numpy as np
        >>> from nnlib.nn import Parameter
        >>> from nnlib.optim import SGD
        >>> from nnlib.optim.lr_scheduler import CosineAnnealingLR
        >>> opt = SGD([Parameter(np.zeros(1))], lr=1.0)
        >>> scheduler = CosineAnnealingLR(opt, T_max=4)
        >>> lrs = []
        >>> for _ in range(5):
        ...     lrs.append(round(scheduler.get_last_lr()[0], 4))
        ...     opt.step()
        ...     scheduler.step()
        >>> lrs
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
