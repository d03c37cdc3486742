r"""``maxout``: the maximum over groups of units, the activation of a maxout unit.

Re-exported by :mod:`nnlib.nn.functional.activation` and by ``nnlib.nn.functional``.

Taught in chapter 3 (activation functions and output heads).
"""

from __future__ import annotations

import numpy as np

from nnlib._checks import check_tensor, error, shape_str
from nnlib._tensor import Tensor, from_op


def maxout(input: Tensor, pieces: int) -> Tensor:
    r"""Maximum over consecutive groups of ``pieces`` units of the last dimension.

    Units ``k * pieces`` … ``(k + 1) * pieces - 1`` form group :math:`k`:

    .. math::

        y_k = \max_{j < p} x_{k p + j}, \qquad
        \frac{\partial y_k}{\partial x_{k p + j}} = [\,j \text{ wins}\,]

    The gradient goes to the winning unit of each group only (the first one on ties, as
    ``torch.max(dim)``). Applied to a linear layer's output this is a maxout unit
    (:class:`~nnlib.nn.Maxout`).

    Args:
        input: Shape ``(*, K * pieces)``.
        pieces: The group size :math:`p`, at least 1.

    Returns:
        A tensor of shape ``(*, K)``.

    Example:
        >>> import nnlib
        >>> from nnlib.nn import functional as F
        >>> F.maxout(nnlib.tensor([[1.0, -2.0, 0.5, 3.0]]), pieces=2)
        tensor([[1., 3.]])

    Taught in chapter 3 (activation functions and output heads).
    """
    check_tensor("F.maxout", input)
    x = input.data
    width = x.shape[-1] if x.ndim else 0
    if not isinstance(pieces, (int, np.integer)) or pieces < 1 or width % pieces:
        error(
            "F.maxout",
            f"pieces to be a positive divisor of the last dimension ({width})",
            f"pieces={pieces!r} for input of shape {shape_str(x.shape)}",
            "the input must hold out_features * pieces units; check the layer sizes.",
        )
    grouped = x.reshape(*x.shape[:-1], width // pieces, pieces)
    idx = np.expand_dims(grouped.argmax(axis=-1), -1)
    out = np.take_along_axis(grouped, idx, axis=-1)[..., 0]

    def backward(g: np.ndarray) -> tuple[np.ndarray]:
        grad = np.zeros(grouped.shape, dtype=g.dtype)
        np.put_along_axis(grad, idx, g[..., None], axis=-1)
        return (grad.reshape(x.shape),)

    return from_op(out, (input,), backward, "MaxoutBackward")
