r"""Weight initialisation with PyTorch's formulas and defaults (``torch.nn.init``).

Every function fills ``tensor.data`` in place (outside the graph), draws from nnlib's seeded
generator (:func:`nnlib.manual_seed`) unless given another ``generator``, and returns the
tensor, so ``init.zeros_(layer.bias)`` reads like PyTorch.

The scaled initialisers keep the variance of activations (``fan_in``) or of gradients
(``fan_out``) about the same from layer to layer:

- Xavier/Glorot (tanh, sigmoid): :math:`\mathrm{Var}(w) = \mathrm{gain}^2 \cdot
  \frac{2}{\mathrm{fan\_in} + \mathrm{fan\_out}}`.
- Kaiming/He (ReLU): :math:`\mathrm{Var}(w) = \mathrm{gain}^2 / \mathrm{fan}`, with
  :math:`\mathrm{gain} = \sqrt2` for ReLU.
"""

from __future__ import annotations

import math

import numpy as np

from nnlib._checks import check_tensor, error, shape_str
from nnlib._tensor import Tensor
from nnlib.random import default_generator

__all__ = [
    "calculate_gain",
    "constant_",
    "kaiming_normal_",
    "kaiming_uniform_",
    "normal_",
    "ones_",
    "uniform_",
    "xavier_normal_",
    "xavier_uniform_",
    "zeros_",
]

_LINEAR = ("linear", "conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d",
           "conv_transpose3d", "sigmoid")  # fmt: skip


def _check(where: str, tensor: object) -> Tensor:
    __tracebackhide__ = True  # IPython and pytest hide this frame
    return check_tensor(
        where,
        tensor,
        "a Tensor (e.g. a layer's weight)",
        "pass the parameter itself, e.g. init.zeros_(layer.bias).",
    )


def _rng(generator: np.random.Generator | None) -> np.random.Generator:
    return default_generator() if generator is None else generator


def calculate_gain(nonlinearity: str, param: float | None = None) -> float:
    r"""The recommended gain for an activation, to multiply a unit-variance init by.

    ============================  =========================================
    nonlinearity                  gain
    ============================  =========================================
    linear, conv, sigmoid         :math:`1`
    tanh                          :math:`5/3`
    relu                          :math:`\sqrt{2}`
    leaky_relu                    :math:`\sqrt{2 / (1 + \text{slope}^2)}`
    selu                          :math:`3/4`
    ============================  =========================================

    Args:
        nonlinearity: The activation's name, as in PyTorch (``'relu'``, ``'tanh'``, ...).
        param: The negative slope for ``'leaky_relu'`` (default 0.01).

    Returns:
        The gain, a float.

    Example:
        >>> from nnlib.nn import init
        >>> round(init.calculate_gain("relu"), 4), init.calculate_gain("tanh")
        (1.4142, 1.6666666666666667)

    Taught in chapter 8 (vanishing and exploding gradients).
    """
    if nonlinearity in _LINEAR:
        return 1.0
    if nonlinearity == "tanh":
        return 5.0 / 3
    if nonlinearity == "relu":
        return math.sqrt(2.0)
    if nonlinearity == "leaky_relu":
        if param is None:
            slope = 0.01
        elif isinstance(param, (int, float)) and not isinstance(param, bool):
            slope = param
        else:
            error(
                "init.calculate_gain",
                "a number for the negative slope of leaky_relu",
                repr(param),
                "pass e.g. calculate_gain('leaky_relu', 0.2).",
            )
        return math.sqrt(2.0 / (1 + slope**2))
    if nonlinearity == "selu":
        return 3.0 / 4
    error(
        "init.calculate_gain",
        "one of 'linear', 'sigmoid', 'tanh', 'relu', 'leaky_relu', 'selu' or a conv name",
        repr(nonlinearity),
        "use the name of the activation that follows the layer.",
    )


def _calculate_fan_in_and_fan_out(tensor: Tensor) -> tuple[int, int]:
    """``(fan_in, fan_out)``: inputs and outputs per unit of a weight ``(out, in, *kernel)``."""
    shape = tensor.data.shape
    if len(shape) < 2:
        error(
            "init",
            "a weight with at least 2 dimensions to compute fan in and fan out",
            f"shape {shape_str(shape)}",
            "use uniform_/normal_/zeros_ for biases and other 1-d tensors.",
        )
    receptive = math.prod(shape[2:]) if len(shape) > 2 else 1
    return shape[1] * receptive, shape[0] * receptive


def _calculate_correct_fan(tensor: Tensor, mode: str) -> int:
    if mode not in ("fan_in", "fan_out"):
        error(
            "init.kaiming",
            "mode='fan_in' or 'fan_out'",
            repr(mode),
            "'fan_in' keeps activations' variance (the default), 'fan_out' gradients'.",
        )
    fan_in, fan_out = _calculate_fan_in_and_fan_out(tensor)
    return fan_in if mode == "fan_in" else fan_out


def _kaiming_std(tensor: Tensor, a: float, mode: str, nonlinearity: str) -> float:
    r"""Kaiming's :math:`\sigma = \mathrm{gain} / \sqrt{\mathrm{fan}}`, for both Kaiming inits."""
    fan = _calculate_correct_fan(tensor, mode)
    return calculate_gain(nonlinearity, a) / math.sqrt(fan)


def uniform_(
    tensor: Tensor, a: float = 0.0, b: float = 1.0, generator: np.random.Generator | None = None
) -> Tensor:
    r"""Fill with values drawn uniformly from :math:`[a, b)`.

    Args:
        tensor: The tensor to fill, in place.
        a: Lower bound.
        b: Upper bound.
        generator: Optional NumPy generator (default: nnlib's seeded one).

    Returns:
        ``tensor``.

    Example:
        >>> import nnlib
        >>> from nnlib.nn import init
        >>> w = init.uniform_(nnlib.zeros(1000), -1.0, 1.0)
        >>> bool(w.data.min() >= -1 and w.data.max() < 1)
        True
    """
    _check("init.uniform_", tensor)
    tensor.data[...] = _rng(generator).uniform(a, b, size=tensor.data.shape)
    return tensor


def normal_(
    tensor: Tensor,
    mean: float = 0.0,
    std: float = 1.0,
    generator: np.random.Generator | None = None,
) -> Tensor:
    r"""Fill with values drawn from :math:`\mathcal N(\text{mean}, \text{std}^2)`.

    Args:
        tensor: The tensor to fill, in place.
        mean: The mean.
        std: The standard deviation.
        generator: Optional NumPy generator (default: nnlib's seeded one).

    Returns:
        ``tensor``.

    Example:
        >>> import nnlib
        >>> from nnlib.nn import init
        >>> w = init.normal_(nnlib.zeros(10000), std=0.1)
        >>> round(float(w.data.std()), 1)
        0.1
    """
    _check("init.normal_", tensor)
    tensor.data[...] = _rng(generator).normal(mean, std, size=tensor.data.shape)
    return tensor


def constant_(tensor: Tensor, val: float) -> Tensor:
    """Fill with the value ``val``.

    Args:
        tensor: The tensor to fill, in place.
        val: The value.

    Returns:
        ``tensor``.

    Example:
        >>> import nnlib
        >>> from nnlib.nn import init
        >>> init.constant_(nnlib.zeros(2), 0.5)
        tensor([0.5, 0.5])
    """
    _check("init.constant_", tensor)
    tensor.data[...] = val
    return tensor


def zeros_(tensor: Tensor) -> Tensor:
    """Fill with zeros (fine for biases; for weights it leaves every unit identical).

    Example:
        >>> import nnlib
        >>> from nnlib.nn import init
        >>> init.zeros_(nnlib.ones(2))
        tensor([0., 0.])
    """
    _check("init.zeros_", tensor)
    tensor.data[...] = 0
    return tensor


def ones_(tensor: Tensor) -> Tensor:
    """Fill with ones.

    Example:
        >>> import nnlib
        >>> from nnlib.nn import init
        >>> init.ones_(nnlib.zeros(2))
        tensor([1., 1.])
    """
    _check("init.ones_", tensor)
    tensor.data[...] = 1
    return tensor


def xavier_uniform_(
    tensor: Tensor, gain: float = 1.0, generator: np.random.Generator | None = None
) -> Tensor:
    r"""Xavier/Glorot uniform init (Glorot & Bengio, 2010): :math:`U(-a, a)` with

    .. math::

        a = \mathrm{gain} \cdot \sqrt{\frac{6}{\mathrm{fan\_in} + \mathrm{fan\_out}}}

    Args:
        tensor: A weight of shape ``(fan_out, fan_in)`` (or ``(out, in, *kernel)``).
        gain: A scale factor, e.g. ``calculate_gain('tanh')``.
        generator: Optional NumPy generator (default: nnlib's seeded one).

    Returns:
        ``tensor``.

    Example:
        >>> import nnlib
        >>> from nnlib.nn import init
        >>> w = init.xavier_uniform_(nnlib.zeros(300, 300))
        >>> bool(abs(w.data).max() <= 0.1)
        True

    Taught in chapter 8 (vanishing and exploding gradients).
    """
    _check("init.xavier_uniform_", tensor)
    fan_in, fan_out = _calculate_fan_in_and_fan_out(tensor)
    a = math.sqrt(3.0) * gain * math.sqrt(2.0 / float(fan_in + fan_out))
    return uniform_(tensor, -a, a, generator)


def xavier_normal_(
    tensor: Tensor, gain: float = 1.0, generator: np.random.Generator | None = None
) -> Tensor:
    r"""Xavier/Glorot normal init: :math:`\mathcal N(0, \sigma^2)` with

    .. math::

        \sigma = \mathrm{gain} \cdot \sqrt{\frac{2}{\mathrm{fan\_in} + \mathrm{fan\_out}}}

    Args:
        tensor, gain, generator: As in :func:`xavier_uniform_`.

    Returns:
        ``tensor``.

    Example:
        >>> import nnlib
        >>> from nnlib.nn import init
        >>> w = init.xavier_normal_(nnlib.zeros(200, 200))
        >>> round(float(w.data.std()), 2)
        0.07

    Taught in chapter 8 (vanishing and exploding gradients).
    """
    _check("init.xavier_normal_", tensor)
    fan_in, fan_out = _calculate_fan_in_and_fan_out(tensor)
    std = gain * math.sqrt(2.0 / float(fan_in + fan_out))
    return normal_(tensor, 0.0, std, generator)


def kaiming_uniform_(
    tensor: Tensor,
    a: float = 0.0,
    mode: str = "fan_in",
    nonlinearity: str = "leaky_relu",
    generator: np.random.Generator | None = None,
) -> Tensor:
    r"""Kaiming/He uniform init (He et al., 2015): :math:`U(-b, b)` with

    .. math::

        b = \sqrt{3} \cdot \frac{\mathrm{gain}}{\sqrt{\mathrm{fan}}}

    where the gain comes from :func:`calculate_gain` (``nonlinearity``, ``a``). With the
    defaults (leaky ReLU of slope 0) the gain is :math:`\sqrt2`, He's ReLU init.
    ``nn.Linear`` uses ``a=sqrt(5)``, which gives :math:`b = 1/\sqrt{\mathrm{fan\_in}}`.

    Args:
        tensor: A weight of shape ``(out, in)`` (or ``(out, in, *kernel)``).
        a: The negative slope of the leaky ReLU that follows (only for ``'leaky_relu'``).
        mode: ``'fan_in'`` (default: keeps the forward signal's variance) or ``'fan_out'``
            (keeps the backward gradients' variance).
        nonlinearity: ``'relu'`` or ``'leaky_relu'`` (default), or another name that
            :func:`calculate_gain` knows.
        generator: Optional NumPy generator (default: nnlib's seeded one).

    Returns:
        ``tensor``.

    Example:
        >>> import nnlib
        >>> from nnlib.nn import init
        >>> w = init.kaiming_uniform_(nnlib.zeros(400, 200), nonlinearity="relu")
        >>> round(float(w.data.std()) * 200**0.5, 1)
        1.4

    Taught in chapter 8 (vanishing and exploding gradients).
    """
    _check("init.kaiming_uniform_", tensor)
    if 0 in tensor.data.shape:
        return tensor
    bound = math.sqrt(3.0) * _kaiming_std(tensor, a, mode, nonlinearity)
    return uniform_(tensor, -bound, bound, generator)


def kaiming_normal_(
    tensor: Tensor,
    a: float = 0.0,
    mode: str = "fan_in",
    nonlinearity: str = "leaky_relu",
    generator: np.random.Generator | None = None,
) -> Tensor:
    r"""Kaiming/He normal init: :math:`\mathcal N(0, \sigma^2)` with
    :math:`\sigma = \mathrm{gain} / \sqrt{\mathrm{fan}}`.

    Args:
        tensor, a, mode, nonlinearity, generator: As in :func:`kaiming_uniform_`.

    Returns:
        ``tensor``.

    Example:
        >>> import nnlib
        >>> from nnlib.nn import init
        >>> w = init.kaiming_normal_(nnlib.zeros(400, 200), nonlinearity="relu")
        >>> round(float(w.data.std()) * 200**0.5, 1)
        1.4

    Taught in chapter 8 (vanishing and exploding gradients).
    """
    _check("init.kaiming_normal_", tensor)
    if 0 in tensor.data.shape:
        return tensor
    return normal_(tensor, 0.0, _kaiming_std(tensor, a, mode, nonlinearity), generator)
