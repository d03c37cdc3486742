"""Strict nbval once per BLAS/ATen kernel family this machine can run (``make check-kernels``).

NumPy's OpenBLAS picks its compute kernels by the CPU's SIMD level (SkylakeX on AVX-512,
Haswell on AVX2, Sandybridge on AVX), and PyTorch does the same (``ATEN_CPU_CAPABILITY``).
Different kernels round differently, so a stored output that depends on the last bits passes
on the machine that wrote it and fails on another. This runs the notebooks under the
machine's own kernels and under older families, setting ``OPENBLAS_CORETYPE``,
``ATEN_CPU_CAPABILITY`` and ``NPY_DISABLE_CPU_FEATURES`` for each run only; the thread
counts are pinned by the repository's ``conftest.py`` in every run. Run it before storing
a chapter's outputs:

    make check-kernels                              # every notebook in book/
    make check-kernels NB=book/05_optimizers.ipynb  # one chapter

It is a check by hand, not part of ``make test``: tests and CI never set these variables,
because some machines set ``OPENBLAS_CORETYPE`` on purpose.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# NumPy's own loops (exp, log, sums) dispatch on the CPU too, independently of OpenBLAS;
# NPY_DISABLE_CPU_FEATURES turns the newer targets off, as on an older CPU.
AVX512_TARGETS = ("X86_V4", "AVX512_ICL", "AVX512_SPR")
AVX2_TARGETS = ("X86_V3",)

# (name, OPENBLAS_CORETYPE, ATEN_CPU_CAPABILITY, NumPy targets to switch off). The first
# run keeps the caller's environment.
FAMILIES: list[tuple[str, dict[str, str], tuple[str, ...]]] = [
    ("machine default", {}, ()),
    (
        "AVX2: Haswell + ATen avx2",
        {"OPENBLAS_CORETYPE": "Haswell", "ATEN_CPU_CAPABILITY": "avx2"},
        AVX512_TARGETS,
    ),
    (
        "AVX: Sandybridge + ATen default",
        {"OPENBLAS_CORETYPE": "Sandybridge", "ATEN_CPU_CAPABILITY": "default"},
        AVX512_TARGETS + AVX2_TARGETS,
    ),
]


def numpy_disable(targets: tuple[str, ...]) -> dict[str, str]:
    """``NPY_DISABLE_CPU_FEATURES`` for those of ``targets`` NumPy dispatches to here."""
    from numpy._core._multiarray_umath import __cpu_dispatch__, __cpu_features__

    active = [t for t in targets if t in __cpu_dispatch__ and __cpu_features__.get(t)]
    return {"NPY_DISABLE_CPU_FEATURES": " ".join(active)} if active else {}


PROBE = """
import threadpoolctl, torch
from numpy._core._multiarray_umath import __cpu_dispatch__, __cpu_features__
blas = [i for i in threadpoolctl.threadpool_info() if i["user_api"] == "blas"]
arch = blas[0].get("architecture", "?") if blas else "no BLAS found"
numpy = [t for t in __cpu_dispatch__ if __cpu_features__.get(t)][-1:] or ["baseline"]
print(f"OpenBLAS {arch}, ATen {torch.backends.cpu.get_cpu_capability()}, NumPy {numpy[0]}")
"""


def kernels_in_use(env: dict[str, str]) -> str:
    """What OpenBLAS and ATen actually picked under ``env`` (a variable can be ignored)."""
    probe = subprocess.run(
        [sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, check=False
    )
    return probe.stdout.strip() or probe.stderr.strip().splitlines()[-1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", default=["book/"], help="default: book/")
    args = parser.parse_args(argv)
    results = []
    for name, overrides, numpy_off in FAMILIES:
        env = {**os.environ, **overrides, **numpy_disable(numpy_off)}
        in_use = kernels_in_use(env)
        print(f"\n== {name}: {in_use}", flush=True)
        command = [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "--nbval",
            *args.notebooks,
            "--nbval-sanitize-with",
            "tests/nbval_sanitize.cfg",
        ]
        # The stored demo frames are compared with what the code draws in the same way.
        frames = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                  "tests/test_widgets_frames.py"]  # fmt: skip
        start = time.perf_counter()
        run = subprocess.run(command, cwd=ROOT, env=env, check=False)
        frames_run = subprocess.run(frames, cwd=ROOT, env=env, check=False)
        code = run.returncode or frames_run.returncode
        results.append((name, in_use, code, time.perf_counter() - start))
    print("\nstrict nbval and the stored demo frames, per kernel family:")
    for name, in_use, code, seconds in results:
        verdict = "passed" if code == 0 else "FAILED"
        print(f"  {verdict:6s}  {name:32s} ({in_use}), {seconds:.0f} s")
    return 0 if all(code == 0 for _, _, code, _ in results) else 1


if __name__ == "__main__":
    sys.exit(main())
