"""Recognising common mistakes: the pieces of a checker and the reusable detectors.

A :class:`Mistake` pairs a detector, a function of an :class:`Attempt` (one case, the right
answer, the learner's answer or exception) that returns True when the attempt shows the
mistake, with the hint that fixes it. The factories below build the usual detectors; a
chapter module combines them declaratively. Used by every chapter's checkers.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from nnlib.exercises.report import as_outputs, close, quiet


@dataclass(frozen=True)
class Case:
    """One input to try: a label the learner reads, and the positional arguments.

    Attributes:
        label: A short description, e.g. ``"large logits [1000, 1001, 1002]"``.
        args: The positional arguments passed to the learner's function (deep-copied for
            each call, so a function that modifies its input cannot spoil later cases).
    """

    label: str
    args: tuple[Any, ...]


@dataclass
class Attempt:
    """What a detector gets to look at: one case, the right answer and the learner's answer.

    Attributes:
        case: The case that failed.
        expected: The reference outputs, a tuple of arrays.
        got: The learner's outputs, a tuple of arrays (``None`` if the call crashed).
        index: Which output differs first (0 for single-output functions).
        error: The exception the learner's code raised, or ``None``.
    """

    case: Case
    expected: tuple[np.ndarray, ...]
    got: tuple[np.ndarray, ...] | None
    index: int = 0
    error: BaseException | None = None


Detector = Callable[[Attempt], bool]


@dataclass(frozen=True)
class Mistake:
    """A common mistake: a detector that recognises it and the hint that fixes it.

    Attributes:
        hint: What to tell the learner, e.g. ``"did you forget to add the bias b?"``.
        detect: A function of an :class:`Attempt` returning True when the attempt shows
            the mistake; the detectors below build the usual ones.
    """

    hint: str
    detect: Detector


# ----------------------------------------------------------------------- detectors
def same_as(wrong: Callable[..., Any], /, output: int | None = None, **switches: Any) -> Detector:
    """Detect a mistake by computing it: the learner's output matches ``wrong(*args)``.

    ``wrong`` takes the case's arguments and returns what the mistaken code would return
    (same structure as the reference). The output that differs first is compared, or
    ``output`` if given. Only counts when the mistake gives a different answer than the
    reference on this case.

    Many checkers reproduce their mistakes with one function and keyword switches, such as
    ``_adam(*args, eps_inside=True)``; the ``switches`` are passed to ``wrong`` on every
    call, so ``same_as(_adam, eps_inside=True)`` reads "the same as Adam with eps inside
    the square root".

    Args:
        wrong: The mistaken computation, a function of the case's arguments.
        output: Which output to compare (default: the first one that differs).
        **switches: Keyword arguments for ``wrong``, the switches that make its mistake.

    Returns:
        A detector for :class:`Mistake`.

    Example:
        >>> forgot_bias = same_as(lambda X, w, b: X @ w)
        >>> def affine(X, w, b, *, no_bias=False):
        ...     return X @ w if no_bias else X @ w + b
        >>> also_forgot_bias = same_as(affine, no_bias=True)
    """

    def detect(attempt: Attempt) -> bool:
        if attempt.got is None:
            return False
        k = attempt.index if output is None else output
        try:
            with quiet():
                made = as_outputs(
                    wrong(*copy.deepcopy(attempt.case.args), **switches), len(attempt.expected)
                )
        except Exception:
            return False
        if made is None:
            return False
        return close(attempt.got[k], made[k]) and not close(made[k], attempt.expected[k])

    return detect


def any_of(*detectors: Detector) -> Detector:
    """Detect any of several forms of one mistake: fires when one of ``detectors`` fires.

    The detectors are tried in order and the first that fires decides, as with ``or``.

    Args:
        *detectors: The detectors, e.g. the same mistake made in two directions.

    Returns:
        A detector for :class:`Mistake`.

    Example:
        >>> off_by_one = any_of(
        ...     same_as(lambda values: values[1:]), same_as(lambda values: values[:-1])
        ... )
    """

    def detect(attempt: Attempt) -> bool:
        return any(detector(attempt) for detector in detectors)

    return detect


def when(label: str, detector: Detector | None = None) -> Detector:
    """Restrict a detector to cases whose label contains ``label`` (any mismatch if None).

    Args:
        label: Part of a :class:`Case` label, e.g. ``"large logits"``.
        detector: The detector to restrict; ``None`` fires on any mismatch in that case.

    Returns:
        A detector for :class:`Mistake`.

    Example:
        >>> on_large = when("large logits", non_finite())
    """

    def detect(attempt: Attempt) -> bool:
        if label not in attempt.case.label:
            return False
        return True if detector is None else detector(attempt)

    return detect


def output_is(index: int, detector: Detector) -> Detector:
    """Restrict a detector to attempts where output number ``index`` is the one that differs.

    Args:
        index: Position of the output (0 for ``dW1`` in ``(dW1, db1, dW2, db2)``).
        detector: The detector to restrict.

    Returns:
        A detector for :class:`Mistake`.
    """

    def detect(attempt: Attempt) -> bool:
        return attempt.index == index and detector(attempt)

    return detect


def scaled_by(factor: Callable[..., float]) -> Detector:
    """Detect an answer that is off by a constant factor, e.g. a sum where a mean is wanted.

    ``factor(*args)`` gives the factor for the case, such as the number of examples m:
    the detector fires when ``got ≈ factor × expected`` (and the factor is not 1).

    Args:
        factor: A function of the case's arguments giving the factor (``-1`` for a sign).

    Returns:
        A detector for :class:`Mistake`.

    Example:
        >>> sum_not_mean = scaled_by(lambda y_hat, y: y.size)
    """

    def detect(attempt: Attempt) -> bool:
        if attempt.got is None:
            return False
        f = float(factor(*attempt.case.args))
        e = attempt.expected[attempt.index]
        return f != 1.0 and bool(np.any(e != 0)) and close(attempt.got[attempt.index], f * e)

    return detect


def non_finite() -> Detector:
    """Detect NaN or infinity in the learner's output where the right answer is finite.

    The usual cause is an overflow: ``exp`` of a large number (softmax without subtracting
    the maximum, a log of a sigmoid that rounded to 0).

    Returns:
        A detector for :class:`Mistake`.

    Example:
        >>> overflow = Mistake("subtract the maximum first", non_finite())
    """

    def detect(attempt: Attempt) -> bool:
        if attempt.got is None:
            return False
        g = attempt.got[attempt.index]
        e = attempt.expected[attempt.index]
        try:
            return bool(np.all(np.isfinite(e)) and not np.all(np.isfinite(g.astype(float))))
        except (TypeError, ValueError):
            return False

    return detect


def transposed() -> Detector:
    """Detect the transpose of the right answer (a missing or extra ``.T``).

    Returns:
        A detector for :class:`Mistake` (fires for non-square 2-D outputs only).
    """

    def detect(attempt: Attempt) -> bool:
        if attempt.got is None:
            return False
        g, e = attempt.got[attempt.index], attempt.expected[attempt.index]
        return e.ndim == 2 and e.shape[0] != e.shape[1] and close(g, e.T)

    return detect


def shape_is(shape: Callable[..., tuple[int, ...]]) -> Detector:
    """Detect an output of a particular wrong shape, computed from the case's arguments.

    Args:
        shape: A function of the case's arguments giving the wrong shape, e.g.
            ``lambda x, t: (len(t),)`` for a per-example loss that was never averaged.

    Returns:
        A detector for :class:`Mistake`.
    """

    def detect(attempt: Attempt) -> bool:
        if attempt.got is None:
            return False
        return attempt.got[attempt.index].shape == tuple(shape(*attempt.case.args))

    return detect


def raised(kind: type[BaseException], pattern: str = "") -> Detector:
    """Detect a crash of a given exception type whose message matches ``pattern``.

    Args:
        kind: The exception class (subclasses match too).
        pattern: A regular expression searched in the message, case-insensitively.

    Returns:
        A detector for :class:`Mistake`.

    Example:
        >>> no_keepdims = raised(ValueError, "broadcast")
    """

    def detect(attempt: Attempt) -> bool:
        err = attempt.error
        return isinstance(err, kind) and re.search(pattern, str(err), re.IGNORECASE) is not None

    return detect


# Hints every checker can give.
IN_PLACE_HINT = (
    "your function changed its input {name} in place (e.g. `{name} -= ...`, `{name}[...] = "
    "...` or `{name}.sort()`). Work on a new array instead (`{name} = {name} - ...`), so "
    "the caller's data stays as it was."
)
SHAPE_MISMATCH_HINT = (
    "a shape mismatch: print the shapes of the arrays on that line (`print(X.shape, "
    "w.shape)`); a missing or extra transpose `.T` is the usual cause."
)
NOT_ATTEMPTED_TEXT = (
    "○ {title}: not attempted yet. Replace the `...` in the exercise cell with your code and "
    "run the cell again. (Your function {how}; if you have written code, check that it ends "
    "with a `return`.)"
)
GENERIC_CRASH_MISTAKES = (
    Mistake(
        "that axis does not exist for this input: for the last axis write `axis=-1`, which "
        "works for a single vector and for a batch alike.",
        raised(Exception, r"axis -?\d+ is out of bounds"),
    ),
    Mistake(SHAPE_MISMATCH_HINT, raised(ValueError, r"matmul|align|broadcast|shape")),
    Mistake(
        "a name is undefined: check its spelling, and run the cells above this one first.",
        raised(NameError),
    ),
)
