"""Record a schedule's learning rates step by step, :func:`record_lrs`: for plots and examples.

Import it from :mod:`nnlib.optim.lr_scheduler`.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from nnlib._tensor import Tensor
from nnlib.optim.lr_scheduler.base import LRScheduler, _check_count
from nnlib.optim.sgd import SGD


def record_lrs(
    make_scheduler: Callable[[SGD], LRScheduler], steps: int, lr: float = 1.0
) -> list[float]:
    """The learning rate a schedule sets at each of its first ``steps`` steps.

    Builds a throwaway optimizer, ``SGD`` on one zero tensor with learning rate ``lr``,
    builds the schedule on it with ``make_scheduler``, and runs the loop every schedule
    expects, noting the rate each step trains with::

        for _ in range(steps):
            lrs.append(scheduler.get_last_lr()[0])
            optimizer.step()  # a whole epoch (or batch) of training, in real use
            scheduler.step()

    The tensor has no gradient, so ``optimizer.step()`` moves nothing; it is called so
    that the scheduler sees the order it expects.

    Args:
        make_scheduler: A function that builds the schedule on the optimizer it is given,
            e.g. ``lambda opt: StepLR(opt, step_size=2)`` (any schedule but
            :class:`ReduceLROnPlateau`, whose ``step`` needs a metric).
        steps: How many steps to record, a positive int.
        lr: The optimizer's learning rate, the schedule's initial rate (default 1, so
            that the rates read as factors of it).

    Returns:
        ``steps`` learning rates: the one of step 0 (set when the schedule is built),
        then one after each ``scheduler.step()``.

    Raises:
        ValueError: if ``steps`` is not a positive int.

    Example:
        >>> from nnlib.optim.lr_scheduler import LambdaLR, record_lrs
        >>> record_lrs(lambda opt: LambdaLR(opt, lambda epoch: 1 / 2**epoch), steps=4, lr=0.1)
        [0.1, 0.05, 0.025, 0.0125]
    """
    _check_count("record_lrs", "steps", steps)
    optimizer = SGD([Tensor(np.zeros(1), requires_grad=True)], lr=lr)
    scheduler = make_scheduler(optimizer)
    lrs = []
    for _ in range(steps):
        lrs.append(scheduler.get_last_lr()[0])
        optimizer.step()
        scheduler.step()
    return lrs
