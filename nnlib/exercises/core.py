r"""The machinery behind every checker: run cases, compare, recognise mistakes, print a verdict.

A chapter checker is a :class:`Checker`: a title, a handful of :class:`Case` inputs (edge
cases included), a reference that computes the right answer (from ``nnlib``; its parameter
names name the learner function's arguments), the names of the outputs, and a list of
:class:`Mistake` detectors, each pairing a test for a common error with the hint that
fixes it. :meth:`Checker.evaluate` runs the learner's function on every case and returns a
:class:`Verdict`; calling the checker prints the verdict's text and returns ``None``, so in
a notebook the text is the cell's only output.

Rules every checker follows:

- It never raises into the notebook: an exception in the learner's code becomes a verdict
  naming the exception, its message and the line of the learner's code where it happened.
- An untouched stub (its body is ``...`` or ``pass``, so it returns ``None``, or it raises
  ``NotImplementedError``) gets a friendly "not attempted yet".
- The text is deterministic: fixed float formatting, no memory addresses, no timings, and
  the cases come from a private seeded generator (the notebook's random state is untouched).

The pieces live in three modules: :mod:`nnlib.exercises.report` (comparison and
formatting), :mod:`nnlib.exercises.detectors` (:class:`Case`, :class:`Mistake` and the
detectors) and this one (:class:`Checker`, :class:`Verdict`); every name is importable from
here.

Taught in chapter 1 (the perceptron and the artificial neuron), where the first exercise
appears; used by every chapter's checkers.
"""

from __future__ import annotations

import copy
import inspect
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

import nnlib
from nnlib.exercises.detectors import (
    GENERIC_CRASH_MISTAKES,
    IN_PLACE_HINT,
    NOT_ATTEMPTED_TEXT,
    SHAPE_MISMATCH_HINT,
    Attempt,
    Case,
    Detector,
    Mistake,
    any_of,
    non_finite,
    output_is,
    raised,
    same_as,
    scaled_by,
    shape_is,
    transposed,
    when,
)
from nnlib.exercises.limits import LimitExceeded, describe_stop, limited
from nnlib.exercises.report import (
    ATOL,
    RTOL,
    SHOW_MAX,
    as_outputs,
    close,
    describe_error,
    first_difference,
    fmt,
    present,
    quiet,
    to_array,
    to_tensor,
)

__all__ = [
    "ATOL",
    "ERROR",
    "FAIL",
    "GENERIC_CRASH_MISTAKES",
    "IN_PLACE_HINT",
    "NOT_ATTEMPTED",
    "NOT_ATTEMPTED_TEXT",
    "PASS",
    "RTOL",
    "SHAPE_MISMATCH_HINT",
    "SHOW_MAX",
    "Attempt",
    "Case",
    "Checker",
    "Detector",
    "Mistake",
    "Verdict",
    "any_of",
    "close",
    "describe_error",
    "first_difference",
    "fmt",
    "non_finite",
    "output_is",
    "raised",
    "same_as",
    "scaled_by",
    "shape_is",
    "to_array",
    "to_tensor",
    "transposed",
    "when",
]

PASS, FAIL, ERROR, NOT_ATTEMPTED = "passed", "failed", "error", "not attempted"
MARKS = {PASS: "✓", FAIL: "✗", ERROR: "✗", NOT_ATTEMPTED: "○"}


# --------------------------------------------------------------------------- the verdict
@dataclass(frozen=True)
class Verdict:
    """The outcome of a check: a status and the text shown to the learner.

    Attributes:
        status: ``"passed"``, ``"failed"``, ``"error"`` (the learner's code raised) or
            ``"not attempted"``.
        text: The message, first line starting with ✓, ✗ or ○.
        hint: The targeted hint that was given, or ``""``.

    Example:
        >>> Verdict("passed", "✓ relu: correct.").passed
        True
    """

    status: str
    text: str
    hint: str = ""

    @property
    def passed(self) -> bool:
        """True when the learner's code agreed with the reference on every case."""
        return self.status == PASS

    def __str__(self) -> str:
        return self.text


# --------------------------------------------------------------------------- checker
@dataclass(eq=False)
class Checker:
    """A declarative checker: cases, a reference, and the mistakes it recognises.

    Attributes:
        title: The name of the function the learner writes, e.g. ``"softmax"``.
        arg_names: Names of the positional arguments, for the messages (keyword only);
            by default the names of the reference's own parameters.
        cases: Builds the list of :class:`Case` (called once per check).
        reference: Computes the right answer from a case's arguments (a value, or a tuple
            of values for several outputs).
        mistakes: Recognised mistakes, tried in order; the first that matches gives the hint.
        output_names: Names of the outputs when the function returns several (a tuple).
        default_hint: The hint when no recognised mistake matches.
        success: A short confirmation appended to the ✓ line.
        exact_dtype_kind: Reject results whose dtype kind is not floating (``"f"``).
        adapt: Turns the learner's function into one of the case's arguments, when the two
            differ (e.g. a schedule's factor at one step, checked over every step of a run).

    Example:
        >>> relu_check = Checker(
        ...     title="relu",
        ...     cases=lambda: [Case("mixed signs", (np.array([-1.0, 2.0]),))],
        ...     reference=lambda x: np.maximum(x, 0),
        ... )
        >>> relu_check(lambda x: np.maximum(x, 0))
        ✓ relu: correct on all 1 cases (mixed signs).
        >>> relu_check(lambda x: ...)  # doctest: +ELLIPSIS
        ○ relu: not attempted yet. ...
    """

    title: str
    arg_names: tuple[str, ...] = field(default=(), kw_only=True)
    cases: Callable[[], list[Case]]
    reference: Callable[..., Any]
    mistakes: Sequence[Mistake] = ()
    output_names: tuple[str, ...] = ()
    default_hint: str = ""
    success: str = ""
    float_output: bool = True
    adapt: Callable[[Callable[..., Any]], Callable[..., Any]] | None = None
    _cache: list[tuple[Case, tuple[np.ndarray, ...]]] = field(default_factory=list, repr=False)

    def __post_init__(self) -> None:
        if not self.arg_names:
            self.arg_names = _parameter_names(self.reference)

    @property
    def n_outputs(self) -> int:
        return max(1, len(self.output_names))

    def __call__(self, fn: Any) -> None:
        """Check ``fn`` and print the verdict (the only output in a notebook cell).

        Run from a solution cell (its source starts ``# @title Solution``), the verdict is
        labelled as the reference solution's (:func:`~nnlib.exercises.report.present`).
        """
        caller = sys._getframe(1).f_code.co_name  # the public check_... that called us
        check_name = caller if caller.startswith("check_") else ""
        print(present(self.evaluate(fn, check_name=check_name).text))

    def expected_cases(self) -> list[tuple[Case, tuple[np.ndarray, ...]]]:
        """Each case with its reference answer (computed once, then cached)."""
        if not self._cache:
            for case in self.cases():
                with quiet():
                    out = as_outputs(self.reference(*copy.deepcopy(case.args)), self.n_outputs)
                if out is None:
                    raise TypeError(
                        f"{self.title}: the reference returned None for {case.label!r}"
                    )
                self._cache.append((case, out))
        return self._cache

    def evaluate(self, fn: Any, check_name: str = "") -> Verdict:
        """Run ``fn`` on every case and return the :class:`Verdict` (never raises).

        ``check_name`` is the public checker's name for the messages (default
        ``check_<title>``).
        """
        if not callable(fn):
            call = f"{check_name or 'check_' + self.title}({self.title})"
            return Verdict(
                FAIL,
                f"✗ {self.title}: expected a function, got {fmt(fn)}.\n  hint: pass the "
                f"function itself, `{call}`, without calling it (no parentheses after its "
                "name).",
            )
        if self.adapt is not None:
            fn = self.adapt(fn)
        # Gradient tracking on, whatever an earlier cell left switched off: references and
        # answers that use autograd must not fail because of the notebook's global state.
        with nnlib.enable_grad():
            pairs = self.expected_cases()
            for number, (case, expected) in enumerate(pairs, start=1):
                verdict = self._run_case(fn, case, expected, f"case {number} of {len(pairs)}")
                if verdict is not None:
                    return verdict
        labels = "; ".join(case.label for case, _ in pairs)  # labels may contain commas
        text = f"✓ {self.title}: correct on all {len(pairs)} cases ({labels})."
        if self.success:
            text += f" {self.success}"
        return Verdict(PASS, text)

    # ------------------------------------------------------------------- internals
    def _run_case(
        self, fn: Callable[..., Any], case: Case, expected: tuple[np.ndarray, ...], where: str
    ) -> Verdict | None:
        args = copy.deepcopy(case.args)
        try:
            with quiet(), limited():
                result = fn(*args)
        except LimitExceeded as stop:
            first, running, hint = describe_stop(self.title, stop, f"{where}, {case.label!r}")
            body = [first] + ["  " + line for line in self._inputs_lines(case) + running]
            return Verdict(ERROR, "\n".join([*body, f"  hint: {hint}"]), hint)
        except NotImplementedError:
            return Verdict(
                NOT_ATTEMPTED,
                NOT_ATTEMPTED_TEXT.format(title=self.title, how="raised NotImplementedError"),
            )
        except Exception as err:
            return self._crash(case, expected, err, where)
        if result is None or result is Ellipsis:
            return Verdict(
                NOT_ATTEMPTED, NOT_ATTEMPTED_TEXT.format(title=self.title, how="returned None")
            )
        for name, before, after in zip(self.arg_names, case.args, args, strict=False):
            if not _same_value(before, after):
                hint = IN_PLACE_ROUNDING_HINT if _rounding_only(before, after) else IN_PLACE_HINT
                return self._fail(case, where, hint.format(name=name), [], "changed its input")
        got = _learner_outputs(result, self.n_outputs, self.output_names)
        if isinstance(got, str):
            return self._fail(case, where, got)
        for k, (g, e) in enumerate(zip(got, expected, strict=True)):
            if not close(g, e):
                return self._mismatch(case, expected, got, k, where)
            if self.float_output and g.dtype.kind not in "fc" and e.dtype.kind == "f":
                return self._fail(
                    case,
                    where,
                    f"return floating-point numbers: your {self._out_name(k)} has dtype "
                    f"{g.dtype}. Convert with `.astype(float)` (or `.astype(x.dtype)`).",
                    lines=self._compare_lines(expected, got, k),
                )
        return None

    def _out_name(self, k: int) -> str:
        return self.output_names[k] if self.output_names else "result"

    def _inputs_lines(self, case: Case) -> list[str]:
        parts = [f"{n} = {fmt(a)}" for n, a in zip(self.arg_names, case.args, strict=False)]
        one_line = "input:    " + ", ".join(parts)
        if len(one_line) <= 88:
            return [one_line]
        return ["input:    " + parts[0]] + [" " * 10 + part for part in parts[1:]]

    def _compare_lines(
        self, expected: tuple[np.ndarray, ...], got: tuple[np.ndarray, ...], k: int
    ) -> list[str]:
        e, g = expected[k], got[k]
        label = f" {self.output_names[k]}" if self.output_names else ""
        width = max(10, len(f"expected{label}: "))
        lines = [
            f"expected{label}:".ljust(width) + fmt(e),
            f"got{label}:".ljust(width) + fmt(g),
        ]
        if e.shape != g.shape and not (e.ndim == 0 and g.size == 1):
            lines.append(f"shape:    expected {e.shape}, got {g.shape}")
        elif e.size > SHOW_MAX or g.size > SHOW_MAX:
            lines.append(first_difference(g.reshape(e.shape), e))
        return lines

    def _mismatch(
        self,
        case: Case,
        expected: tuple[np.ndarray, ...],
        got: tuple[np.ndarray, ...],
        k: int,
        where: str,
    ) -> Verdict:
        attempt = Attempt(case, expected, got, index=k)
        hint = self._hint(attempt)
        if not hint:
            hint = _shape_hint(expected[k], got[k]) or self.default_hint
        what = f"wrong {self._out_name(k)}" if self.output_names else "wrong result"
        return self._fail(case, where, hint, self._compare_lines(expected, got, k), what)

    def _hint(self, attempt: Attempt) -> str:
        for mistake in self.mistakes:
            try:
                if mistake.detect(attempt):
                    return mistake.hint
            except Exception:
                continue
        return ""

    def _fail(
        self,
        case: Case,
        where: str,
        hint: str,
        lines: list[str] | None = None,
        what: str = "",
    ) -> Verdict:
        body = [f"✗ {self.title}: {what or 'wrong result'} on {where}, {case.label!r}."]
        body += ["  " + line for line in self._inputs_lines(case) + (lines or [])]
        if hint:
            body.append(f"  hint: {hint}")
        return Verdict(FAIL, "\n".join(body), hint)

    def _crash(
        self, case: Case, expected: tuple[np.ndarray, ...], err: BaseException, where: str
    ) -> Verdict:
        attempt = Attempt(case, expected, None, error=err)
        hint = self._hint(attempt)
        if not hint:
            for mistake in GENERIC_CRASH_MISTAKES:
                if mistake.detect(attempt):
                    hint = mistake.hint
                    break
        body = [f"✗ {self.title}: your code raised an error on {where}, {case.label!r}."]
        body += ["  " + line for line in self._inputs_lines(case)]
        body += ["  " + line for line in describe_error(err)]
        if hint:
            body.append(f"  hint: {hint}")
        return Verdict(ERROR, "\n".join(body), hint)


def _parameter_names(fn: Callable[..., Any]) -> tuple[str, ...]:
    """The names of ``fn``'s positional parameters, e.g. ``("X", "w", "b")``."""
    kinds = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
    parameters = inspect.signature(fn).parameters.values()
    return tuple(p.name for p in parameters if p.kind in kinds)


def _learner_outputs(
    result: Any, n: int, names: tuple[str, ...] = ()
) -> tuple[np.ndarray, ...] | str:
    """The learner's result as a tuple of float arrays, or a hint saying why it is not one."""
    if n > 1:
        if isinstance(result, dict):
            named = all(name in result for name in names)
            result = tuple(result[name] for name in names) if named else tuple(result.values())
        if not isinstance(result, (tuple, list)) or len(result) != n:
            count = len(result) if isinstance(result, (tuple, list)) else 1
            return f"return {n} values (a tuple), got {count}."
        values = tuple(result)
    else:
        values = (result,)
    out = []
    for v in values:
        if v is None:
            return "one of the values you return is None: did a line forget its `return`?"
        try:
            arr = to_array(v)
        except Exception:
            return f"return numbers (a NumPy array or a tensor), got a {type(v).__name__}."
        if arr.dtype == object or arr.dtype.kind not in "biufc":
            return f"return numbers (a NumPy array or a tensor), got a {type(v).__name__}."
        out.append(arr)
    return tuple(out)


def _same_value(before: Any, after: Any) -> bool:
    """Whether an argument is unchanged by the call (compares arrays and tensors by value)."""
    if isinstance(before, np.ndarray) or hasattr(before, "data"):
        b, a = to_array(before), to_array(after)
        return b.shape == a.shape and bool(np.array_equal(b, a, equal_nan=True))
    if isinstance(before, (tuple, list)):
        return len(before) == len(after) and all(
            _same_value(b, a) for b, a in zip(before, after, strict=True)
        )
    return True


#: The input was nudged and "restored" by arithmetic (``x[i] += eps`` ... ``x[i] -= eps``):
#: it differs from the original only by rounding, which the in-place hint would not explain.
IN_PLACE_ROUNDING_HINT = (
    "your function changed its input {name} by a rounding error only: nudging an element and "
    "undoing it with arithmetic ({name}[j] += eps, then -= eps) does not always give back the "
    "same float. Save the old value and put it back ({name}[j] = old), or work on a copy "
    "({name} = {name}.copy())."
)


def _rounding_only(before: Any, after: Any) -> bool:
    """Whether a changed float argument differs from its old value by rounding only."""
    if not (isinstance(before, np.ndarray) or hasattr(before, "data")):
        return False
    b, a = to_array(before), to_array(after)
    return (
        b.shape == a.shape
        and b.dtype.kind == "f"
        and bool(np.allclose(a, b, rtol=1e-12, atol=1e-300, equal_nan=True))
    )


def _shape_hint(expected: np.ndarray, got: np.ndarray) -> str:
    if expected.shape == got.shape or (expected.ndim == 0 and got.size == 1):
        return ""
    if expected.size == got.size:
        return (
            f"the right numbers may be there, but in shape {got.shape} instead of "
            f"{expected.shape}: check keepdims / reshape, or a missing transpose."
        )
    return (
        f"the shape is {got.shape}, but should be {expected.shape}: check the order of the "
        "factors in each matrix product (and any transpose `.T`), and which axis you sum or "
        "average over."
    )
