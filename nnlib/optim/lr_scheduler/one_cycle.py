"""The one-cycle policy, :class:`OneCycleLR`: one warm-up to a peak, then a long anneal.

Import it from :mod:`nnlib.optim.lr_scheduler`.
"""

from __future__ import annotations

import math

from nnlib._checks import error
from nnlib.optim.lr_scheduler.base import (
    LRScheduler,
    _check_optimizer,
    _per_group,
    _set_momentum,
    _start_momentum_cycle,
)
from nnlib.optim.optimizer import Optimizer


def _anneal_cos(start: float, end: float, pct: float) -> float:
    """From ``start`` (pct 0) to ``end`` (pct 1) along half a cosine."""
    return end + (start - end) / 2.0 * (math.cos(math.pi * pct) + 1)


def _anneal_linear(start: float, end: float, pct: float) -> float:
    """From ``start`` (pct 0) to ``end`` (pct 1) along a straight line."""
    return (end - start) * pct + start


def _positive_int(name: str, value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise ValueError(
            f"Expected positive integer {name}, but got {value}\nhelp: OneCycleLR: pass "
            f"a whole number of steps, e.g. {name}=100."
        )
    return value


class OneCycleLR(LRScheduler):
    r"""The one-cycle learning-rate policy (Smith & Topin, 2018), stepped once per batch.

    The rate rises from :math:`\eta_{max}/d` to :math:`\eta_{max}` over the first
    ``pct_start`` of the ``total_steps``, then anneals down to
    :math:`\eta_{max}/(d \cdot d_f)`, far below where it started. In each phase, with
    :math:`p \in [0, 1]` the fraction of the phase done, ``'cos'`` annealing from
    :math:`a` to :math:`b` is

    .. math::

        \eta = b + \frac{a - b}{2} \left(1 + \cos(\pi p)\right)

    and ``'linear'`` is :math:`\eta = a + (b - a)\,p`. The phases end at steps
    :math:`\text{pct\_start} \cdot T - 1` and :math:`T - 1`. With ``three_phase=True``
    the rate comes back down to :math:`\eta_{max}/d` symmetrically before a third phase
    anneals it to the minimum. With ``cycle_momentum`` the momentum (SGD's ``momentum``
    or Adam's :math:`\beta_1`) moves the opposite way, between ``max_momentum`` and
    ``base_momentum``.

    Construction overwrites each group's ``initial_lr`` with :math:`\eta_{max}/d` and
    records ``max_lr`` and ``min_lr`` in the group. Stepping past ``total_steps`` raises.

    Args:
        optimizer: The optimizer whose learning rates this scheduler sets.
        max_lr: The peak rate :math:`\eta_{max}`, one number or one per parameter group.
        total_steps: The number of steps :math:`T` in the cycle; or give both
            ``epochs`` and ``steps_per_epoch``.
        epochs: With ``steps_per_epoch``: :math:`T` = ``epochs * steps_per_epoch``.
        steps_per_epoch: The number of batches per epoch.
        pct_start: The fraction of the cycle spent rising, a float in [0, 1] (default 0.3).
        anneal_strategy: ``'cos'`` (default) or ``'linear'``.
        cycle_momentum: Cycle the momentum inversely to the rate (default ``True``).
        base_momentum: The momentum at the peak rate (default 0.85).
        max_momentum: The momentum at the start and end (default 0.95).
        div_factor: :math:`d`; the starting rate is ``max_lr / div_factor`` (default 25).
        final_div_factor: :math:`d_f`; the final rate is the starting rate divided by it
            (default 1e4).
        three_phase: Use the three-phase variant (default ``False``).
        last_epoch: The index of the last batch; leave it at -1 to start a new schedule.

    Raises:
        ValueError: without ``total_steps`` or ``epochs`` and ``steps_per_epoch``, for a
            count that is not a positive int, a ``pct_start`` outside [0, 1] or not a
            float, an unknown ``anneal_strategy``, or ``cycle_momentum`` with an
            optimizer that has no momentum; and, from :meth:`step`, past ``total_steps``
            or on reaching a phase of zero steps (where PyTorch divides by zero).

    Example:
        >>> from nnlib.optim.lr_scheduler import OneCycleLR, record_lrs
        >>> lrs = record_lrs(
        ...     lambda opt: OneCycleLR(opt, max_lr=1.0, total_steps=10, anneal_strategy="linear"),
        ...     steps=10,
        ... )
        >>> [round(lr, 3) for lr in lrs]
        [0.04, 0.52, 1.0, 0.857, 0.714, 0.571, 0.429, 0.286, 0.143, 0.0]

    Taught in chapter 10 (A recipe for training networks).
    """

    def __init__(
        self,
        optimizer: Optimizer,
        max_lr: float | list[float],
        total_steps: int | None = None,
        epochs: int | None = None,
        steps_per_epoch: int | None = None,
        pct_start: float = 0.3,
        anneal_strategy: str = "cos",
        cycle_momentum: bool = True,
        base_momentum: float | list[float] = 0.85,
        max_momentum: float | list[float] = 0.95,
        div_factor: float = 25.0,
        final_div_factor: float = 1e4,
        three_phase: bool = False,
        last_epoch: int = -1,
    ) -> None:
        _check_optimizer(optimizer, "OneCycleLR(optimizer, 0.1, 100)")
        self.optimizer = optimizer
        if total_steps is not None:
            self.total_steps = _positive_int("total_steps", total_steps)
        elif epochs is not None and steps_per_epoch is not None:
            self.total_steps = _positive_int("epochs", epochs) * _positive_int(
                "steps_per_epoch", steps_per_epoch
            )
        else:
            raise ValueError(
                "You must define either total_steps OR (epochs AND steps_per_epoch)\n"
                "help: e.g. OneCycleLR(optimizer, max_lr=0.1, epochs=10, "
                "steps_per_epoch=len(loader))."
            )
        if not isinstance(pct_start, float) or not 0 <= pct_start <= 1:
            raise ValueError(
                f"Expected float between 0 and 1 pct_start, but got {pct_start}\n"
                "help: pass a float such as pct_start=0.3 (write 0.0 or 1.0, not 0 or 1)."
            )
        if anneal_strategy not in ("cos", "linear"):
            raise ValueError(
                "anneal_strategy must be one of 'cos' or 'linear', instead got "
                f"{anneal_strategy}\nhelp: pass anneal_strategy='cos' (the default)."
            )
        self._anneal_func_type = anneal_strategy
        T = self.total_steps
        rise = float(pct_start * T) - 1
        # (end step, start rate, end rate, start momentum, end momentum) of each phase.
        if three_phase:
            self._schedule_phases = [
                (rise, "initial_lr", "max_lr", "max_momentum", "base_momentum"),
                (
                    float(2 * pct_start * T) - 2,
                    "max_lr",
                    "initial_lr",
                    "base_momentum",
                    "max_momentum",
                ),
                (T - 1, "initial_lr", "min_lr", "max_momentum", "max_momentum"),
            ]
        else:
            self._schedule_phases = [
                (rise, "initial_lr", "max_lr", "max_momentum", "base_momentum"),
                (T - 1, "max_lr", "min_lr", "base_momentum", "max_momentum"),
            ]
        max_lrs = _per_group("OneCycleLR", "max_lr", optimizer, max_lr)
        if last_epoch == -1:
            for peak, group in zip(max_lrs, optimizer.param_groups, strict=True):
                group["initial_lr"] = peak / div_factor
                group["max_lr"] = peak
                group["min_lr"] = group["initial_lr"] / final_div_factor
        self.cycle_momentum = cycle_momentum
        if cycle_momentum:
            self.use_beta1, _, _ = _start_momentum_cycle(
                "OneCycleLR", optimizer, base_momentum, max_momentum, last_epoch == -1
            )
        super().__init__(optimizer, last_epoch)

    def _anneal(self, start: float, end: float, pct: float) -> float:
        anneal = _anneal_cos if self._anneal_func_type == "cos" else _anneal_linear
        return anneal(start, end, pct)

    def get_lr(self) -> list[float]:
        """The rates at batch :attr:`last_epoch`; also writes the cycled momentum."""
        step = self.last_epoch
        if step > self.total_steps:
            raise ValueError(
                f"Tried to step {step} times. The specified number of total steps is "
                f"{self.total_steps}\nhelp: build the scheduler with total_steps (or epochs "
                "* steps_per_epoch) covering every batch you train on."
            )
        lrs = []
        last = len(self._schedule_phases) - 1
        for group in self.optimizer.param_groups:
            start = 0.0
            for i, (end, lr_a, lr_b, mom_a, mom_b) in enumerate(self._schedule_phases):
                if step <= end or i == last:
                    if end == start:
                        error(
                            "OneCycleLR",
                            "every phase to last at least one step",
                            f"a phase of zero steps at step {step} (total_steps="
                            f"{self.total_steps}, phases end at "
                            f"{[p[0] for p in self._schedule_phases]})",
                            "change pct_start or total_steps slightly (PyTorch divides by "
                            "zero here).",
                        )
                    pct = (step - start) / (end - start)
                    lrs.append(self._anneal(group[lr_a], group[lr_b], pct))
                    if self.cycle_momentum:
                        momentum = self._anneal(group[mom_a], group[mom_b], pct)
                        _set_momentum(group, momentum, self.use_beta1)
                    break
                start = end
        return lrs
