"""Cyclical learning rates, :class:`CyclicLR`: up and down between two bounds, per batch.

Import it from :mod:`nnlib.optim.lr_scheduler`.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from nnlib._checks import error
from nnlib.optim.lr_scheduler.base import (
    LRScheduler,
    _callable_state,
    _check_count,
    _check_optimizer,
    _per_group,
    _set_momentum,
    _start_momentum_cycle,
)
from nnlib.optim.optimizer import Optimizer

_MODES = ("triangular", "triangular2", "exp_range")


class CyclicLR(LRScheduler):
    r"""Cycle each group's learning rate between ``base_lr`` and ``max_lr`` (Smith, 2017).

    The rate climbs linearly for ``step_size_up`` steps, falls for ``step_size_down``
    steps, and repeats; the height of each cycle is scaled by a policy :math:`s`. At step
    :math:`t`, with cycle length :math:`T = T_{up} + T_{down}`:

    .. math::

        c &= \lfloor 1 + t / T \rfloor, \qquad x = 1 + t / T - c \in [0, 1) \\
        h &= \begin{cases} x \, T / T_{up} & x \le T_{up} / T \\
            (1 - x) \, T / T_{down} & \text{otherwise} \end{cases} \\
        \eta_t &= \eta_{base} + (\eta_{max} - \eta_{base}) \, h \, s

    where :math:`s = 1` (``'triangular'``), :math:`s = 2^{-(c - 1)}` (``'triangular2'``,
    halving each cycle) or :math:`s = \gamma^t` (``'exp_range'``). With
    ``cycle_momentum`` the momentum (SGD's ``momentum``, or Adam's :math:`\beta_1`) moves
    the opposite way, from ``max_momentum`` down to ``base_momentum`` as the rate rises.

    Call :meth:`step` after every *batch*, not every epoch. Construction sets each
    group's ``lr`` to ``base_lr``, whatever the optimizer was built with.

    Args:
        optimizer: The optimizer whose learning rates this scheduler sets.
        base_lr: The lower bound, one number or one per parameter group.
        max_lr: The upper bound, one number or one per group.
        step_size_up: Steps in the rising half of a cycle (default 2000).
        step_size_down: Steps in the falling half (default: ``step_size_up``).
        mode: ``'triangular'`` (default), ``'triangular2'`` or ``'exp_range'``; ignored
            when ``scale_fn`` is given.
        gamma: The factor of ``'exp_range'`` (default 1).
        scale_fn: A custom policy :math:`s(\cdot)`, returning values in [0, 1].
        scale_mode: Whether ``scale_fn`` is given the cycle number (``'cycle'``, default)
            or the step (``'iterations'``).
        cycle_momentum: Cycle the momentum inversely to the rate (default ``True``; needs an
            optimizer with ``momentum`` or ``betas``).
        base_momentum: The lower momentum bound (default 0.8).
        max_momentum: The upper momentum bound (default 0.9).
        last_epoch: The index of the last batch; leave it at -1 to start a new schedule.

    Raises:
        ValueError: for an unknown ``mode`` without ``scale_fn``, a step size that is not a
            positive int, a per-group list of the wrong length, or ``cycle_momentum`` with
            an optimizer that has no momentum.

    Example:
        >>> import numpy as np
        >>> from nnlib.nn import Parameter
        >>> from nnlib.optim import SGD
        >>> from nnlib.optim.lr_scheduler import CyclicLR
        >>> opt = SGD([Parameter(np.zeros(1))], lr=0.5, momentum=0.9)
        >>> scheduler = CyclicLR(opt, base_lr=0.1, max_lr=0.5, step_size_up=2)
        >>> lrs = []
        >>> for _ in range(6):
        ...     lrs.append(round(scheduler.get_last_lr()[0], 4))
        ...     opt.step()
        ...     scheduler.step()
        >>> lrs
        [0.1, 0.3, 0.5, 0.3, 0.1, 0.3]
        >>> round(opt.param_groups[0]["momentum"], 4)  # at the peak rate: base_momentum
        0.8
    """

    def __init__(
        self,
        optimizer: Optimizer,
        base_lr: float | list[float],
        max_lr: float | list[float],
        step_size_up: int = 2000,
        step_size_down: int | None = None,
        mode: str = "triangular",
        gamma: float = 1.0,
        scale_fn: Callable[[float], float] | None = None,
        scale_mode: str = "cycle",
        cycle_momentum: bool = True,
        base_momentum: float | list[float] = 0.8,
        max_momentum: float | list[float] = 0.9,
        last_epoch: int = -1,
    ) -> None:
        _check_optimizer(optimizer, "CyclicLR(optimizer, 1e-3, 1e-2)")
        self.optimizer = optimizer
        base_lrs = _per_group("CyclicLR", "base_lr", optimizer, base_lr)
        self.max_lrs = _per_group("CyclicLR", "max_lr", optimizer, max_lr)
        _check_count("CyclicLR", "step_size_up", step_size_up)
        if step_size_down is not None:
            _check_count("CyclicLR", "step_size_down", step_size_down)
        if mode not in _MODES and scale_fn is None:
            raise ValueError(
                "mode is invalid and scale_fn is None\nhelp: pass mode='triangular', "
                f"'triangular2' or 'exp_range' (got {mode!r}), or your own scale_fn."
            )
        if scale_mode not in ("cycle", "iterations"):
            error(
                "CyclicLR",
                "scale_mode 'cycle' or 'iterations'",
                repr(scale_mode),
                "pass scale_mode='cycle' to scale by cycle number.",
            )
        if last_epoch == -1:
            for lr, group in zip(base_lrs, optimizer.param_groups, strict=True):
                group["lr"] = lr
        up = float(step_size_up)
        down = float(step_size_down) if step_size_down is not None else up
        self.total_size = up + down
        self.step_ratio = up / self.total_size
        self.mode = mode
        self.gamma = gamma
        self._scale_fn_custom = scale_fn
        self.scale_mode = scale_mode
        if scale_fn is None:  # the built-in policies fix their own scale mode
            self.scale_mode = "iterations" if mode == "exp_range" else "cycle"
        self.cycle_momentum = cycle_momentum
        if cycle_momentum:
            self.use_beta1, self.base_momentums, self.max_momentums = _start_momentum_cycle(
                "CyclicLR", optimizer, base_momentum, max_momentum, last_epoch == -1
            )
        super().__init__(optimizer, last_epoch)
        self.base_lrs = base_lrs

    def scale_fn(self, x: float) -> float:
        """The scaling policy :math:`s`, at cycle or step ``x`` (see ``scale_mode``)."""
        if self._scale_fn_custom is not None:
            return self._scale_fn_custom(x)
        if self.mode == "triangular":
            return 1.0
        if self.mode == "triangular2":
            return 1 / (2.0 ** (x - 1))
        return self.gamma**x

    def get_lr(self) -> list[float]:
        """The rates at batch :attr:`last_epoch`; also writes the cycled momentum."""
        cycle = math.floor(1 + self.last_epoch / self.total_size)
        x = 1.0 + self.last_epoch / self.total_size - cycle
        if x <= self.step_ratio:
            height = x / self.step_ratio
        else:
            height = (x - 1) / (self.step_ratio - 1)
        scale = self.scale_fn(cycle if self.scale_mode == "cycle" else self.last_epoch)
        lrs = [
            base_lr + (max_lr - base_lr) * height * scale
            for base_lr, max_lr in zip(self.base_lrs, self.max_lrs, strict=True)
        ]
        if self.cycle_momentum:
            pairs = zip(self.base_momentums, self.max_momentums, strict=True)
            for group, (low, high) in zip(self.optimizer.param_groups, pairs, strict=True):
                _set_momentum(group, high - (high - low) * height * scale, self.use_beta1)
        return lrs

    def state_dict(self) -> dict[str, Any]:
        """Return the scheduler's state; a plain-function ``scale_fn`` is saved as ``None``.

        Returns:
            A dict to pass to :meth:`load_state_dict`.
        """
        state = super().state_dict()
        state["_scale_fn_custom"] = _callable_state(self._scale_fn_custom)
        return state

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        """Restore a state saved by :meth:`state_dict` (a callable object gets its attributes).

        Args:
            state_dict: The dict :meth:`state_dict` returned.
        """
        state = dict(state_dict)
        saved_fn = state.pop("_scale_fn_custom", None)
        self.__dict__.update(state)
        if saved_fn is not None and self._scale_fn_custom is not None:
            self._scale_fn_custom.__dict__.update(saved_fn)
