"""The learning-rate range test (Smith, 2017), :func:`lr_range_test`: nnlib's own, not PyTorch's.

PyTorch has no such function; fast.ai's ``lr_find`` and the ``torch-lr-finder`` package
do the same thing. Import it from :mod:`nnlib.optim`.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np

from nnlib._checks import error
from nnlib._tensor import Tensor
from nnlib.optim.optimizer import Optimizer
from nnlib.random import fork_rng


@dataclass
class LRRangeTestResult:
    """What :func:`lr_range_test` measured, one entry per training step it took.

    Attributes:
        lrs: The learning rate of each step, rising from ``start_lr``.
        losses: The smoothed losses (bias-corrected exponential moving average).
        raw_losses: The loss of each step's batch, unsmoothed.
        stopped_early: Whether the test stopped because the loss diverged.

    Example:
        >>> from nnlib.optim import LRRangeTestResult
        >>> result = LRRangeTestResult([0.01, 0.1, 1.0], [2.0, 1.0, 5.0], [2.0, 1.0, 5.0], True)
        >>> result.lrs[result.losses.index(min(result.losses))]  # where the loss was lowest
        0.1
    """

    lrs: list[float]
    losses: list[float]
    raw_losses: list[float]
    stopped_early: bool

    def steepest_lr(self, skip_start: int = 10, skip_end: int = 5) -> float:
        """The learning rate where the smoothed loss falls fastest against log(lr).

        A common starting point for training (a little below where the loss is lowest).
        The first steps are skipped because the average of a few batches is still noisy,
        and the last ones because the loss has started to diverge there (fast.ai's plot
        skips the same by default).

        Args:
            skip_start: Steps to ignore at the start (default 10).
            skip_end: Steps to ignore at the end (default 5).

        Returns:
            One of :attr:`lrs`.

        Raises:
            ValueError: if fewer than 3 steps remain after skipping.
        """
        stop = len(self.losses) - skip_end
        if stop - skip_start < 3 or skip_start < 0 or skip_end < 0:
            error(
                "LRRangeTestResult.steepest_lr",
                "at least 3 steps left after skipping",
                f"{len(self.losses)} steps with skip_start={skip_start}, skip_end={skip_end}",
                "run the test with more steps (or a smaller start_lr if it diverged at "
                "once), or skip fewer.",
            )
        losses = np.asarray(self.losses[skip_start:stop])
        lrs = np.asarray(self.lrs[skip_start:stop])
        slopes = np.gradient(losses, np.log(lrs))
        return float(lrs[int(np.argmin(slopes))])


def _schedule(start_lr: float, end_lr: float, num_steps: int, mode: str) -> list[float]:
    if mode == "exp":
        ratio = end_lr / start_lr
        return [start_lr * ratio ** (i / (num_steps - 1)) for i in range(num_steps)]
    return [start_lr + (end_lr - start_lr) * i / (num_steps - 1) for i in range(num_steps)]


def _check_args(
    start_lr: Any, end_lr: Any, num_steps: Any, mode: Any, beta: Any, diverge_threshold: Any
) -> None:
    __tracebackhide__ = True  # IPython and pytest hide this frame
    where = "lr_range_test"
    for name, value in (("start_lr", start_lr), ("end_lr", end_lr)):
        if isinstance(value, bool) or not isinstance(value, (int, float, np.number)):
            error(
                where, f"{name} to be a number", repr(value), f"pass e.g. {name}=1e-6.", TypeError
            )
    if not (0 < start_lr < end_lr and math.isfinite(end_lr)):
        error(
            where,
            "0 < start_lr < end_lr (a finite range to sweep upwards)",
            f"start_lr={start_lr!r}, end_lr={end_lr!r}",
            "sweep a wide, rising range, e.g. start_lr=1e-6, end_lr=1.0.",
        )
    if isinstance(num_steps, bool) or not isinstance(num_steps, int) or num_steps < 2:
        error(
            where,
            "num_steps to be an int >= 2",
            repr(num_steps),
            "pass e.g. num_steps=100 (the loader is cycled if it is shorter).",
        )
    if mode not in ("exp", "linear"):
        error(
            where,
            "mode 'exp' or 'linear'",
            repr(mode),
            "use mode='exp' (the usual choice: equal steps in log(lr)).",
        )
    if not 0 <= beta < 1:
        error(where, "beta in [0, 1)", repr(beta), "pass e.g. beta=0.98; 0 turns smoothing off.")
    if not diverge_threshold > 1:
        error(
            where,
            "diverge_threshold > 1",
            repr(diverge_threshold),
            "pass e.g. diverge_threshold=4.0 (stop once the loss is 4 times its best).",
        )


def lr_range_test(
    model: Any,
    loss_fn: Callable[[Any, Any], Tensor],
    loader: Iterable[Any],
    optimizer: Callable[..., Optimizer] | Optimizer,
    start_lr: float = 1e-7,
    end_lr: float = 10.0,
    num_steps: int = 100,
    mode: str = "exp",
    beta: float = 0.98,
    diverge_threshold: float = 4.0,
    **optimizer_kwargs: Any,
) -> LRRangeTestResult:
    r"""Train briefly with a rising learning rate and record the loss (Smith's range test).

    Step :math:`i` of :math:`n` trains one batch with

    .. math::

        \eta_i = \eta_{start} \left(\frac{\eta_{end}}{\eta_{start}}\right)^{i/(n-1)}
        \quad (\text{'exp'}) \qquad\text{or}\qquad
        \eta_i = \eta_{start} + (\eta_{end} - \eta_{start}) \frac{i}{n-1}
        \quad (\text{'linear'})

    and records the loss of that batch, :math:`L_i`, and its bias-corrected moving
    average :math:`\bar L_i = a_i / (1 - \beta^{i+1})` with
    :math:`a_i = \beta a_{i-1} + (1 - \beta) L_i`. It stops early once
    :math:`\bar L_i` exceeds ``diverge_threshold`` times its lowest value (or is not
    finite). Plot ``losses`` against ``lrs`` on a log axis: a good learning rate lies
    where the loss falls steeply, below the rate at which it is lowest.

    Afterwards the model (parameters, buffers, gradients and train/eval mode), a given
    optimizer, nnlib's random stream and a DataLoader's epoch counter are exactly as they
    were: the test only looks. Not part of PyTorch; this is nnlib's own.

    Args:
        model: The network (an :class:`~nnlib.nn.Module`); trained in training mode.
        loss_fn: Called as ``loss_fn(model(x), y)`` for each batch ``(x, y)``.
        loader: An iterable of ``(x, y)`` batches, cycled if shorter than ``num_steps``.
        optimizer: An optimizer class, built as
            ``optimizer(model.parameters(), lr=start_lr, **optimizer_kwargs)``, or an
            optimizer already built on the model's parameters (its state is restored).
        start_lr: The first learning rate, > 0.
        end_lr: The last learning rate, > ``start_lr``.
        num_steps: The number of training steps (batches), >= 2.
        mode: ``'exp'`` (default, even steps in log lr) or ``'linear'``.
        beta: The smoothing factor of the moving average, in [0, 1) (default 0.98).
        diverge_threshold: Stop once the smoothed loss exceeds this multiple of its best.
        **optimizer_kwargs: Passed to the optimizer class (e.g. ``momentum=0.9``).

    Returns:
        An :class:`LRRangeTestResult` with ``lrs``, ``losses`` (smoothed), ``raw_losses``
        and ``stopped_early``.

    Raises:
        ValueError: for a range that is not ``0 < start_lr < end_lr``, ``num_steps < 2``,
            an unknown ``mode``, ``beta`` outside [0, 1), ``diverge_threshold <= 1``, or
            an empty loader.
        TypeError: for a learning rate that is not a number or ``optimizer_kwargs`` given
            with an optimizer instance.

    Example:
        >>> import nnlib
        >>> from nnlib import nn
        >>> from nnlib.data import DataLoader, TensorDataset
        >>> from nnlib.optim import SGD, lr_range_test
        >>> _ = nnlib.manual_seed(0)
        >>> X = nnlib.randn(64, 3)
        >>> y = X @ nnlib.tensor([[1.0], [-2.0], [0.5]])
        >>> net = nn.Linear(3, 1)
        >>> loader = DataLoader(TensorDataset(X, y), batch_size=16)
        >>> result = lr_range_test(net, nn.MSELoss(), loader, SGD, 1e-4, 10.0, num_steps=40)
        >>> len(result.lrs), result.lrs[0], result.stopped_early  # diverged at step 39
        (39, 0.0001, True)
        >>> round(result.steepest_lr(), 3)
        0.215

    Taught in chapter 10 (A recipe for training networks).
    """
    _check_args(start_lr, end_lr, num_steps, mode, beta, diverge_threshold)
    if not all(hasattr(model, a) for a in ("parameters", "buffers", "modules")):
        error(
            "lr_range_test",
            "an nn.Module as model",
            type(model).__name__,
            "pass the network itself, e.g. lr_range_test(net, loss_fn, loader, SGD).",
            TypeError,
        )
    built_here = isinstance(optimizer, type)
    if not built_here and optimizer_kwargs:
        error(
            "lr_range_test",
            "no optimizer keyword arguments with an optimizer instance",
            f"{sorted(optimizer_kwargs)}",
            "pass the optimizer class instead, e.g. lr_range_test(..., SGD, momentum=0.9).",
            TypeError,
        )
    params = list(model.parameters())
    # Every parameter and buffer (non-persistent ones too, which state_dict leaves out).
    tensors = [*params, *model.buffers()]
    saved_values = [t.data.copy() for t in tensors]
    saved_grads = [p._grad for p in params]
    saved_modes = [(m, m.training) for m in model.modules()]
    saved_epoch = getattr(loader, "epoch", None)
    saved_opt: dict[str, Any] | None = None
    if isinstance(optimizer, Optimizer):
        opt = optimizer
        saved_opt = opt.state_dict()
    else:
        opt = optimizer(params, lr=start_lr, **optimizer_kwargs)
    lrs = _schedule(float(start_lr), float(end_lr), num_steps, mode)
    result = LRRangeTestResult([], [], [], stopped_early=False)
    try:
        with fork_rng():
            model.train()
            result = _sweep(model, loss_fn, loader, opt, lrs, beta, diverge_threshold)
    finally:
        for t, value in zip(tensors, saved_values, strict=True):
            t.data[...] = value
        for p, g in zip(params, saved_grads, strict=True):
            p._grad = g
        for m, mode_was in saved_modes:
            object.__setattr__(m, "training", mode_was)
        if saved_epoch is not None:
            loader.epoch = saved_epoch  # type: ignore[attr-defined]  # it has one: getattr found it
        if saved_opt is not None:
            opt.load_state_dict(saved_opt)
    return result


def _cycle(loader: Iterable[Any]) -> Iterator[Any]:
    """The loader's batches, epoch after epoch; nothing at all if an epoch is empty."""
    while True:
        empty = True
        for batch in loader:
            empty = False
            yield batch
        if empty:
            return


def _sweep(
    model: Any,
    loss_fn: Callable[[Any, Any], Tensor],
    loader: Iterable[Any],
    opt: Optimizer,
    lrs: list[float],
    beta: float,
    diverge_threshold: float,
) -> LRRangeTestResult:
    """Run the rising-rate training steps and record the losses."""
    result = LRRangeTestResult([], [], [], stopped_early=False)
    batches = _cycle(loader)
    average, best = 0.0, math.inf
    for i, lr in enumerate(lrs):
        batch = next(batches, None)
        if batch is None:
            error(
                "lr_range_test",
                "a loader that yields batches",
                "an empty one",
                "check the dataset is not empty (and drop_last with a small dataset).",
            )
        x, y = batch
        for group in opt.param_groups:
            group["lr"] = lr
        opt.zero_grad()
        loss = loss_fn(model(x), y)
        loss.backward()
        opt.step()
        value = float(loss.item())
        average = beta * average + (1 - beta) * value
        smoothed = average / (1 - beta ** (i + 1))
        result.lrs.append(lr)
        result.raw_losses.append(value)
        result.losses.append(smoothed)
        if not math.isfinite(smoothed) or smoothed > diverge_threshold * best:
            result.stopped_early = True
            break
        best = min(best, smoothed)
    return result
