"""Optimizers that update parameters from their gradients, as in ``torch.optim``.

Each optimizer reads ``p.grad`` (a tensor, as in PyTorch) and updates ``p.data`` in place,
counting the change in the parameter's version (so a graph that saved the old values
refuses to backward)::

    optimizer = nnlib.optim.Adam(model.parameters(), lr=1e-3)
    for x, y in loader:
        optimizer.zero_grad()
        loss_fn(model(x), y).backward()
        optimizer.step()

:mod:`nnlib.optim.lr_scheduler` changes the learning rate as training goes on;
:func:`lr_range_test` (nnlib's own, not in PyTorch) helps choose it.
Taught in chapter 5 (optimizers).
"""

from nnlib.optim import lr_scheduler
from nnlib.optim.adam import Adam
from nnlib.optim.adamw import AdamW
from nnlib.optim.lr_finder import LRRangeTestResult, lr_range_test
from nnlib.optim.optimizer import Optimizer
from nnlib.optim.rmsprop import RMSprop
from nnlib.optim.sgd import SGD

# In teaching order (the reference page lists them so): the base class, then SGD onwards.
__all__ = [  # noqa: RUF022
    "Optimizer",
    "SGD",
    "RMSprop",
    "Adam",
    "AdamW",
    "lr_scheduler",
    "lr_range_test",
    "LRRangeTestResult",
]
