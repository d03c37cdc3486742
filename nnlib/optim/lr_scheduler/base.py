"""The base class of the learning-rate schedulers, :class:`LRScheduler`.

It records each group's initial learning rate, counts epochs, writes the rates that a
subclass's ``get_lr`` computes into the optimizer, and saves and restores its state. The
schedules themselves are in the sibling modules; import everything from
:mod:`nnlib.optim.lr_scheduler`.
"""

from __future__ import annotations

import functools
import types
import warnings
import weakref
from typing import Any

from nnlib._checks import error
from nnlib.optim.optimizer import Optimizer


def _check_count(where: str, name: str, value: Any) -> None:
    """Refuse a count (``step_size``, ``T_max``, ``total_iters``) that is not a positive int."""
    __tracebackhide__ = True  # IPython and pytest hide this frame
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        error(where, f"{name} to be a positive int", repr(value), f"pass e.g. {name}=10.")


def _check_optimizer(optimizer: Any, example: str) -> None:
    """Refuse anything but an optimizer (PyTorch's message), with ``example`` in the hint."""
    __tracebackhide__ = True  # IPython and pytest hide this frame
    if not isinstance(optimizer, Optimizer):
        raise TypeError(
            f"{type(optimizer).__name__} is not an Optimizer\n"
            f"help: pass the optimizer itself, e.g. {example}."
        )


def _mark_steps(optimizer: Optimizer) -> None:
    """Wrap ``optimizer.step`` so that it records that it ran (for the order warning)."""
    if getattr(optimizer.step, "_wrapped_by_lr_sched", False):
        return
    step = type(optimizer).step
    optimizer_ref = weakref.ref(optimizer)

    @functools.wraps(step)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        opt = optimizer_ref()
        assert opt is not None  # the wrapper lives on the optimizer, so it is alive
        opt._opt_called = True
        return step(opt, *args, **kwargs)

    wrapper._wrapped_by_lr_sched = True  # type: ignore[attr-defined]  # a marker on the function, read back with getattr above
    optimizer.step = wrapper  # type: ignore[method-assign]  # wrap this instance's step only, as PyTorch does


def _warn_epoch_deprecated() -> None:
    """PyTorch's warning for ``scheduler.step(epoch)``, pointing at the caller's line."""
    warnings.warn(
        "The epoch parameter in `scheduler.step()` was not necessary and is being "
        "deprecated where possible. Please use `scheduler.step()` to step the scheduler.",
        UserWarning,
        stacklevel=3,
    )


def _per_group(where: str, name: str, optimizer: Optimizer, value: Any) -> list[Any]:
    """One value per parameter group: a list is checked for length, a scalar repeated."""
    n = len(optimizer.param_groups)
    if isinstance(value, (list, tuple)):
        if len(value) != n:
            raise ValueError(
                f"{name} must have the same length as optimizer.param_groups. {name} has "
                f"{len(value)} values, param_groups has {n}.\nhelp: {where}: pass one "
                f"{name} per parameter group, or a single number for all of them."
            )
        return list(value)
    return [value] * n


def _uses_beta1(optimizer: Optimizer) -> bool:
    """Whether momentum cycling moves Adam's ``beta1`` (True) or SGD's ``momentum``."""
    if "momentum" not in optimizer.defaults and "betas" not in optimizer.defaults:
        raise ValueError(
            "optimizer must support momentum or beta1 with `cycle_momentum` option enabled"
            f"\nhelp: {type(optimizer).__name__} has neither; pass cycle_momentum=False, or "
            "use SGD(..., momentum=0.9) or Adam."
        )
    return "betas" in optimizer.defaults


def _set_momentum(group: dict[str, Any], momentum: float, use_beta1: bool) -> None:
    """Write a cycled momentum into a group: ``betas[0]`` for Adam, ``momentum`` for SGD."""
    if use_beta1:
        group["betas"] = (momentum, *group["betas"][1:])
    else:
        group["momentum"] = momentum


def _start_momentum_cycle(
    where: str, optimizer: Optimizer, base_momentum: Any, max_momentum: Any, fresh: bool
) -> tuple[bool, list[float], list[float]]:
    """Check the optimizer can cycle momentum and, for a fresh schedule, start at the maximum.

    Returns ``(use_beta1, base_momentums, max_momentums)``; each group also records its
    ``'base_momentum'`` and ``'max_momentum'``, as in PyTorch.
    """
    use_beta1 = _uses_beta1(optimizer)
    base = _per_group(where, "base_momentum", optimizer, base_momentum)
    top = _per_group(where, "max_momentum", optimizer, max_momentum)
    if fresh:
        for low, high, group in zip(base, top, optimizer.param_groups, strict=True):
            _set_momentum(group, high, use_beta1)
            group["max_momentum"] = high
            group["base_momentum"] = low
    return use_beta1, base, top


def _callable_state(fn: Any) -> dict[str, Any] | None:
    """What a state dict keeps of a user function: a callable object's attributes, or None.

    Plain functions and lambdas cannot be saved, so PyTorch stores ``None`` for them.
    """
    return None if fn is None or isinstance(fn, types.FunctionType) else fn.__dict__.copy()


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
        _check_optimizer(optimizer, "StepLR(optimizer, step_size=10)")
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
        if epoch is not None:
            _warn_epoch_deprecated()
        self._update_lr(epoch)

    def _update_lr(self, epoch: int | None = None) -> None:
        """Move to the next epoch (or to ``epoch``) and write the rates into the optimizer.

        :class:`SequentialLR` calls it directly to restart a schedule at epoch 0 without
        counting a step.
        """
        self._get_lr_called_within_step = True
        try:
            if epoch is None:
                self.last_epoch += 1
                values = self.get_lr()
            else:
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
        return self._state_without()

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        """Restore a state saved by :meth:`state_dict`.

        Args:
            state_dict: The dict :meth:`state_dict` returned.
        """
        self.__dict__.update(state_dict)

    def _state_without(self, *keys: str) -> dict[str, Any]:
        """Every attribute except the optimizer and ``keys`` (saved separately)."""
        skip = ("optimizer", *keys)
        return {key: value for key, value in self.__dict__.items() if key not in skip}

    def _current_lrs(self) -> list[float]:
        return [group["lr"] for group in self.optimizer.param_groups]


# PyTorch's name before version 2.0, still accepted there.
_LRScheduler = LRScheduler
