r"""The machinery behind every checker: run cases, compare, recognise mistakes, print a verdict.

A chapter checker is a :class:`Checker`: a title, the names of the learner function's
arguments and outputs, a handful of :class:`Case` inputs (edge cases included), a reference
that computes the right answer (from ``nnlib``), and a list of :class:`Mistake` detectors,
each pairing a test for a common error with the hint that fixes it. :meth:`Checker.evaluate`
runs the learner's function on every case and returns a :class:`Verdict`; calling the
checker prints the verdict's text and returns ``None``, so in a notebook the text is the
cell's only output.

Rules every checker follows:

- It never raises into the notebook: an exception in the learner's code becomes a verdict
  naming the exception, its message and the line of the learner's code where it happened.
- An untouched stub (its body is ``...`` or ``pass``, so it returns ``None``, or it raises
  ``NotImplementedError``) gets a friendly "not attempted yet".
- The text is deterministic: fixed float formatting, no memory addresses, no timings, and
  the cases come from a private seeded generator (the notebook's random state is untouched).

Taught in chapter 1 (the perceptron), where the first exercise appears; used by chapters 1-5.
"""

from __future__ import annotations

import copy
import math
import re
import sys
import traceback
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

PASS, FAIL, ERROR, NOT_ATTEMPTED = "passed", "failed", "error", "not attempted"
MARKS = {PASS: "✓", FAIL: "✗", ERROR: "✗", NOT_ATTEMPTED: "○"}

# How close is close enough: the learner may compute in float32 (nnlib's default dtype).
RTOL, ATOL = 1e-4, 1e-6
# Arrays with more elements than this are shown by shape plus their first difference.
SHOW_MAX = 12

_NNLIB_DIR = str(Path(__file__).resolve().parent.parent)
_LIBRARY_DIRS = tuple(
    {str(Path(p).resolve()) for p in (sys.prefix, sys.base_prefix, sys.exec_prefix)}
)
_ADDRESS = re.compile(r"\bat 0x[0-9a-fA-F]+|0x[0-9a-fA-F]{6,}")


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


# ------------------------------------------------------------------------ the pieces
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


# ------------------------------------------------------------------ array utilities
def to_array(value: Any) -> np.ndarray:
    """Turn a learner's result (NumPy array, nnlib or torch tensor, number, list) into an array.

    Example:
        >>> import nnlib
        >>> to_array(nnlib.tensor([1.0, 2.0]))
        array([1., 2.], dtype=float32)
    """
    data = getattr(value, "data", None)
    if isinstance(data, np.ndarray):  # nnlib.Tensor
        value = data
    elif hasattr(value, "detach") and hasattr(value, "cpu"):  # torch.Tensor
        value = value.detach().cpu().numpy()
    if isinstance(value, (list, tuple)):
        value = [to_array(v) for v in value]
    return np.asarray(value)


def close(
    got: Any, expected: Any, rtol: float = RTOL, atol: float = ATOL, equal_nan: bool = False
) -> bool:
    """True when two results have compatible shapes and agree within the tolerance.

    A scalar expectation accepts a one-element array. NaN matches only with ``equal_nan``.

    Example:
        >>> close(np.array([1.0, 2.0]), np.array([1.0, 2.00001]))
        True
    """
    try:
        g = np.asarray(got, dtype=np.float64)
        e = np.asarray(expected, dtype=np.float64)
    except (TypeError, ValueError):
        return False
    if e.ndim == 0 and g.size == 1:
        g = g.reshape(())
    if g.shape != e.shape:
        return False
    return bool(np.allclose(g, e, rtol=rtol, atol=atol, equal_nan=equal_nan))


def fmt(value: Any) -> str:
    """Format a value for a verdict: fixed float precision, small arrays in full.

    Example:
        >>> fmt(np.array([0.5, 1/3]))
        '[0.5 0.33333]'
        >>> fmt(np.zeros((4, 5)))
        'array of shape (4, 5)'
    """
    if isinstance(value, (bool, np.bool_)):
        return str(bool(value))
    if isinstance(value, (int, np.integer)):
        return str(int(value))
    if isinstance(value, (float, np.floating)):
        return _fmt_float(float(value))
    if isinstance(value, (tuple, list)) and not _is_numeric_sequence(value):
        inner = ", ".join(fmt(v) for v in value)
        return f"({inner})" if isinstance(value, tuple) else f"[{inner}]"
    try:
        arr = np.asarray(value)
    except Exception:
        return type(value).__name__
    if arr.dtype == object:
        return f"a {type(value).__name__}"
    if arr.ndim == 0:
        return fmt(arr.item())
    if arr.size > SHOW_MAX:
        return f"array of shape {arr.shape}"
    text = np.array2string(
        arr,
        separator=" ",
        max_line_width=10_000,
        formatter={"float_kind": _fmt_float, "bool": lambda b: str(bool(b))},
    )
    return re.sub(r"\]\n\s*\[", "] [", text)  # one line: [[1. 2.] [3. 4.]]


def _is_numeric_sequence(value: Sequence[Any]) -> bool:
    return all(isinstance(v, (int, float, np.number)) for v in value)


def _fmt_float(x: float) -> str:
    if math.isnan(x) or math.isinf(x):
        return str(x)
    if x == 0:
        return "0."
    text = f"{x:.5g}"
    return text if any(c in text for c in ".en") else text + "."


def first_difference(got: np.ndarray, expected: np.ndarray) -> str:
    """Describe where two same-shaped arrays first disagree, e.g. ``at [1, 2]: ...``."""
    g = np.asarray(got, dtype=np.float64)
    e = np.asarray(expected, dtype=np.float64)
    bad = ~np.isclose(g, e, rtol=RTOL, atol=ATOL)
    if not bad.any():
        return ""
    where = np.argwhere(bad)[0]
    at = "[" + ", ".join(str(int(i)) for i in where) + "]"
    return f"first difference at {at}: expected {fmt(e[tuple(where)])}, got {fmt(g[tuple(where)])}"


# ----------------------------------------------------------------------- detectors
def same_as(wrong: Callable[..., Any], output: int | None = None) -> Detector:
    """Detect a mistake by computing it: the learner's output matches ``wrong(*args)``.

    ``wrong`` takes the case's arguments and returns what the mistaken code would return
    (same structure as the reference). The output that differs first is compared, or
    ``output`` if given. Only counts when the mistake gives a different answer than the
    reference on this case.

    Example:
        >>> forgot_bias = same_as(lambda X, w, b: X @ w)
    """

    def detect(attempt: Attempt) -> bool:
        if attempt.got is None:
            return False
        k = attempt.index if output is None else output
        try:
            with _quiet():
                made = _as_outputs(wrong(*copy.deepcopy(attempt.case.args)), len(attempt.expected))
        except Exception:
            return False
        if made is None:
            return False
        return close(attempt.got[k], made[k]) and not close(made[k], attempt.expected[k])

    return detect


def when(label: str, detector: Detector | None = None) -> Detector:
    """Restrict a detector to cases whose label contains ``label`` (any mismatch if None).

    Example:
        >>> on_large = when("large logits", non_finite())
    """

    def detect(attempt: Attempt) -> bool:
        if label not in attempt.case.label:
            return False
        return True if detector is None else detector(attempt)

    return detect


def output_is(index: int, detector: Detector) -> Detector:
    """Restrict a detector to the case where output number ``index`` is the one that differs."""

    def detect(attempt: Attempt) -> bool:
        return attempt.index == index and detector(attempt)

    return detect


def scaled_by(factor: Callable[..., float]) -> Detector:
    """Detect an answer that is off by a constant factor, e.g. a sum where a mean is wanted.

    ``factor(*args)`` gives the factor for the case, such as the number of examples m:
    the detector fires when ``got ≈ factor × expected`` (and the factor is not 1).

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
    """Detect the transpose of the right answer (a missing or extra ``.T``)."""

    def detect(attempt: Attempt) -> bool:
        if attempt.got is None:
            return False
        g, e = attempt.got[attempt.index], attempt.expected[attempt.index]
        return e.ndim == 2 and e.shape[0] != e.shape[1] and close(g, e.T)

    return detect


def shape_is(shape: Callable[..., tuple[int, ...]]) -> Detector:
    """Detect an output of a particular wrong shape, computed from the case's arguments."""

    def detect(attempt: Attempt) -> bool:
        if attempt.got is None:
            return False
        return attempt.got[attempt.index].shape == tuple(shape(*attempt.case.args))

    return detect


def raised(kind: type[BaseException], pattern: str = "") -> Detector:
    """Detect a crash of a given exception type whose message matches ``pattern``."""

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


# --------------------------------------------------------------------------- checker
@dataclass(eq=False)
class Checker:
    """A declarative checker: cases, a reference, and the mistakes it recognises.

    Attributes:
        title: The name of the function the learner writes, e.g. ``"softmax"``.
        arg_names: Names of the positional arguments, for the messages.
        cases: Builds the list of :class:`Case` (called once per check).
        reference: Computes the right answer from a case's arguments (a value, or a tuple
            of values for several outputs).
        mistakes: Recognised mistakes, tried in order; the first that matches gives the hint.
        output_names: Names of the outputs when the function returns several (a tuple).
        default_hint: The hint when no recognised mistake matches.
        success: A short confirmation appended to the ✓ line.
        exact_dtype_kind: Reject results whose dtype kind is not floating (``"f"``).

    Example:
        >>> relu_check = Checker(
        ...     title="relu",
        ...     arg_names=("x",),
        ...     cases=lambda: [Case("mixed signs", (np.array([-1.0, 2.0]),))],
        ...     reference=lambda x: np.maximum(x, 0),
        ... )
        >>> relu_check(lambda x: np.maximum(x, 0))
        ✓ relu: correct on all 1 cases (mixed signs).
        >>> relu_check(lambda x: ...)  # doctest: +ELLIPSIS
        ○ relu: not attempted yet. ...
    """

    title: str
    arg_names: tuple[str, ...]
    cases: Callable[[], list[Case]]
    reference: Callable[..., Any]
    mistakes: Sequence[Mistake] = ()
    output_names: tuple[str, ...] = ()
    default_hint: str = ""
    success: str = ""
    float_output: bool = True
    _cache: list[tuple[Case, tuple[np.ndarray, ...]]] = field(default_factory=list, repr=False)

    @property
    def n_outputs(self) -> int:
        return max(1, len(self.output_names))

    def __call__(self, fn: Any) -> None:
        """Check ``fn`` and print the verdict (the only output in a notebook cell)."""
        print(self.evaluate(fn).text)

    def expected_cases(self) -> list[tuple[Case, tuple[np.ndarray, ...]]]:
        """Each case with its reference answer (computed once, then cached)."""
        if not self._cache:
            for case in self.cases():
                with _quiet():
                    out = _as_outputs(self.reference(*copy.deepcopy(case.args)), self.n_outputs)
                self._cache.append((case, out))
        return self._cache

    def evaluate(self, fn: Any) -> Verdict:
        """Run ``fn`` on every case and return the :class:`Verdict` (never raises)."""
        if not callable(fn):
            return Verdict(
                FAIL,
                f"✗ {self.title}: expected a function, got {fmt(fn)}.\n  hint: pass the "
                f"function itself, `check(...)({self.title})`, without calling it (no "
                "parentheses after its name).",
            )
        pairs = self.expected_cases()
        for number, (case, expected) in enumerate(pairs, start=1):
            verdict = self._run_case(fn, case, expected, f"case {number} of {len(pairs)}")
            if verdict is not None:
                return verdict
        labels = ", ".join(case.label for case, _ in pairs)
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
            with _quiet():
                result = fn(*args)
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
                return self._fail(
                    case, where, IN_PLACE_HINT.format(name=name), [], "changed its input"
                )
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


# --------------------------------------------------------------------- helpers
class _quiet:
    """Silence NumPy floating-point warnings, whose text would vary the cell's output."""

    def __enter__(self) -> None:
        self._err = np.seterr(all="ignore")
        self._warn = warnings.catch_warnings()
        self._warn.__enter__()
        warnings.simplefilter("ignore")

    def __exit__(self, *exc: object) -> None:
        self._warn.__exit__(*exc)
        np.seterr(**self._err)


def _as_outputs(value: Any, n: int) -> tuple[np.ndarray, ...] | None:
    if value is None:
        return None
    if n == 1:
        return (to_array(value),)
    return tuple(to_array(v) for v in value)


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


def describe_error(err: BaseException) -> list[str]:
    """Summarise an exception for a verdict: its type and message, and the learner's line.

    The line is the deepest frame outside nnlib, NumPy and the standard library, i.e. the
    learner's own code. File names are left out (in a notebook they are temporary files);
    memory addresses are masked.
    """
    message = _ADDRESS.sub("at 0x…", str(err)).strip().splitlines()
    first = message[0] if message else ""
    lines = [f"error:    {type(err).__name__}: {first}".rstrip()]
    lines += [f"          {line}" for line in message[1:4]]
    frame = _learner_frame(err)
    if frame is not None:
        code = (frame.line or "").strip()
        lines.append(f"where:    line {frame.lineno} of your code, in {frame.name}: {code}")
    return lines


def _learner_frame(err: BaseException) -> traceback.FrameSummary | None:
    frames = traceback.extract_tb(err.__traceback__)
    learner = None
    for frame in frames:
        path = frame.filename
        if path.startswith("<") and not path.startswith("<ipython-input"):
            continue  # <string>, <frozen ...>: not a file the learner wrote
        try:
            resolved = str(Path(path).resolve())
        except OSError:
            resolved = path
        if resolved.startswith(_NNLIB_DIR) or resolved.startswith(_LIBRARY_DIRS):
            continue
        learner = frame
    return learner
