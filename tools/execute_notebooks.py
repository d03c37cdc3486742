"""Re-run notebooks in place from a clean kernel, so their stored outputs are fresh.

Stored outputs are what nbval checks and what the site shows, so they must come from one
clean, top-to-bottom run. Unlike ``jupyter nbconvert --execute --inplace`` this records no
timing metadata (so a re-run changes nothing when nothing changed) and stores the widget
state in the notebook metadata (so the site shows each widget's first frame).

Usage::

    python tools/execute_notebooks.py                 # every book/*.ipynb
    python tools/execute_notebooks.py book/00_setup.ipynb
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent


def execute(path: Path, timeout: int = 600) -> None:
    """Execute one notebook in its own folder and write it back in place."""
    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(
        notebook,
        timeout=timeout,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
        record_timing=False,
        store_widget_state=True,
    )
    client.execute()
    _coalesce_streams(notebook)
    # nbclient leaves the kernel's language_info; keep it but drop volatile bits.
    notebook.metadata.pop("execution", None)
    nbformat.validate(notebook)
    nbformat.write(notebook, path)


def _coalesce_streams(notebook: nbformat.NotebookNode) -> None:
    """Merge consecutive stdout (or stderr) outputs of a cell into one.

    How a cell's printed text is split into outputs depends on when the kernel flushed its
    buffer, i.e. on the machine's load: ``print(x)`` can arrive as ``x`` and ``"\\n"``. The
    site would show the second piece as an empty box, and the stored notebook would change
    from run to run for no reason.
    """
    for cell in notebook.cells:
        merged: list = []
        for output in cell.get("outputs", []):
            previous = merged[-1] if merged else None
            if (
                previous is not None
                and output.output_type == "stream"
                and previous.output_type == "stream"
                and output.name == previous.name
            ):
                previous.text += output.text
            else:
                merged.append(output)
        if "outputs" in cell:
            cell.outputs = merged


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path, help="default: book/*.ipynb")
    args = parser.parse_args(argv)
    paths = args.notebooks or sorted((ROOT / "book").glob("*.ipynb"))
    for path in paths:
        start = time.perf_counter()
        execute(path)
        print(f"executed {path} in {time.perf_counter() - start:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
