r"""Check a backward rule against finite differences: ``gradcheck``.

For every element :math:`x_j` of every input that requires grad, the central difference

.. math::

    \frac{\partial f_i}{\partial x_j} \approx
    \frac{f_i(x + \varepsilon e_j) - f_i(x - \varepsilon e_j)}{2\varepsilon}

is compared with what ``backward`` computes. The error of a central difference shrinks like
:math:`\varepsilon^2`, so in float64 with :math:`\varepsilon = 10^{-6}` a correct rule
agrees to about :math:`10^{-9}`, and a wrong one shows up at once.

Taught in chapter 2 (backpropagation).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from nnlib._tensor import Tensor
from nnlib.grad_mode import no_grad


class GradcheckError(RuntimeError):
    """Raised by :func:`gradcheck` when analytical and numerical gradients disagree."""


def _outputs(fn: Callable[..., Any], inputs: Sequence[Tensor]) -> list[Tensor]:
    out = fn(*inputs)
    return list(out) if isinstance(out, (tuple, list)) else [out]


def gradcheck(
    fn: Callable[..., Any],
    inputs: Tensor | Sequence[Any],
    eps: float = 1e-6,
    atol: float = 1e-5,
    rtol: float = 1e-3,
    raise_exception: bool = True,
) -> bool:
    """Compare the gradients ``backward`` computes with central finite differences.

    Args:
        fn: A function of the inputs returning a tensor (or a tuple of tensors).
        inputs: A tensor or a sequence of tensors (and other arguments passed through).
            Tensors that require grad are checked; they must be float64, because float32
            is too coarse for finite differences.
        eps: The step :math:`\\varepsilon` of the central difference.
        atol: Absolute tolerance.
        rtol: Relative tolerance.
        raise_exception: Raise :class:`GradcheckError` with a readable report when the
            check fails (default); otherwise print the report and return ``False``.

    Returns:
        ``True`` when every gradient agrees within ``atol + rtol * |numerical|``.

    Example:
        >>> import nnlib
        >>> x = nnlib.randn(3, 2, dtype=nnlib.float64, requires_grad=True)
        >>> nnlib.autograd.gradcheck(lambda t: (t.tanh() * t).sum(dim=1), (x,))
        True

    Taught in chapter 2 (backpropagation).
    """
    inputs = (inputs,) if isinstance(inputs, Tensor) else tuple(inputs)
    checked = [i for i, t in enumerate(inputs) if isinstance(t, Tensor) and t.requires_grad]
    if not checked:
        raise ValueError(
            "gradcheck: expected at least one input tensor with requires_grad=True, got none.\n"
            "help: create the inputs with requires_grad=True."
        )
    for i in checked:
        if inputs[i].data.dtype != np.float64:
            raise TypeError(
                f"gradcheck: expected float64 inputs, got {inputs[i].data.dtype} for input {i}."
                "\nhelp: finite differences need double precision; pass x.double() "
                "(or create the tensor with dtype=nnlib.float64)."
            )

    outputs = _outputs(fn, inputs)
    problems: list[str] = []
    for o_idx, out in enumerate(outputs):
        if not isinstance(out, Tensor) or not out.requires_grad:
            continue
        for i in checked:
            x = inputs[i]
            analytical = np.zeros((out.data.size, x.data.size))
            for k in range(out.data.size):  # one backward pass per output element
                for j in checked:
                    inputs[j].grad = None
                seed = np.zeros(out.data.size)
                seed[k] = 1.0
                recomputed = _outputs(fn, inputs)[o_idx]
                recomputed.backward(seed.reshape(out.data.shape))
                if x.grad is not None:
                    analytical[k] = x.grad.data.ravel()
            numerical = np.zeros_like(analytical)
            # Perturb the input in place, element by element in the order of .ravel(). (Not
            # through x.data.reshape(-1): for a non-C-contiguous array that is a copy.)
            with no_grad():
                for j, at in enumerate(np.ndindex(x.data.shape)):
                    orig = x.data[at]
                    x.data[at] = orig + eps
                    plus = _outputs(fn, inputs)[o_idx].data.ravel().copy()
                    x.data[at] = orig - eps
                    minus = _outputs(fn, inputs)[o_idx].data.ravel().copy()
                    x.data[at] = orig
                    numerical[:, j] = (plus - minus) / (2 * eps)
            bad = np.abs(analytical - numerical) > atol + rtol * np.abs(numerical)
            if bad.any():
                problems.append(_report(o_idx, i, x, analytical, numerical, bad, out))
    for j in checked:
        inputs[j].grad = None
    if problems:
        report = "gradcheck failed: backward disagrees with finite differences.\n" + "\n".join(
            problems
        )
        if raise_exception:
            raise GradcheckError(report)
        print(report)
        return False
    return True


def _report(o_idx: int, i: int, x: Tensor, analytical: np.ndarray, numerical: np.ndarray,
            bad: np.ndarray, out: Tensor) -> str:  # fmt: skip
    rows, cols = np.nonzero(bad)
    lines = [
        f"  input {i} (shape {x.data.shape}), output {o_idx} (shape {out.data.shape}): "
        f"{bad.sum()} of {bad.size} partial derivatives differ; the worst:"
    ]
    # Rounded to 4 significant digits, then in index order: entries that differ by the same
    # amount (a transposed gradient) are listed in the same order on every CPU.
    gaps = [float(f"{g:.4g}") for g in np.abs(analytical - numerical)[rows, cols]]
    worst = np.argsort(-np.array(gaps), kind="stable")[:5]
    for w in worst:
        r, c = rows[w], cols[w]
        at_in = np.unravel_index(c, x.data.shape) if x.data.ndim else ()
        at_out = np.unravel_index(r, out.data.shape) if out.data.ndim else ()
        lines.append(
            f"    d out{list(map(int, at_out))} / d input{list(map(int, at_in))}: backward gave "
            f"{analytical[r, c]:.6g}, finite differences give {numerical[r, c]:.6g}"
        )
    ratio = analytical[bad] / np.where(numerical[bad] == 0, np.nan, numerical[bad])
    if np.all(np.isfinite(ratio)) and np.allclose(ratio, ratio[0], rtol=1e-3):
        lines.append(
            f"    every wrong entry is off by the same factor {ratio[0]:.4g}: a missing or "
            "extra constant (a 2 from a square? a 1/n from a mean?)"
        )
    elif np.allclose(analytical[bad], 0):
        lines.append("    backward gave 0 there: is a gradient not passed on to this input?")
    lines.append("  help: re-derive the backward rule for this input, then check it again.")
    return "\n".join(lines)
