"""A learner in Colab gets a working notebook with one click.

Colab's kernel has NumPy, PyTorch, matplotlib and ipywidgets but not nnlib. This test
makes a fresh virtual environment holding only those (plus the kernel machinery Colab
has), copies the repository's tracked files to a temporary folder, points the setup cell's
install at that copy through ``NNLIB_SOURCE`` (in Colab it installs from the repository
address in ``_config.yml``), and executes the setup notebook and the first chapter there.
Each must run without an error, and every printed line must match what is stored.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# What Colab preinstalls that the course uses, at the versions the course is tested with
# (scikit-learn too: the chapters load the digits through it).
COLAB_PACKAGES = ["numpy", "torch", "matplotlib", "ipywidgets", "scikit-learn", "ipykernel",
                  "nbclient", "nbformat"]  # fmt: skip
NOTEBOOKS = ["00_setup.ipynb", "01_perceptron.ipynb"]
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
sys.path.insert(0, str(ROOT / "tools"))
# Optional packages a chapter uses that Colab does not preinstall (chapter 10's Optuna cell
# says how to install it and the chapter goes on). The setup page's readiness table has a
# row for each, "ok" here and "not installed (optional: ...)" in Colab: those rows are
# compared on their own below.
NOT_ON_COLAB = ("optuna",)

EXECUTE = r"""
import sys, nbformat, nbclient
path, out = sys.argv[1], sys.argv[2]
nb = nbformat.read(path, as_version=4)
nbclient.NotebookClient(nb, timeout=300, kernel_name="python3", record_timing=False,
                        allow_errors=True).execute()
nbformat.write(nb, out)
"""


def _pins() -> list[str]:
    pins = {}
    for line in (ROOT / "requirements.txt").read_text().splitlines():
        m = re.match(r"^([A-Za-z0-9_.-]+)==(\S+)", line)
        if m:
            pins[m.group(1).lower()] = line.strip()
    return [pins.get(p, p) for p in COLAB_PACKAGES]


def _fresh_venv(base: Path, packages: list[str]) -> Path:
    """A new venv in ``base / "venv"`` with ``packages`` installed; its python."""
    venv.create(base / "venv", with_pip=True)
    python = base / "venv" / "bin" / "python"
    subprocess.run(
        [python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", *packages],
        check=True,
    )
    return python


@pytest.fixture(scope="module")
def colab(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A fresh environment without nnlib, and a clean copy of the repository to install."""
    base = tmp_path_factory.mktemp("colab")
    python = _fresh_venv(base, _pins())
    probe = subprocess.run([python, "-c", "import nnlib"], capture_output=True, cwd=base)
    assert probe.returncode != 0, "the fresh environment must not have nnlib yet"

    # Only what git tracks: a checkout the way a learner's pip would fetch it.
    repo = base / "repo"
    files = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True,
                           check=True).stdout.split()  # fmt: skip
    for f in files:
        if (ROOT / f).is_file():
            (repo / f).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / f, repo / f)
    return python, repo


def _printed(nb: dict) -> list[str]:
    """What each code cell printed and returned as text (not widget views), cell by cell.

    A cell's stream text is joined: the kernel may deliver one cell's prints in several
    chunks, which is a transport detail, not a difference a learner sees.
    """
    cells = []
    for cell in nb["cells"]:
        if cell["cell_type"] != "code":
            continue
        streams, results = [], []
        for out in cell.get("outputs", []):
            if out["output_type"] == "stream":
                streams.append("".join(out["text"]))
            elif "application/vnd.jupyter.widget-view+json" not in out.get("data", {}):
                results.append("".join(out.get("data", {}).get("text/plain", "")))
        cells.append("".join(streams) + "\n".join(results))
    return cells


@pytest.mark.slow
@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebook_runs_in_a_colab_like_kernel(
    colab: tuple[Path, Path], name: str, tmp_path: Path
) -> None:
    python, repo = colab
    source = ROOT / "book" / name
    if not source.exists():
        pytest.skip(f"{name} is not written yet")
    out = tmp_path / name
    env = {k: v for k, v in os.environ.items() if not k.startswith(("VIRTUAL_ENV", "PYTHON"))}
    env["NNLIB_SOURCE"] = str(repo)
    env["PATH"] = f"{python.parent}{os.pathsep}{env.get('PATH', '')}"
    subprocess.run([python, "-c", EXECUTE, source, out], check=True, cwd=tmp_path, env=env,
                   timeout=900)  # fmt: skip

    ran = json.loads(out.read_text())
    errors = [
        f"cell {i}: {o.get('ename')}: {o.get('evalue')}"
        for i, c in enumerate(ran["cells"])
        if c["cell_type"] == "code"
        for o in c.get("outputs", [])
        if o["output_type"] == "error"
    ]
    assert not errors, "the notebook failed in a Colab-like kernel:\n" + "\n".join(errors)
    stored = json.loads(source.read_text())
    # The setup cell (the first code cell) prints nothing where nnlib is installed, as in the
    # stored run; in the fresh kernel it says what it installs and how long that took.
    setup_printed, *rest = _printed(ran)
    assert setup_printed == "" or re.fullmatch(
        r"Installing nnlib from .+ \(about 30 s\)\.\.\.\nnnlib installed in \d+ s\.\n",
        setup_printed,
    ), setup_printed
    optional_row = re.compile(rf"(?m)^({'|'.join(NOT_ON_COLAB)}) +.*\n")
    fresh_rows = [row for text in rest for row in optional_row.findall(text)]
    assert all(
        "not installed (optional" in line
        for text in rest
        for line in text.splitlines()
        if line.startswith(NOT_ON_COLAB)
    ), rest
    assert len(fresh_rows) == sum(len(optional_row.findall(t)) for t in _printed(stored)[1:])
    assert [optional_row.sub("", t) for t in rest] == [
        optional_row.sub("", t) for t in _printed(stored)[1:]
    ]
    installed = subprocess.run([python, "-c", "import nnlib; print(nnlib.__file__)"],
                               capture_output=True, text=True, check=True,
                               cwd=tmp_path).stdout  # fmt: skip
    assert str(ROOT) not in installed, "nnlib must come from the setup cell's install"
    assert sys.executable != str(python)


# ------------------------------------------------------------------ Colab as it is
# Older versions of what Colab preinstalls, as Colab has long shipped them: ipywidgets 7.7.1
# (no `Stack`, so nnlib's demos must stay live), with the IPython 7.34 and ipykernel 6.17.1
# it ran beside. Exact versions that exist on PyPI; installed without their dependencies
# into a venv that sees the course's own site-packages *after* its own, so these shadow the
# course's newer ones while NumPy, PyTorch, matplotlib and scikit-learn come from the
# course's environment (a fresh PyTorch install alone would take minutes).
COLAB_OLD = [
    "ipywidgets==7.7.1", "widgetsnbextension==3.6.10", "jupyterlab-widgets==1.1.11",
    "ipython-genutils==0.2.0", "ipython==7.34.0", "backcall==0.2.0", "pickleshare==0.7.5",
    "decorator==5.1.1",
    "ipykernel==6.17.1",
]  # fmt: skip
CHAPTERS = sorted((ROOT / "book").glob("*.ipynb"))


@pytest.fixture(scope="module")
def colab_old(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """A kernel named ``colab-old`` in a venv with Colab's older widgets, IPython, ipykernel."""
    import sysconfig

    base = tmp_path_factory.mktemp("colab_old")
    python = _fresh_venv(base, ["--no-deps", *COLAB_OLD])
    purelib = "import sysconfig; print(sysconfig.get_paths()['purelib'])"
    own = subprocess.run([python, "-c", purelib], capture_output=True, text=True,
                         check=True).stdout.strip()  # fmt: skip
    course = sysconfig.get_paths()["purelib"]
    Path(own, "zz_course.pth").write_text(f"import site; site.addsitedir({course!r})\n")
    spec = base / "jupyter" / "kernels" / "colab-old"
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [str(python), "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "Colab (older widgets)", "language": "python",
    }))  # fmt: skip
    versions = subprocess.run(
        [python, "-c", "import ipywidgets, IPython, ipykernel, nnlib; print(ipywidgets."
         "__version__, IPython.__version__, ipykernel.__version__, hasattr(ipywidgets, 'Stack'))"],
        capture_output=True, text=True, check=True,
    ).stdout.split()  # fmt: skip
    assert versions == ["7.7.1", "7.34.0", "6.17.1", "False"], versions
    return {"JUPYTER_PATH": str(base / "jupyter")}


RUN_CHAPTER = r"""
import sys, nbformat, nbclient
path, out = sys.argv[1], sys.argv[2]
nb = nbformat.read(path, as_version=4)
nbclient.NotebookClient(nb, timeout=600, kernel_name="colab-old", record_timing=False,
                        allow_errors=True, resources={"metadata": {"path": sys.argv[3]}}
                        ).execute()
nbformat.write(nb, out)
"""


def _versionless(nb: dict) -> list[str]:
    """What each cell printed, with the setup page's installed versions of the packages this
    environment changes left out (the rest of its readiness table must match)."""
    older = r"(?m)^((?:ipywidgets|IPython|ipykernel)\s+)\S+"
    return [re.sub(older, r"\1<version>", text) for text in _printed(nb)]


@pytest.mark.slow
def test_chapters_run_with_colabs_older_widgets(colab_old: dict[str, str], tmp_path: Path) -> None:
    """Every chapter, every cell, in the older kernel: no error, the same printed text as
    stored (checkers' verdicts included), and every demo a live widget."""
    from threads import PINNED_THREADS

    env = {k: v for k, v in os.environ.items() if k != "NNLIB_WIDGETS_STATIC"}
    env.update(colab_old, **PINNED_THREADS)
    runs = []
    for path in CHAPTERS:
        out = tmp_path / path.name
        runs.append((path, out, subprocess.Popen(
            [sys.executable, "-c", RUN_CHAPTER, path, out, path.parent], env=env,
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        )))  # fmt: skip
        while sum(p.poll() is None for _, _, p in runs) >= 2:  # two chapters at a time
            time.sleep(0.2)
    failures = []
    for path, out, proc in runs:
        _, err = proc.communicate(timeout=900)
        if proc.returncode != 0:
            failures.append(f"{path.name}: the run failed:\n{err[-2000:]}")
            continue
        ran, stored = json.loads(out.read_text()), json.loads(path.read_text())
        errors = [f"cell {i}: {o.get('ename')}: {o.get('evalue')}"
                  for i, c in enumerate(ran["cells"]) if c["cell_type"] == "code"
                  for o in c.get("outputs", []) if o["output_type"] == "error"]  # fmt: skip
        if errors:
            failures.append(f"{path.name}: " + "; ".join(errors))
        elif _versionless(ran)[1:] != _versionless(stored)[1:]:
            pairs = zip(_versionless(ran), _versionless(stored), strict=True)
            diff = [(a, b) for a, b in pairs if a != b]
            failures.append(f"{path.name}: printed other text: {diff[:1]}")
        demos = [c for c in stored["cells"] if c["cell_type"] == "code" and any(
            WIDGET_VIEW in o.get("data", {}) for o in c.get("outputs", []))]  # fmt: skip
        live = [c for c in ran["cells"] if c["cell_type"] == "code" and any(
            WIDGET_VIEW in o.get("data", {}) for o in c.get("outputs", []))]  # fmt: skip
        if len(live) < len(demos):
            failures.append(f"{path.name}: {len(demos)} demo cells, {len(live)} widgets shown")
    assert not failures, "\n".join(failures)
