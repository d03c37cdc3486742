"""Drive a chapter as a learner does: cells run twice, sections alone, an endless loop.

Three sessions, each in a live kernel (``jupyter_client``, the machinery under Jupyter,
Colab and nbclient), with one BLAS thread as under nbval:

- :func:`run_twice`: the chapter top to bottom, every code cell run twice in a row; returns
  the cells whose second run printed other text (or drew other image bytes) than the first.
- :func:`run_sections`: for each section (a ``##`` heading starts one), an emptied kernel
  (``%reset -f``: the learner's names are gone, as after a restart; the modules stay loaded,
  which saves a kernel start and a PyTorch import per section) runs the setup cell and the
  import cell, then only that section's code cells; returns the cells that failed with
  anything but the ``NameError`` hint (``nnlib._notebook``).
- :func:`endless_loop`: the cells up to the chapter's first exercise, then that exercise
  with its stub's ``...`` replaced by an endless loop; returns what the checker printed, how
  long the cell took and how much the kernel grew. :func:`run_twice` does this too, in its
  own kernel, when it reaches the first exercise (one kernel fewer per chapter).

``tests/test_learner_session.py`` runs all three on every ``book/*.ipynb``. By hand::

    python tools/learner_session.py book/02_backprop.ipynb
"""

from __future__ import annotations

import argparse
import base64
import os
import re
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from jupyter_client.manager import KernelManager, start_new_kernel
from threads import pin_threads

ROOT = Path(__file__).resolve().parent.parent
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
HINT = "is not defined yet: if an earlier cell of this chapter makes it"
LOOPS = {
    "while True: pass": ["while True:", "    pass"],
    "append forever": ["grown = []", "while True:", "    grown.append(len(grown))"],
}


@dataclass
class Ran:
    """What one execution of a cell showed: its text, its images, its error."""

    text: str = ""
    images: list[bytes] = field(default_factory=list)
    ename: str = ""
    evalue: str = ""
    seconds: float = 0.0


@contextmanager
def kernel(cwd: Path) -> Iterator[tuple[KernelManager, object]]:
    """A fresh python3 kernel started in ``cwd`` (one BLAS thread), shut down afterwards."""
    env = dict(os.environ)
    pin_threads(env)
    km, kc = start_new_kernel(kernel_name="python3", cwd=str(cwd), env=env)
    try:
        yield km, kc
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


def run(kc: object, code: str, timeout: float = 300) -> Ran:
    """Execute ``code`` in the kernel and collect what it shows."""
    start = time.monotonic()
    msg_id = kc.execute(code)  # type: ignore[attr-defined]
    ran = Ran()
    while True:
        msg = kc.get_iopub_msg(timeout=timeout)  # type: ignore[attr-defined]
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        kind, content = msg["msg_type"], msg["content"]
        if kind == "stream":
            ran.text += content["text"]
        elif kind in ("execute_result", "display_data"):
            data = content.get("data", {})
            if WIDGET_VIEW in data:
                continue
            if "image/png" in data:
                ran.images.append(base64.b64decode(data["image/png"]))
            elif "text/plain" in data:
                ran.text += data["text/plain"] + "\n"
        elif kind == "error":
            ran.ename, ran.evalue = content["ename"], content["evalue"]
        elif kind == "status" and content["execution_state"] == "idle":
            ran.seconds = time.monotonic() - start
            return ran


def code_cells(path: Path) -> list[tuple[int, str, str]]:
    """Each code cell as (index, section heading, source); cells before the first ``##``
    belong to the section ``""`` (the setup and import cells)."""
    notebook = nbformat.read(path, as_version=4)
    section, cells = "", []
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("## "):
                    section = line[3:].strip()
        elif cell.cell_type == "code":
            cells.append((index, section, cell.source))
    return cells


def run_twice(path: Path) -> tuple[list[str], list[tuple[str, Ran, float]]]:
    """Run every code cell twice in a row; describe each whose second run differs.

    In the same kernel, just before the chapter's first exercise runs, that exercise is
    answered with each endless loop of :data:`LOOPS` (see :func:`endless_loop`); returns the
    problems and those answers' results.
    """
    problems: list[str] = []
    loops: list[tuple[str, Ran, float]] = []
    target = first_exercise(path)
    with kernel(path.parent) as (km, kc):
        for index, _, source in code_cells(path):
            if index == target:
                loops = _answer_with_loops(km, kc, source)
            first, second = run(kc, source), run(kc, source)
            if first.ename or second.ename:
                problems.append(f"cell {index}: {second.ename or first.ename}: "
                                f"{second.evalue or first.evalue}")  # fmt: skip
            elif first.text != second.text:
                problems.append(f"cell {index} printed other text the second time:\n"
                                f"{first.text}\n-- then --\n{second.text}")  # fmt: skip
            elif first.images != second.images:
                problems.append(f"cell {index} drew other images the second time")
    return problems, loops


def run_sections(path: Path) -> tuple[list[str], int]:
    """Each section alone after the setup and import cells; describe every cell that failed
    otherwise than with the NameError hint. Also returns how many cells gave the hint."""
    cells = code_cells(path)
    head = [source for _, section, source in cells if section == ""]
    sections: dict[str, list[tuple[int, str]]] = {}
    for index, section, source in cells:
        if section:
            sections.setdefault(section, []).append((index, source))
    problems, hinted = [], 0
    with kernel(path.parent) as (_, kc):
        for section, body in sections.items():
            # A restart, but cheaper: an empty namespace, with the modules still loaded.
            run(kc, "%reset -f")
            for source in head:
                ran = run(kc, source)
                assert not ran.ename, f"{path.name}: the import cell failed: {ran.evalue}"
            for index, source in body:
                ran = run(kc, source)
                if ran.ename == "NameError" and HINT in ran.evalue:
                    hinted += 1
                elif ran.ename:
                    problems.append(f"{section}, cell {index}: {ran.ename}: {ran.evalue}")
    return problems, hinted


def loop_answer(source: str, loop: list[str]) -> str | None:
    """The exercise cell with its stub's ``...`` replaced by ``loop`` (None if no stub)."""
    match = re.search(r"^( +)\.\.\.$", source, flags=re.MULTILINE)
    if match is None:
        return None
    indent = match.group(1)
    body = "\n".join(indent + line for line in loop)
    return source[: match.start()] + body + source[match.end() :]


def first_exercise(path: Path) -> int | None:
    """The index of the first code cell tagged ``exercise`` whose stub can take a loop."""
    notebook = nbformat.read(path, as_version=4)
    for index, cell in enumerate(notebook.cells):
        tags = cell.get("metadata", {}).get("tags", [])
        if cell.cell_type == "code" and "exercise" in tags and loop_answer(cell.source, []):
            return index
    return None


def _resident_mb(km: KernelManager) -> float:
    pid = km.provisioner.process.pid  # type: ignore[union-attr]
    with open(f"/proc/{pid}/statm", encoding="ascii") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1e6


def _answer_with_loops(
    km: KernelManager, kc: object, exercise: str
) -> list[tuple[str, Ran, float]]:
    results = []
    for name, loop in LOOPS.items():
        answer = loop_answer(exercise, loop)
        before = _resident_mb(km)
        ran = run(kc, answer or "", timeout=60)
        results.append((name, ran, _resident_mb(km) - before))
    return results


def endless_loop(path: Path) -> list[tuple[str, Ran, float]]:
    """Answer the first exercise with each endless loop (after the cells above it); what the
    checker said, how long the cell took, and how many MB the kernel grew."""
    target = first_exercise(path)
    if target is None:
        return []
    notebook = nbformat.read(path, as_version=4)
    with kernel(path.parent) as (km, kc):
        for cell in notebook.cells[:target]:
            if cell.cell_type == "code":
                run(kc, cell.source)
        return _answer_with_loops(km, kc, notebook.cells[target].source)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("notebooks", nargs="+", type=Path)
    args = parser.parse_args()
    failed = False
    for path in args.notebooks:
        start = time.monotonic()
        twice, loops = run_twice(path)
        alone, hinted = run_sections(path)
        print(f"{path.name}: {time.monotonic() - start:.0f} s, {hinted} NameError hints")
        for problem in twice + alone:
            failed = True
            print("  " + problem.replace("\n", "\n  "))
        for name, ran, grew in loops:
            print(f"  {name}: {ran.seconds:.1f} s, +{grew:.0f} MB: {ran.text.splitlines()[:1]}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
