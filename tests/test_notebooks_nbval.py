"""The notebooks' stored outputs are real, and strict nbval really compares them.

``make test`` runs ``pytest --nbval book/``, which re-runs every notebook and compares each
fresh output with the one stored in the file. That check is only worth something if the
stored outputs exist and a changed output fails it; these tests prove both.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "book").glob("*.ipynb"))
SANITIZE = ROOT / "tests" / "nbval_sanitize.cfg"
SETUP_NOTEBOOK = ROOT / "book" / "00_setup.ipynb"


def code_cells(path: Path) -> list[dict]:
    notebook = json.loads(path.read_text(encoding="utf-8"))
    return [cell for cell in notebook["cells"] if cell["cell_type"] == "code"]


def run_nbval(notebook: Path) -> subprocess.CompletedProcess:
    """Run strict nbval on one notebook in a fresh pytest process."""
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "--nbval",
            str(notebook),
            "--nbval-sanitize-with",
            str(SANITIZE),
            "-p",
            "no:cacheprovider",
            "-q",
        ],
        cwd=notebook.parent,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_was_executed_top_to_bottom(path: Path) -> None:
    """Every code cell ran once, in order, in one clean kernel (as `make execute` does)."""
    counts = [cell.get("execution_count") for cell in code_cells(path)]
    assert counts == list(range(1, len(counts) + 1)), (
        f"{path.name}: execution counts {counts}; run `make execute` to store fresh outputs"
    )
    assert any(cell.get("outputs") for cell in code_cells(path)), (
        f"{path.name} has no stored outputs, so nbval would compare nothing"
    )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_has_no_timing_metadata_and_keeps_widget_state(path: Path) -> None:
    notebook = json.loads(path.read_text(encoding="utf-8"))
    timed = [i for i, cell in enumerate(notebook["cells"]) if "execution" in cell["metadata"]]
    assert not timed, f"{path.name}: cells {timed} carry timing metadata; use `make execute`"
    has_widgets = any(
        "application/vnd.jupyter.widget-view+json" in output.get("data", {})
        for cell in code_cells(path)
        for output in cell.get("outputs", [])
    )
    if has_widgets:
        state = notebook["metadata"].get("widgets", {})
        assert state.get("application/vnd.jupyter.widget-state+json", {}).get("state"), (
            f"{path.name} shows widgets but stores no widget state: the site would show "
            "empty boxes. Run `make execute`."
        )


def tamper(notebook: dict) -> str:
    """Change the first stored stream output; return the text it had."""
    for cell in notebook["cells"]:
        for output in cell.get("outputs", []) if cell["cell_type"] == "code" else []:
            if output.get("output_type") == "stream" and "".join(output["text"]).strip():
                original = "".join(output["text"])
                output["text"] = [original.replace("ok", "OK?").replace("nnlib", "NNLIB")]
                assert output["text"][0] != original
                return original
    raise AssertionError("the notebook has no stream output to tamper with")


@pytest.mark.slow
def test_strict_nbval_fails_on_a_tampered_output(tmp_path: Path) -> None:
    pristine = tmp_path / "pristine" / SETUP_NOTEBOOK.name
    pristine.parent.mkdir()
    shutil.copy(SETUP_NOTEBOOK, pristine)
    result = run_nbval(pristine)
    assert result.returncode == 0, f"the untouched copy should pass:\n{result.stdout}"
    assert " passed" in result.stdout

    tampered = tmp_path / "tampered" / SETUP_NOTEBOOK.name
    tampered.parent.mkdir()
    notebook = json.loads(SETUP_NOTEBOOK.read_text(encoding="utf-8"))
    tamper(notebook)
    tampered.write_text(json.dumps(notebook), encoding="utf-8")
    result = run_nbval(tampered)
    assert result.returncode == 1, f"nbval should fail on a changed output:\n{result.stdout}"
    assert "1 failed" in result.stdout, result.stdout
    assert "NNLIB" in result.stdout or "OK?" in result.stdout, result.stdout


# The thread-count pin (tools/threads.py, applied by the repository's conftest.py and by
# tools/execute_notebooks.py): a kernel must run with one BLAS/OpenMP thread whatever the
# caller's environment asks for, because the thread count changes rounding.
# Two threads: OpenBLAS caps a request at the number of cores, and CI has two.
HOSTILE_THREADS = {
    "OMP_NUM_THREADS": "2",
    "OPENBLAS_NUM_THREADS": "2",
    "MKL_NUM_THREADS": "2",
}
THREAD_PROBE = """\
import threadpoolctl
import torch

pools = {}
for pool in threadpoolctl.threadpool_info():
    pools[pool["user_api"]] = max(pools.get(pool["user_api"], 0), pool["num_threads"])
print("blas", pools.get("blas"), "openmp", pools.get("openmp"), "torch", torch.get_num_threads())
"""
PINNED_OUTPUT = "blas 1 openmp 1 torch 1\n"


def probe_notebook(path: Path, stored_output: str | None) -> Path:
    """A one-cell notebook that prints the kernel's thread counts (optionally stored)."""
    import nbformat

    cell = nbformat.v4.new_code_cell(THREAD_PROBE, execution_count=1)
    if stored_output is not None:
        cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text=stored_output)]
    notebook = nbformat.v4.new_notebook(cells=[cell])
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3"}
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(notebook, path)
    return path


@pytest.fixture
def probe_dir() -> Path:
    # Inside the repository, so that pytest loads its conftest.py as it does for book/.
    folder = ROOT / "_build" / "thread-pin-test"
    shutil.rmtree(folder, ignore_errors=True)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


@pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="one core: every count is 1")
def test_the_probe_sees_the_callers_thread_count_without_the_pin() -> None:
    """Without the pin a process uses the threads it is asked for: the probe can fail."""
    env = {**os.environ, **HOSTILE_THREADS}
    run = subprocess.run(
        [sys.executable, "-c", THREAD_PROBE], env=env, capture_output=True, text=True
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout == "blas 2 openmp 2 torch 2\n"


@pytest.mark.slow
def test_nbval_kernels_use_one_thread_whatever_the_caller_asks(probe_dir: Path) -> None:
    notebook = probe_notebook(probe_dir / "probe.ipynb", PINNED_OUTPUT)
    env = {**os.environ, **HOSTILE_THREADS}
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", "--nbval",
         str(notebook)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert result.returncode == 0, f"the kernel did not run with one thread:\n{result.stdout}"
    assert "1 passed" in result.stdout


@pytest.mark.slow
def test_make_execute_kernels_use_one_thread_whatever_the_caller_asks(probe_dir: Path) -> None:
    notebook = probe_notebook(probe_dir / "probe.ipynb", None)
    env = {**os.environ, **HOSTILE_THREADS}
    subprocess.run(
        [sys.executable, str(ROOT / "tools" / "execute_notebooks.py"), str(notebook)],
        cwd=ROOT, env=env, check=True, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    stored = json.loads(notebook.read_text(encoding="utf-8"))["cells"][0]["outputs"]
    assert "".join(stored[0]["text"]) == PINNED_OUTPUT


@pytest.mark.slow
def test_every_notebook_passes_whatever_thread_count_the_caller_asks() -> None:
    """The regression guard for the pin: the whole suite, with a caller asking for 3 threads."""
    env = {**os.environ, **HOSTILE_THREADS}
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", "--nbval",
         "book/", "--nbval-sanitize-with", str(SANITIZE)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=1200,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout[-5000:]


@pytest.mark.slow
@pytest.mark.parametrize("name", ["00_setup.ipynb", "02_backprop.ipynb"])
def test_a_prose_change_re_executes_to_identical_outputs(name: str) -> None:
    """Edit one markdown cell, run `make execute`'s tool: every output and the widget state
    come out byte for byte as stored (so a prose fix never churns a notebook's outputs)."""
    folder = ROOT / "_build" / "re-execute-test"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    try:
        copy = folder / name
        notebook = json.loads((ROOT / "book" / name).read_text(encoding="utf-8"))
        prose = next(c for c in notebook["cells"] if c["cell_type"] == "markdown")
        prose["source"] = ["A changed sentence.\n\n", *prose["source"]]
        copy.write_text(json.dumps(notebook, indent=1, ensure_ascii=False) + "\n", "utf-8")
        subprocess.run(
            [sys.executable, str(ROOT / "tools" / "execute_notebooks.py"), str(copy)],
            cwd=ROOT, check=True, capture_output=True, text=True, timeout=600,
        )  # fmt: skip
        stored = json.loads((ROOT / "book" / name).read_text(encoding="utf-8"))
        fresh = json.loads(copy.read_text(encoding="utf-8"))
        for old, new in zip(stored["cells"], fresh["cells"], strict=True):
            if old["cell_type"] == "code":
                assert json.dumps(new["outputs"]) == json.dumps(old["outputs"]), old["id"]
        assert json.dumps(fresh["metadata"]) == json.dumps(stored["metadata"])
    finally:
        shutil.rmtree(folder, ignore_errors=True)
