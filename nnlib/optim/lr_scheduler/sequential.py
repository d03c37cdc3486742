"""Schedules one after another, :class:`SequentialLR`: e.g. a warm-up, then a decay.

Import it from :mod:`nnlib.optim.lr_scheduler`.
"""

from __future__ import annotations

from bisect import bisect_right
from typing import Any

from nnlib.optim.lr_scheduler.base import LRScheduler
from nnlib.optim.lr_scheduler.plateau import ReduceLROnPlateau
from nnlib.optim.optimizer import Optimizer


class SequentialLR(LRScheduler):
    r"""Run a list of schedulers one after another, switching at the given milestones.

    Scheduler :math:`i` drives the learning rate from epoch ``milestones[i - 1]`` (or 0)
    until ``milestones[i]``; at each milestone the next scheduler starts from its own
    epoch 0, from the optimizer's initial rates. A typical use is a linear warm-up
    followed by a cosine or exponential decay.

    The schedulers must be built on the same optimizer before this one; building
    ``SequentialLR`` undoes the first step their constructors took and resets every
    group's rate to its ``initial_lr``.

    Args:
        optimizer: The optimizer all the schedulers drive.
        schedulers: The schedulers, in order (not :class:`ReduceLROnPlateau`, whose
            ``step`` needs a metric).
        milestones: The epochs at which to switch: one fewer than there are schedulers.
        last_epoch: The index of the last epoch (default -1).

    Raises:
        ValueError: for no schedulers, a :class:`ReduceLROnPlateau`, a scheduler of
            another optimizer, or the wrong number of milestones.
        TypeError: if an entry of ``schedulers`` has no optimizer (is not a scheduler).

    Example:
        >>> from nnlib.optim.lr_scheduler import ExponentialLR, LinearLR, SequentialLR, record_lrs
        >>> def warmup_then_decay(opt):  # every schedule on the same optimizer
        ...     warmup = LinearLR(opt, start_factor=0.25, total_iters=3)
        ...     decay = ExponentialLR(opt, gamma=0.5)
        ...     return SequentialLR(opt, [warmup, decay], milestones=[3])
        >>> record_lrs(warmup_then_decay, steps=6)
        [0.25, 0.5, 0.75, 1.0, 0.5, 0.25]
    """

    def __init__(
        self,
        optimizer: Optimizer,
        schedulers: list[LRScheduler],
        milestones: list[int],
        last_epoch: int = -1,
    ) -> None:
        name = type(self).__name__
        if len(schedulers) < 1:
            raise ValueError(
                f"{name} expects at least one scheduler, but got no scheduler.\n"
                "help: pass a list such as [LinearLR(opt, ...), CosineAnnealingLR(opt, ...)]."
            )
        for i, scheduler in enumerate(schedulers):
            if not hasattr(scheduler, "optimizer"):
                raise TypeError(
                    f"{name} at index {i} should have `optimizer` as its attribute.\n"
                    f"help: schedulers[{i}] is a {type(scheduler).__name__}; pass scheduler "
                    "objects, built on the optimizer."
                )
            if isinstance(scheduler, ReduceLROnPlateau):
                raise ValueError(
                    f"{name} does not support `ReduceLROnPlateau` scheduler as it requires "
                    "additional kwargs to be specified when calling `step`, but got one at "
                    f"index {i} in the given schedulers sequence.\nhelp: step a "
                    "ReduceLROnPlateau yourself, after the sequence."
                )
            if optimizer is not scheduler.optimizer:
                raise ValueError(
                    f"{name} expects all schedulers to belong to the same optimizer, but got "
                    f"scheduler {type(scheduler).__name__} at index {i} has "
                    f"{scheduler.optimizer}, which is different from "
                    f"{type(optimizer).__name__}.\nhelp: build every scheduler on the "
                    "optimizer you pass to SequentialLR."
                )
        if len(milestones) != len(schedulers) - 1:
            raise ValueError(
                "Sequential Schedulers expects number of schedulers provided to be one more "
                "than the number of milestone points, but got number of schedulers "
                f"{len(schedulers)} and the number of milestones to be equal to "
                f"{len(milestones)}\nhelp: give one milestone between each pair of "
                "schedulers, e.g. milestones=[5] for two."
            )
        self._schedulers = list(schedulers)
        self._milestones = list(milestones)
        self.last_epoch = last_epoch + 1
        self.optimizer = optimizer
        for group in optimizer.param_groups:
            group["lr"] = group["initial_lr"]
        self.recursive_undo()
        first = self._schedulers[bisect_right(self._milestones, 0)]
        first._initial_step()
        self._last_lr = first.get_last_lr()

    def recursive_undo(self, sched: LRScheduler | None = None) -> None:
        """Take back the step each scheduler's constructor took (nested sequences too).

        Args:
            sched: The scheduler to undo; ``None`` for this one's schedulers.
        """
        target = self if sched is None else sched
        if hasattr(target, "_schedulers"):
            for inner in target._schedulers:
                self.recursive_undo(inner)
        elif hasattr(target, "last_epoch"):
            target.last_epoch -= 1

    def step(self) -> None:  # type: ignore[override]  # no epoch argument, as PyTorch's
        """Advance one epoch: step the current scheduler, or start the next at a milestone."""
        self.last_epoch += 1
        idx = bisect_right(self._milestones, self.last_epoch)
        scheduler = self._schedulers[idx]
        if idx > 0 and self._milestones[idx - 1] == self.last_epoch:
            scheduler._update_lr(0)
        else:
            scheduler.step()
        self._last_lr = scheduler.get_last_lr()

    def state_dict(self) -> dict[str, Any]:
        """Return this scheduler's state, with each wrapped scheduler's state inside.

        Returns:
            A dict to pass to :meth:`load_state_dict`.
        """
        state = self._state_without("_schedulers")
        state["_schedulers"] = [s.state_dict() for s in self._schedulers]
        return state

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        """Restore a state saved by :meth:`state_dict`, wrapped schedulers included.

        Args:
            state_dict: The dict :meth:`state_dict` returned (left unchanged).
        """
        state = dict(state_dict)
        inner = state.pop("_schedulers")
        self.__dict__.update(state)
        for scheduler, saved in zip(self._schedulers, inner, strict=True):
            scheduler.load_state_dict(saved)
