r"""The error function behind the exact ``gelu`` (private to ``nnlib.nn.functional``).

NumPy has no ``erf``. :func:`_normal_cdf` computes the standard normal CDF
:math:`\Phi(x) = \tfrac12 (1 + \mathrm{erf}(x/\sqrt2))` from a positive-term Taylor series
for small arguments and Laplace's continued fraction for erfc in the tails.
"""

from __future__ import annotations

import math

import numpy as np

# Taylor coefficients of erf(u) e^{u^2} sqrt(pi) / (2u) = sum_n c_n u^{2n} with
# c_n = 2^n / (1 * 3 * ... * (2n + 1)): every term is positive, so the sum loses no digits
# to cancellation. 32 terms reach double precision for |u| < 2.
_ERF_SERIES = [1.0]
for _n in range(1, 32):
    _ERF_SERIES.append(_ERF_SERIES[-1] * 2 / (2 * _n + 1))
_ERF_SERIES.reverse()  # highest power first, for Horner's rule
_TWO_OVER_SQRT_PI = 2 / math.sqrt(math.pi)
_SQRT1_2 = 0.7071067811865476  # the double nearest 1/sqrt(2), C's M_SQRT1_2


def _erf_small(u: np.ndarray) -> np.ndarray:
    """erf(u) for |u| < 2 from its positive-term Taylor series (relative error ~1e-16)."""
    z = u * u
    acc = np.full_like(u, _ERF_SERIES[0])
    for c in _ERF_SERIES[1:]:
        acc = acc * z + c
    return _TWO_OVER_SQRT_PI * np.exp(-z) * u * acc


def _erfc_large(u: np.ndarray) -> np.ndarray:
    r"""erfc(u) for u >= 2 from Laplace's continued fraction (relative error ~1e-15).

    :math:`\mathrm{erfc}(u) = \frac{e^{-u^2}}{\sqrt\pi}\,
    \cfrac{1}{u + \cfrac{1/2}{u + \cfrac{1}{u + \cfrac{3/2}{u + \cdots}}}}`, evaluated from
    the 48th level upwards.
    """
    u = np.minimum(u, 40.0)  # erfc(40) underflows to 0 anyway; avoids overflow in u * u
    f = u
    for k in range(48, 0, -1):
        f = u + (0.5 * k) / f
    # exp(-u^2) with u^2 split as hi^2 + (u - hi)(u + hi), where hi keeps the top 26 bits of
    # u so that hi * hi is exact: a rounded u^2 of ~1000 would cost 1e-13 relative accuracy.
    c = u * 134217729.0  # 2^27 + 1 (Veltkamp's split)
    hi = c - (c - u)
    return np.exp(-hi * hi) * np.exp(-(u - hi) * (u + hi)) / (math.sqrt(math.pi) * f)


def _normal_cdf(x: np.ndarray) -> np.ndarray:
    r"""The standard normal CDF :math:`\Phi(x) = \tfrac12 (1 + \mathrm{erf}(x/\sqrt2))`.

    NumPy has no ``erf``; this one is accurate to a few units in the last place, also far
    in the lower tail, where it uses erfc and so never computes :math:`1 + (-1 + \text{tiny})`.
    Only for :math:`-2.8 < x < -0.7` does :math:`1 + \mathrm{erf}` lose up to two digits
    (about 1e-14 relative), as it does in PyTorch.
    """
    u = x.astype(np.float64, copy=False) * _SQRT1_2
    cdf = np.empty_like(u)
    small = np.abs(u) < 2
    big = ~small  # includes NaN, which propagates through _erfc_large
    if small.any():
        cdf[small] = 0.5 + 0.5 * _erf_small(u[small])
    if big.any():
        ub = u[big]
        tail = 0.5 * _erfc_large(np.abs(ub))
        cdf[big] = np.where(ub < 0, tail, 1 - tail)
    return cdf.astype(x.dtype, copy=False)
