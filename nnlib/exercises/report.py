"""Turning values and errors into the text of a verdict: conversion, comparison, formatting.

Everything here is deterministic: floats with five significant digits, arrays on one line,
exception messages without memory addresses, the learner's line without the (temporary)
file name. Used by :mod:`nnlib.exercises.core` for every chapter's checkers.
"""

from __future__ import annotations

import math
import re
import sys
import traceback
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

import nnlib

# How close is close enough: the learner may compute in float32 (nnlib's default dtype).
RTOL, ATOL = 1e-4, 1e-6
# Arrays with more elements than this are shown by shape plus their first difference.
SHOW_MAX = 12

_NNLIB_DIR = str(Path(__file__).resolve().parent.parent)
_LIBRARY_DIRS = tuple(
    {str(Path(p).resolve()) for p in (sys.prefix, sys.base_prefix, sys.exec_prefix)}
)
_ADDRESS = re.compile(r"\bat 0x[0-9a-fA-F]+|0x[0-9a-fA-F]{6,}")


def to_array(value: Any) -> np.ndarray:
    """Turn a learner's result (NumPy array, nnlib or torch tensor, number, list) into an array.

    Args:
        value: What the learner's function returned (or one element of a returned tuple).

    Returns:
        A NumPy array (nnlib's ``Tensor.data`` itself, no copy).

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


def to_tensor(value: Any, requires_grad: bool = False) -> nnlib.Tensor:
    """A case's argument as a float64 nnlib tensor, for a reference computed by nnlib.

    Args:
        value: An array, a number or a nested list.
        requires_grad: Whether autograd should track it (for a reference gradient).

    Returns:
        A new float64 tensor.

    Example:
        >>> str(to_tensor([1, 2]).dtype)
        'float64'
    """
    return nnlib.tensor(np.asarray(value, dtype=np.float64), requires_grad=requires_grad)


def close(
    got: Any, expected: Any, rtol: float = RTOL, atol: float = ATOL, equal_nan: bool = False
) -> bool:
    """True when two results have compatible shapes and agree within the tolerance.

    A scalar expectation accepts a one-element array. NaN matches only with ``equal_nan``.

    Args:
        got: The learner's value.
        expected: The reference value.
        rtol: Relative tolerance (default ``1e-4``, loose enough for float32 work).
        atol: Absolute tolerance (default ``1e-6``).
        equal_nan: Whether NaN equals NaN.

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

    Floats get five significant digits; arrays up to 12 elements are printed on one line,
    larger ones by their shape; objects by their type name (never their address).

    Args:
        value: A number, array, tensor, tuple or list.

    Example:
        >>> fmt(np.array([0.5, 1/3]))
        '[0.5 0.33333]'
        >>> fmt(np.zeros((4, 5)))
        'array of shape (4, 5)'
        >>> fmt("a diamond")
        "'a diamond'"
    """
    if isinstance(value, str):
        return repr(value)
    if isinstance(value, (bool, np.bool_)):
        return str(bool(value))
    if isinstance(value, (str, np.str_)):
        return repr(str(value))
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
        formatter={"float_kind": _fmt_float, "bool": _fmt_bool},
    )
    return re.sub(r"\]\n\s*\[", "] [", text)  # one line: [[1. 2.] [3. 4.]]


def _is_numeric_sequence(value: Sequence[Any]) -> bool:
    return all(isinstance(v, (int, float, np.number)) for v in value)


def _fmt_bool(b: np.bool) -> str:
    return str(bool(b))


def _fmt_float(x: float | np.floating) -> str:
    if math.isnan(x) or math.isinf(x):
        return str(x)
    if x == 0:
        return "0."
    text = f"{x:.5g}"
    return text if any(c in text for c in ".en") else text + "."


def first_difference(got: np.ndarray, expected: np.ndarray) -> str:
    """Describe where two same-shaped arrays first disagree (for arrays too big to show).

    Example:
        >>> first_difference(np.array([1.0, 2.0, 3.0]), np.array([1.0, 2.5, 3.0]))
        'first difference at [1]: expected 2.5, got 2.'
    """
    g = np.asarray(got, dtype=np.float64)
    e = np.asarray(expected, dtype=np.float64)
    bad = ~np.isclose(g, e, rtol=RTOL, atol=ATOL)
    if not bad.any():
        return ""
    where = np.argwhere(bad)[0]
    at = "[" + ", ".join(str(int(i)) for i in where) + "]"
    return f"first difference at {at}: expected {fmt(e[tuple(where)])}, got {fmt(g[tuple(where)])}"


class quiet:
    """Silence NumPy floating-point warnings, whose text would vary the cell's output.

    Example:
        >>> with quiet():
        ...     print(np.float64(1.0) / 0.0)
        inf
    """

    def __enter__(self) -> None:
        self._err = np.seterr(all="ignore")
        self._warn = warnings.catch_warnings()
        self._warn.__enter__()
        warnings.simplefilter("ignore")

    def __exit__(self, *exc: Any) -> None:
        self._warn.__exit__(*exc)
        np.seterr(**self._err)


def as_outputs(value: Any, n: int) -> tuple[np.ndarray, ...] | None:
    """A function's result as a tuple of ``n`` arrays (``None`` stays ``None``).

    Args:
        value: One value when ``n`` is 1, else a sequence of ``n`` values.
        n: How many outputs the function has.

    Returns:
        The outputs as NumPy arrays, or ``None`` when ``value`` is ``None``.

    Example:
        >>> as_outputs((1.0, [2.0, 3.0]), 2)
        (array(1.), array([2., 3.]))
    """
    if value is None:
        return None
    if n == 1:
        return (to_array(value),)
    return tuple(to_array(v) for v in value)


def describe_error(err: BaseException) -> list[str]:
    """Summarise an exception for a verdict: its type and message, and the learner's line.

    The line is the deepest frame outside nnlib, NumPy and the standard library, i.e. the
    learner's own code. File names are left out (in a notebook they are temporary files);
    memory addresses are masked.

    Args:
        err: The exception the learner's code raised.

    Returns:
        Lines ``error: Type: message`` (plus up to three continuation lines) and
        ``where: line N of your code, in f: <source line>``.

    Example:
        >>> describe_error(ValueError("shapes (3,) and (4,) not aligned"))
        ['error:    ValueError: shapes (3,) and (4,) not aligned']
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


# --------------------------------------------------------------- whose verdict it is
#: The first line of every solution cell (see CONTRIBUTING, "Marking the solution").
SOLUTION_TITLE = "# @title Solution"
REFERENCE_LABEL = "reference solution"


def current_cell_source() -> str | None:
    """The source of the notebook cell that is running now, or ``None`` outside IPython.

    Under ipykernel (Jupyter, Colab, nbclient, nbval) it is the code of the execute request
    being handled; otherwise, in a terminal IPython, the last raw input in the history when
    it belongs to the current execution. IPython is never imported here: outside a notebook
    or an IPython shell this returns ``None`` at once.

    Example:
        >>> current_cell_source() is None  # a doctest runs outside IPython
        True
    """
    ipython = sys.modules.get("IPython")
    shell = ipython.get_ipython() if ipython is not None else None
    if shell is None:
        return None
    kernel = getattr(shell, "kernel", None)
    for parent in (
        _call(getattr(kernel, "get_parent", None), "shell"),  # ipykernel >= 6
        getattr(shell, "parent_header", None),  # older ipykernel (Colab's 5.x)
    ):
        code = parent.get("content", {}).get("code") if isinstance(parent, dict) else None
        if isinstance(code, str):
            return code
    history = getattr(getattr(shell, "history_manager", None), "input_hist_raw", None)
    if history and len(history) - 1 == getattr(shell, "execution_count", None):
        return str(history[-1])
    return None


def _call(fn: Any, *args: Any) -> Any:
    try:
        return fn(*args) if callable(fn) else None
    except Exception:
        return None


def in_solution_cell() -> bool:
    """Whether the running cell is a solution cell (its source starts ``# @title Solution``)."""
    source = current_cell_source()
    return source is not None and source.lstrip().startswith(SOLUTION_TITLE)


def label_reference(text: str) -> str:
    """A verdict's text as the output of the reference solution, not the learner's code.

    The mark gets ``reference solution —`` after it, and the first line's "Your …" becomes
    "The reference solution's …", so that under Run All the ✓ below a hidden solution is not
    mistaken for the learner's own.

    Example:
        >>> label_reference("✓ relu: correct on all 2 cases (a; b). Your relu is right.")
        "✓ reference solution — relu: correct on all 2 cases (a; b). The reference solution's relu is right."
    """  # noqa: E501
    first, newline, rest = text.partition("\n")
    mark, space, words = first.partition(" ")
    if not space:
        return text
    words = re.sub(r"\bYour\b", "The reference solution's", words)
    words = re.sub(r"\byour\b", "the reference solution's", words)
    return f"{mark} {REFERENCE_LABEL} — {words}{newline}{rest}"


def present(text: str) -> str:
    """The text a checker prints: labelled as the reference's when a solution cell runs it.

    Outside IPython, and in every cell but a solution cell, the text is unchanged.

    Example:
        >>> present("✓ relu: correct on all 2 cases (a; b).")
        '✓ relu: correct on all 2 cases (a; b).'
    """
    return label_reference(text) if in_solution_cell() else text
