"""Learning-rate schedules: change each parameter group's ``lr`` as training goes on.

A scheduler wraps an optimizer and rewrites ``group['lr']`` every time its :meth:`step` is
called, usually once per epoch, *after* ``optimizer.step()``::

    scheduler = StepLR(optimizer, step_size=30, gamma=0.1)
    for epoch in range(100):
        train_one_epoch(model, optimizer)
        scheduler.step()

The classes mirror ``torch.optim.lr_scheduler`` and produce the same learning rates.
Import them from here; each is written in a small module of this package:

- ``base.py``: :class:`LRScheduler`, the base class every schedule extends;
- ``decay.py``: :class:`LambdaLR`, :class:`StepLR` and :class:`ExponentialLR`, which
  multiply the initial rate by a factor;
- ``warmup.py``: :class:`LinearLR`, a linear ramp (a warm-up, typically);
- ``cosine.py``: :class:`CosineAnnealingLR`;
- ``cyclic.py``: :class:`CyclicLR`, between two bounds, stepped per batch;
- ``one_cycle.py``: :class:`OneCycleLR`, the one-cycle policy, stepped per batch;
- ``sequential.py``: :class:`SequentialLR`, several schedules one after another;
- ``plateau.py``: :class:`ReduceLROnPlateau`, which cuts the rate when a metric stalls;
- ``record.py``: :func:`record_lrs`, the rates a schedule sets step by step (for a plot).
"""

from nnlib.optim.lr_scheduler.base import LRScheduler
from nnlib.optim.lr_scheduler.base import _LRScheduler as _LRScheduler
from nnlib.optim.lr_scheduler.cosine import CosineAnnealingLR
from nnlib.optim.lr_scheduler.cyclic import CyclicLR
from nnlib.optim.lr_scheduler.decay import ExponentialLR, LambdaLR, StepLR
from nnlib.optim.lr_scheduler.one_cycle import OneCycleLR
from nnlib.optim.lr_scheduler.plateau import ReduceLROnPlateau
from nnlib.optim.lr_scheduler.record import record_lrs
from nnlib.optim.lr_scheduler.sequential import SequentialLR
from nnlib.optim.lr_scheduler.warmup import LinearLR

# In the order of the modules above, which the reference page follows.
__all__ = [  # noqa: RUF022
    "LRScheduler",
    "LambdaLR",
    "StepLR",
    "ExponentialLR",
    "LinearLR",
    "CosineAnnealingLR",
    "CyclicLR",
    "OneCycleLR",
    "SequentialLR",
    "ReduceLROnPlateau",
    "record_lrs",
]
