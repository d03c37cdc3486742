"""The input check shared by the activation functions (private to ``nnlib.nn.functional``)."""

from __future__ import annotations

from nnlib._checks import error
from nnlib._tensor import Tensor


def _check_tensor(where: str, input: object) -> None:
    __tracebackhide__ = True  # IPython and pytest hide this frame
    if not isinstance(input, Tensor):
        error(
            where,
            "a Tensor",
            type(input).__name__,
            "wrap the values first, e.g. nnlib.tensor([...]).",
            TypeError,
        )
