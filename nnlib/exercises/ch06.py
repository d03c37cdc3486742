r"""Checkers for chapter 6 (Normalization).

The learner writes NumPy functions: a standardisation that uses the training split's
statistics only (a debugging exercise), batch normalisation's forward pass in both modes
with its running averages, group normalisation of an (N, C, H, W) batch, and the count of
statistics each normalisation layer computes. The references are nnlib's
:class:`~nnlib.data.Standardizer` and :mod:`nnlib.nn.functional`'s ``batch_norm`` and
``group_norm``, which the tests check against PyTorch.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from nnlib import Tensor
from nnlib.data import Standardizer
from nnlib.exercises.core import Case, Checker, Mistake, non_finite, same_as, when
from nnlib.nn import functional as F


# ------------------------------------------------------------------- standardisation
def _standardize_cases() -> list[Case]:
    rng = np.random.default_rng(601)
    train = np.column_stack(
        [rng.normal(5.0, 2.0, 8), rng.normal(-1.0, 0.1, 8), rng.uniform(0, 16, 8)]
    )
    test = np.column_stack(
        [rng.normal(9.0, 4.0, 4), rng.normal(-1.0, 0.1, 4), rng.uniform(0, 4, 4)]
    )
    blank = np.column_stack([rng.uniform(0, 16, 6), np.zeros(6)])
    inked = np.column_stack([rng.uniform(0, 16, 3), np.array([0.0, 4.0, 16.0])])
    return [
        Case("a test set on another scale than the training set", (train, test)),
        Case("a pixel blank in every training image but inked in a test one", (blank, inked)),
        Case("one test example", (train, test[:1])),
    ]


def _scaled(train: np.ndarray, others: list[np.ndarray], mean: Any, std: Any) -> tuple:
    return tuple((x - mean) / std for x in [train, *others])


def _standardize_reference(X_train: np.ndarray, X_test: np.ndarray) -> tuple:
    s = Standardizer().fit(X_train)
    return s.transform(X_train), s.transform(X_test)


def _guard(std: np.ndarray) -> np.ndarray:
    return np.where(std < 1e-12, 1.0, std)


def _pooled(X_train: np.ndarray, X_test: np.ndarray, guard: bool = True) -> tuple:
    both = np.concatenate([X_train, X_test])
    std = both.std(axis=0)
    return _scaled(X_train, [X_test], both.mean(axis=0), _guard(std) if guard else std)


def _own(X_train: np.ndarray, X_test: np.ndarray) -> tuple:
    return tuple((x - x.mean(axis=0)) / _guard(x.std(axis=0)) for x in (X_train, X_test))


_STANDARDIZE = Checker(
    title="standardize",
    cases=_standardize_cases,
    reference=_standardize_reference,
    output_names=("X_train", "X_test"),
    mistakes=(
        Mistake(
            "the mean and std still come from the training AND test images together: "
            "that leaks the test set. Measure them on X_train alone, then apply them to both.",
            same_as(_pooled),
        ),
        Mistake(
            "each set is standardised with its own statistics: the test set must reuse the "
            "training set's mean and std (a single test example would become all zeros).",
            same_as(_own),
        ),
        Mistake(
            "a pixel that is constant in the training images has std 0: divide by 1 there "
            "(np.where(std == 0, 1, std)), as StandardScaler does, instead of by 0.",
            non_finite(),
        ),
        Mistake(
            "adding a tiny eps to a zero std makes a test pixel that is inked where every "
            "training image was blank explode (x / 1e-8): divide by 1 where std is 0.",
            same_as(
                lambda a, b: _scaled(a, [b], a.mean(axis=0), a.std(axis=0) + 1e-8),
            ),
        ),
        Mistake(
            "use the population std (np.std's default, ddof=0), as StandardScaler and "
            "nnlib's Standardizer do, not ddof=1.",
            same_as(lambda a, b: _scaled(a, [b], a.mean(axis=0), _guard(a.std(axis=0, ddof=1)))),
        ),
        Mistake(
            "the statistics are per feature (a column, axis=0), not per example (axis=1).",
            same_as(
                lambda a, b: tuple(
                    (x - x.mean(axis=1, keepdims=True)) / _guard(x.std(axis=1, keepdims=True))
                    for x in (a, b)
                )
            ),
        ),
        Mistake(
            "subtract the mean as well as dividing by the std.",
            same_as(lambda a, b: (a / _guard(a.std(axis=0)), b / _guard(a.std(axis=0)))),
        ),
        Mistake(
            "divide by the std as well as subtracting the mean.",
            same_as(lambda a, b: (a - a.mean(axis=0), b - a.mean(axis=0))),
        ),
        Mistake(
            "the training set's std is the one to divide by, for both sets.",
            when(
                "another scale",
                same_as(
                    lambda a, b: (
                        (a - a.mean(axis=0)) / _guard(a.std(axis=0)),
                        (b - a.mean(axis=0)) / _guard(b.std(axis=0)),
                    )
                ),
            ),
        ),
    ),
    default_hint="mean = X_train.mean(axis=0), std = X_train.std(axis=0) with 0 replaced "
    "by 1; return ((X_train − mean)/std, (X_test − mean)/std).",
    success="Training statistics only, and no division by zero.",
)


def check_standardize(fn: Callable[..., Any]) -> None:
    r"""Check ``standardize(X_train, X_test) -> (X_train_std, X_test_std)``.

    Both sets are shifted and scaled per feature with the *training* set's mean and
    population standard deviation; a feature constant in training is divided by 1.
    Recognises: statistics of train and test pooled (the leak), each set with its own
    statistics, division by a zero std (NaN), an eps that explodes test values, ``ddof=1``,
    statistics per example, a missing shift or scale, the test set's own std.

    Example:
        >>> import numpy as np
        >>> def standardize(X_train, X_test):
        ...     mean, std = X_train.mean(axis=0), X_train.std(axis=0)
        ...     std = np.where(std == 0, 1.0, std)
        ...     return (X_train - mean) / std, (X_test - mean) / std
        >>> check_standardize(standardize)  # doctest: +ELLIPSIS
        ✓ standardize: correct on all 3 cases (...

    Taught in chapter 6 (Normalization).
    """
    _STANDARDIZE(fn)


# ------------------------------------------------------------------------ batch norm
def _bn_cases() -> list[Case]:
    rng = np.random.default_rng(602)
    x = rng.normal(2.0, 3.0, (5, 3))
    gamma, beta = np.array([1.5, 0.5, -1.0]), np.array([0.1, -0.2, 0.3])
    rm, rv = np.array([0.5, -0.5, 1.0]), np.array([2.0, 0.5, 1.5])
    far = 1e7 + rng.normal(0.0, 1.0, (6, 2))
    return [
        Case("training mode", (x, gamma, beta, rm, rv, True, 0.1, 1e-5)),
        Case("evaluation mode", (x, gamma, beta, rm, rv, False, 0.1, 1e-5)),
        Case(
            "a batch of two, momentum 0.5",
            (x[:2], gamma, beta, rm, rv, True, 0.5, 1e-5),
        ),
        Case("training with a large eps = 1", (x, gamma, beta, rm, rv, True, 0.1, 1.0)),
        Case(
            "evaluation with a large eps = 1",
            (x, gamma, beta, rm, rv, False, 0.1, 1.0),
        ),
        Case(
            "features far from zero (1e7 + noise)",
            (far, np.ones(2), np.zeros(2), np.zeros(2), np.ones(2), True, 0.1, 1e-5),
        ),
    ]


def _bn_reference(
    x: np.ndarray,
    gamma: np.ndarray,
    beta: np.ndarray,
    running_mean: np.ndarray,
    running_var: np.ndarray,
    training: bool,
    momentum: float,
    eps: float,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rm, rv = Tensor(running_mean.copy()), Tensor(running_var.copy())
    y = F.batch_norm(
        Tensor(x), rm, rv, Tensor(gamma), Tensor(beta), training=training, momentum=momentum,
        eps=eps,
    )  # fmt: skip
    return y.data, rm.data, rv.data


def _bn(*args: Any, **switch: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Batch norm with switches that reproduce the usual mistakes."""
    x, gamma, beta, rm, rv, training, momentum, eps = args
    axis = 1 if switch.get("axis1") else 0
    if training or switch.get("batch_in_eval"):
        mean = x.mean(axis=axis, keepdims=True)
        var = x.var(axis=axis, keepdims=True, ddof=1 if switch.get("unbiased") else 0)
        if switch.get("naive_var"):
            var = (x**2).mean(axis=axis, keepdims=True) - mean**2
    else:
        mean, var = rm, rv
    if switch.get("eps_outside"):
        x_hat = (x - mean) / (np.sqrt(var) + eps)
    elif switch.get("eps_after"):
        x_hat = (x - mean) / np.sqrt(var) + eps
    elif switch.get("no_eps"):
        x_hat = (x - mean) / np.sqrt(var)
    else:
        x_hat = (x - mean) / np.sqrt(var + eps)
    y = x_hat if switch.get("no_affine") else gamma * x_hat + beta
    if switch.get("affine_swapped"):
        y = beta * x_hat + gamma
    if switch.get("stale_var"):
        return y, (1 - momentum) * rm + momentum * x.mean(axis=0), rv
    if switch.get("replace"):
        return y, x.mean(axis=0), x.var(axis=0, ddof=1)
    if training or switch.get("update_in_eval"):
        bm = x.mean(axis=0)
        bv = x.var(axis=0, ddof=0 if switch.get("biased_running") else 1)
        if len(x) < 2:
            bv = np.full_like(bm, np.nan)
        a = (1 - momentum) if switch.get("flipped") else momentum
        rm, rv = (1 - a) * rm + a * bm, (1 - a) * rv + a * bv
    return y, rm, rv


_BATCH_NORM = Checker(
    title="batch_norm",
    cases=_bn_cases,
    reference=_bn_reference,
    output_names=("y", "running_mean", "running_var"),
    mistakes=(
        Mistake(
            "E[x²] − E[x]² loses every digit when the features are far from zero "
            "(catastrophic cancellation): compute the variance as the mean of (x − mean)².",
            when("far from zero"),
        ),
        Mistake(
            "normalise each feature over the batch: mean and variance over axis=0 (the "
            "examples), not axis=1 (that is layer norm).",
            same_as(_bn, axis1=True, output=0),
        ),
        Mistake(
            "in evaluation mode use running_mean and running_var, not the batch's own "
            "statistics (then one example's output would depend on the rest of its batch).",
            same_as(_bn, batch_in_eval=True, output=0),
        ),
        Mistake(
            "in evaluation mode the running statistics stay as they are: update them only "
            "when training.",
            same_as(_bn, update_in_eval=True, output=1),
        ),
        Mistake(
            "normalise with the biased batch variance (divide by B, np.var's default "
            "ddof=0); only the running variance uses the unbiased one (ddof=1).",
            same_as(_bn, unbiased=True, output=0),
        ),
        Mistake(
            "eps goes inside the square root: (x − mean) / sqrt(var + eps).",
            same_as(_bn, eps_outside=True, output=0),
        ),
        Mistake(
            "add eps to the variance before the square root: (x − mean) / sqrt(var + eps).",
            same_as(_bn, no_eps=True, output=0),
        ),
        Mistake(
            "eps belongs to the variance, before the square root: (x − mean) / sqrt(var + "
            "eps), not added to the result.",
            same_as(_bn, eps_after=True, output=0),
        ),
        Mistake(
            "scale and shift after normalising: y = gamma · x_hat + beta.",
            same_as(_bn, no_affine=True, output=0),
        ),
        Mistake(
            "gamma multiplies and beta adds: y = gamma · x_hat + beta (you swapped them).",
            same_as(_bn, affine_swapped=True, output=0),
        ),
        Mistake(
            "the running variance must be updated too, like the running mean.",
            same_as(_bn, stale_var=True, output=2),
        ),
        Mistake(
            "the running statistics are averages over many batches: blend the new batch in "
            "with weight momentum, (1 − momentum)·running + momentum·batch, instead of "
            "replacing them (that would be momentum = 1, the weight of the NEW batch).",
            same_as(_bn, replace=True, output=1),
        ),
        Mistake(
            "PyTorch's momentum is the weight of the NEW batch: running = (1 − momentum) · "
            "running + momentum · batch statistic.",
            same_as(_bn, flipped=True),
        ),
        Mistake(
            "PyTorch updates the running variance with the UNBIASED batch variance "
            "(np.var(x, axis=0, ddof=1)), even though it normalises with the biased one.",
            same_as(_bn, biased_running=True, output=2),
        ),
    ),
    default_hint="training: mean and biased var over axis 0, y = gamma·(x − mean)/sqrt(var + "
    "eps) + beta, running = (1 − momentum)·running + momentum·(mean, unbiased var); "
    "evaluation: the running statistics, unchanged.",
    success="The same as nnlib's F.batch_norm and torch.nn.BatchNorm1d, in both modes.",
)


def check_batch_norm(fn: Callable[..., Any]) -> None:
    r"""Check ``batch_norm(x, gamma, beta, running_mean, running_var, training, momentum, eps)``.

    ``x`` has shape ``(m, d)``; the function returns ``(y, running_mean, running_var)``
    (new arrays: the inputs must not change). PyTorch's conventions: training normalises
    with the batch mean and biased variance and updates the running averages with weight
    ``momentum`` on the new batch, using the unbiased variance; evaluation normalises with
    the running statistics and leaves them unchanged. Recognises: the wrong axis, batch
    statistics in evaluation, updates in evaluation, the unbiased variance in the
    normalisation, eps outside the root or missing, no γ and β, the momentum the other way
    round, the biased variance in the running average, and the unstable
    :math:`E[x^2]-E[x]^2` variance.

    Example:
        >>> import numpy as np
        >>> def batch_norm(x, gamma, beta, running_mean, running_var, training, momentum, eps):
        ...     if training:
        ...         mean, var = x.mean(axis=0), x.var(axis=0)
        ...         running_mean = (1 - momentum) * running_mean + momentum * mean
        ...         running_var = (1 - momentum) * running_var + momentum * x.var(axis=0, ddof=1)
        ...     else:
        ...         mean, var = running_mean, running_var
        ...     y = gamma * (x - mean) / np.sqrt(var + eps) + beta
        ...     return y, running_mean, running_var
        >>> check_batch_norm(batch_norm)  # doctest: +ELLIPSIS
        ✓ batch_norm: correct on all 6 cases (...

    Taught in chapter 6 (Normalization).
    """
    _BATCH_NORM(fn)


# ------------------------------------------------------------------------ group norm
def _gn_cases() -> list[Case]:
    rng = np.random.default_rng(603)
    x = rng.normal(1.0, 2.0, (2, 6, 2, 3)) * np.array([1, 3, 1, 3, 1, 3])[:, None, None]
    flat = x.copy()
    flat[1, 0:2] = 4.0  # one group constant: only eps keeps it finite
    return [
        Case("6 channels in 3 groups", (x, 3, 1e-5)),
        Case("6 channels in 2 groups", (x, 2, 1e-5)),
        Case("3 groups, large eps = 1", (x, 3, 1.0)),
        Case("a group whose values are all equal", (flat, 3, 1e-5)),
    ]


def _gn_reference(x: np.ndarray, num_groups: int, eps: float) -> np.ndarray:
    return F.group_norm(Tensor(x), num_groups, eps=eps).data


def _gn(x: np.ndarray, g: int, eps: float, **switch: Any) -> np.ndarray:
    n, c = x.shape[:2]
    if switch.get("interleaved"):
        v = x.reshape(n, c // g, g, -1).transpose(0, 2, 1, 3).reshape(n, g, -1)
    else:
        v = x.reshape(n, g, -1)
    axes: Any = switch.get("axes", (2,))
    if switch.get("layer"):
        v, axes = x.reshape(n, 1, -1), (2,)
    if switch.get("instance"):
        v, axes = x.reshape(n, c, -1), (2,)
    if switch.get("over_batch"):
        axes = (0, 2)
    mean = v.mean(axis=axes, keepdims=True)
    var = v.var(axis=axes, keepdims=True, ddof=1 if switch.get("unbiased") else 0)
    if switch.get("eps_outside"):
        out = (v - mean) / (np.sqrt(var) + eps)
    else:
        out = (v - mean) / np.sqrt(var + eps)
    if switch.get("interleaved"):
        out = out.reshape(n, g, c // g, -1).transpose(0, 2, 1, 3)
    return out.reshape(x.shape)


_GROUP_NORM = Checker(
    title="group_norm",
    cases=_gn_cases,
    reference=_gn_reference,
    mistakes=(
        Mistake(
            "a group is a run of NEIGHBOURING channels (channels 0–1, 2–3, 4–5 for 3 groups "
            "of 6): reshape to (N, num_groups, C // num_groups, H, W), not (N, C // "
            "num_groups, num_groups, ...), which puts every third channel together.",
            same_as(_gn, interleaved=True),
        ),
        Mistake(
            "that is layer norm: one mean per example. Group norm takes one per GROUP of "
            "channels of each example.",
            same_as(_gn, layer=True),
        ),
        Mistake(
            "that is instance norm: one mean per channel. Group norm pools the channels of "
            "a group.",
            same_as(_gn, instance=True),
        ),
        Mistake(
            "group norm never averages over the batch axis: each example is normalised on "
            "its own.",
            same_as(_gn, over_batch=True),
        ),
        Mistake(
            "use the biased variance (ddof=0), as PyTorch's GroupNorm does.",
            same_as(_gn, unbiased=True),
        ),
        Mistake(
            "eps goes inside the square root: (x − mean) / sqrt(var + eps).",
            same_as(_gn, eps_outside=True),
        ),
        Mistake(
            "you left eps out: add eps to the variance before the square root.",
            same_as(lambda x, g, e: _gn(x, g, 0.0)),
        ),
        Mistake(
            "a group whose values are all equal has variance 0: add eps to the variance "
            "before the square root.",
            non_finite(),
        ),
    ),
    default_hint="reshape x to (N, num_groups, −1), take the mean and biased variance over "
    "the last axis, normalise with sqrt(var + eps), reshape back to x.shape.",
    success="The same as torch.nn.functional.group_norm.",
)


def check_group_norm(fn: Callable[..., Any]) -> None:
    r"""Check ``group_norm(x, num_groups, eps) -> array`` for ``x`` of shape (N, C, H, W).

    Each example's channels are split into ``num_groups`` runs of neighbouring channels;
    each run (with all its positions) is standardised with its own mean and biased
    variance, :math:`(x-\mu)/\sqrt{\sigma^2+\varepsilon}` (no γ, β). Recognises:
    interleaved groups, layer norm, instance norm, averaging over the batch, ``ddof=1``,
    eps outside the root, and a missing eps (a constant group).

    Example:
        >>> import numpy as np
        >>> def group_norm(x, num_groups, eps):
        ...     g = x.reshape(x.shape[0], num_groups, -1)
        ...     mean, var = g.mean(axis=2, keepdims=True), g.var(axis=2, keepdims=True)
        ...     return ((g - mean) / np.sqrt(var + eps)).reshape(x.shape)
        >>> check_group_norm(group_norm)  # doctest: +ELLIPSIS
        ✓ group_norm: correct on all 4 cases (...

    Taught in chapter 6 (Normalization).
    """
    _GROUP_NORM(fn)


# ------------------------------------------------------------ counting the statistics
LAYERS = ("batch", "layer", "instance", "group")


def _count_cases() -> list[Case]:
    return [
        Case("batch norm on (8, 16, 5, 5)", ("batch", (8, 16, 5, 5), 4)),
        Case("layer norm on (8, 16, 5, 5)", ("layer", (8, 16, 5, 5), 4)),
        Case("instance norm on (8, 16, 5, 5)", ("instance", (8, 16, 5, 5), 4)),
        Case("group norm, 4 groups, on (8, 16, 5, 5)", ("group", (8, 16, 5, 5), 4)),
        Case("group norm, 2 groups, on (3, 6, 4, 7)", ("group", (3, 6, 4, 7), 2)),
        Case("batch norm on (32, 10, 1, 1)", ("batch", (32, 10, 1, 1), 1)),
        Case("layer norm on (2, 3, 4, 4)", ("layer", (2, 3, 4, 4), 1)),
    ]


def _count(layer: str, shape: tuple[int, int, int, int], num_groups: int) -> tuple[int, int]:
    """(number of means, values per mean), read off nnlib's layers applied to ``shape``."""
    n, c, h, w = shape
    hw = h * w
    counts = {
        "batch": (c, n * hw),
        "layer": (n, c * hw),
        "instance": (n * c, hw),
        "group": (n * num_groups, (c // num_groups) * hw),
    }
    return counts[layer]


def _count_reference(layer: str, shape: tuple[int, ...], num_groups: int) -> tuple:
    means, size = _count(layer, shape, num_groups)  # type: ignore[arg-type]
    return np.array(means), np.array(size)


def _wrong_count(table: dict[str, Callable[..., tuple[int, int]]]) -> Callable[..., tuple]:
    def wrong(layer: str, shape: tuple[int, ...], g: int) -> tuple:
        n, c, h, w = shape
        if layer not in table:
            return _count_reference(layer, shape, g)
        return tuple(np.array(v) for v in table[layer](n, c, h * w, g))

    return wrong


_COUNT = Checker(
    title="norm_statistics",
    cases=_count_cases,
    reference=_count_reference,
    output_names=("means", "values_per_mean"),
    float_output=False,
    mistakes=(
        Mistake(
            "batch and layer norm are swapped: batch norm keeps one mean per CHANNEL "
            "(over N, H, W); layer norm one per EXAMPLE (over C, H, W).",
            same_as(
                _wrong_count(
                    {
                        "batch": lambda n, c, hw, g: (n, c * hw),
                        "layer": lambda n, c, hw, g: (c, n * hw),
                    }
                )
            ),
        ),
        Mistake(
            "you returned (values per mean, means): the number of means comes first.",
            same_as(lambda layer, s, g: tuple(reversed(_count_reference(layer, s, g)))),
        ),
        Mistake(
            "batch norm on images averages over the positions too: each channel's mean "
            "is over N·H·W values, not N.",
            same_as(_wrong_count({"batch": lambda n, c, hw, g: (c, n)})),
        ),
        Mistake(
            "layer norm on (N, C, H, W), as in the chapter, normalises each example over "
            "C·H·W values, not only over its positions.",
            same_as(_wrong_count({"layer": lambda n, c, hw, g: (n * c, hw)})),
        ),
        Mistake(
            "instance norm keeps one mean per channel OF EACH EXAMPLE: N·C means.",
            same_as(_wrong_count({"instance": lambda n, c, hw, g: (c, hw)})),
        ),
        Mistake(
            "group norm keeps one mean per group of each example: N·num_groups means.",
            same_as(_wrong_count({"group": lambda n, c, hw, g: (g, n * (c // g) * hw)})),
        ),
        Mistake(
            "a group holds C // num_groups channels, each with H·W positions: "
            "(C // num_groups)·H·W values per mean.",
            same_as(_wrong_count({"group": lambda n, c, hw, g: (n * g, g * hw)})),
        ),
        Mistake(
            "group norm averages over the channels of a group AND their positions.",
            same_as(_wrong_count({"group": lambda n, c, hw, g: (n * g, c // g)})),
        ),
        Mistake(
            "the number of means times the values per mean is every value of the tensor, "
            "N·C·H·W: check that your two numbers multiply to it.",
            lambda attempt: (
                attempt.got is not None
                and int(np.prod([int(v) for v in attempt.got]))
                != int(np.prod(attempt.case.args[1]))
            ),
        ),
    ),
    default_hint="list the axes each layer averages over (batch: N, H, W; layer: C, H, W; "
    "instance: H, W; group: a group's channels, H, W); the values per mean are the product "
    "of their sizes, and the means are all the values divided by that.",
    success="You can read any normalisation layer's statistics off its axes.",
)


def check_norm_statistics(fn: Callable[..., Any]) -> None:
    r"""Check ``norm_statistics(layer, shape, num_groups) -> (means, values_per_mean)``.

    For ``layer`` in ``"batch"``, ``"layer"``, ``"instance"``, ``"group"`` applied in
    training to a tensor of ``shape`` (N, C, H, W) (layer norm over C, H, W;
    ``num_groups`` only matters for group norm), return how many means the layer computes
    and over how many values each is taken. Recognises: batch and layer swapped, the two
    numbers swapped, batch norm without the positions, layer norm per channel, instance
    norm per channel only, group norm without the batch or without the positions, and any
    pair whose product is not N·C·H·W.

    Example:
        >>> def norm_statistics(layer, shape, num_groups):
        ...     n, c, h, w = shape
        ...     return {"batch": (c, n * h * w), "layer": (n, c * h * w),
        ...             "instance": (n * c, h * w),
        ...             "group": (n * num_groups, c // num_groups * h * w)}[layer]
        >>> check_norm_statistics(norm_statistics)  # doctest: +ELLIPSIS
        ✓ norm_statistics: correct on all 7 cases (...

    Taught in chapter 6 (Normalization).
    """
    _COUNT(fn)
