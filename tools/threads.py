"""One BLAS and OpenMP thread in every kernel that stores or checks notebook outputs.

NumPy's OpenBLAS and PyTorch's OpenMP pool split some sums differently for different
thread counts, so the last bits of a result (and, in a long training run, much more than
the last bits) depend on how many threads the kernel used. The stored outputs must not
depend on the machine's core count or on the caller's environment, so every kernel that
runs a chapter for the tests (``pytest --nbval``, via the repository's ``conftest.py``) or
for storing outputs (``tools/execute_notebooks.py``) starts with these variables, whatever
the caller set. They are read when the libraries load, so they are set before the kernel
process starts.

The kernel *family* (``OPENBLAS_CORETYPE``, ``ATEN_CPU_CAPABILITY``) is deliberately not
touched: some machines set ``OPENBLAS_CORETYPE`` because their OpenBLAS misbehaves without
it. ``make check-kernels`` varies it by hand instead.
"""

from __future__ import annotations

import os
from collections.abc import MutableMapping

PINNED_THREADS: dict[str, str] = {
    "OMP_NUM_THREADS": "1",  # PyTorch's intra-op pool (and any OpenMP BLAS)
    "OPENBLAS_NUM_THREADS": "1",  # NumPy's OpenBLAS
    "MKL_NUM_THREADS": "1",  # an MKL build of NumPy or PyTorch
    "VECLIB_MAXIMUM_THREADS": "1",  # Apple's Accelerate
}


def pin_threads(environ: MutableMapping[str, str] | None = None) -> None:
    """Set the thread-count variables in ``environ`` (default: this process's environment).

    Kernels started afterwards inherit them.
    """
    target = os.environ if environ is None else environ
    target.update(PINNED_THREADS)
