"""Re-run notebooks in place from a clean kernel, so their stored outputs are fresh.

Stored outputs are what nbval checks and what the site shows, so they must come from one
clean, top-to-bottom run. Unlike ``jupyter nbconvert --execute --inplace`` this records no
timing metadata (so a re-run changes nothing when nothing changed) and stores the widget
state in the notebook metadata. The kernel runs with ``NNLIB_WIDGETS_STATIC=1``, so each
``nnlib.widgets`` demo displays its static twin: precomputed frames that its controls
switch on the website, with no kernel (see ``nnlib/widgets/frames.py``). Only the widgets
that are displayed, and what they refer to, are stored.

Usage::

    python tools/execute_notebooks.py                 # every book/*.ipynb
    python tools/execute_notebooks.py book/00_setup.ipynb
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from threads import pin_threads

ROOT = Path(__file__).resolve().parent.parent


def execute(path: Path, timeout: int = 600) -> None:
    """Execute one notebook in its own folder and write it back in place.

    The kernel runs with one BLAS/OpenMP thread (``tools/threads.py``), as under nbval.
    """
    pin_threads()
    notebook = nbformat.read(path, as_version=4)
    # The kernel inherits the environment: demos store their frames for the website.
    os.environ["NNLIB_WIDGETS_STATIC"] = "1"
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
    notebook.metadata.pop("execution", None)
    notebook = _stable_widget_ids(notebook, path.name)
    nbformat.validate(notebook)
    nbformat.write(notebook, path)


WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
MODEL_ID = re.compile(r"(?<![0-9a-f])[0-9a-f]{32}(?![0-9a-f])")


def _stable_widget_ids(notebook: nbformat.NotebookNode, name: str) -> nbformat.NotebookNode:
    """Replace the random widget model ids with ids derived from the notebook's name.

    The kernel gives every widget a random id, so without this each run would rewrite the
    notebook even when nothing else changed. Widgets are numbered in an order that does not
    depend on the ids: the displayed widgets cell by cell, then what they refer to
    (children, layout, style), then the links (``jslink``) between them. Widgets nothing
    displayed refers to (a demo's live controls, when its static twin was displayed) are
    dropped: the site never shows them.
    """
    state = notebook.metadata.get("widgets", {}).get(WIDGET_STATE, {}).get("state", {})
    if not state:
        return notebook
    order: list[str] = []
    queue = [
        output["data"][WIDGET_VIEW]["model_id"]
        for cell in notebook.cells
        for output in cell.get("outputs", [])
        if WIDGET_VIEW in output.get("data", {})
    ]
    while queue:
        model_id = queue.pop(0)
        if model_id in state and model_id not in order:
            order.append(model_id)
            refs = re.findall(
                r"IPY_MODEL_([0-9a-f]{32})", json.dumps(state[model_id], sort_keys=True)
            )
            queue.extend(refs)
    shown = set(order)
    rest = [
        i
        for i in state
        if i not in shown
        and state[i].get("model_name") in {"LinkModel", "DirectionalLinkModel"}
        and set(re.findall(r"IPY_MODEL_([0-9a-f]{32})", json.dumps(state[i]))) <= shown
    ]
    for dropped in set(state) - shown - set(rest):
        del state[dropped]
    rest.sort(key=lambda i: MODEL_ID.sub("", json.dumps(state[i], sort_keys=True)))
    mapping = {
        old: hashlib.sha256(f"{name}:{index}".encode()).hexdigest()[:32]
        for index, old in enumerate(order + rest)
    }
    text = MODEL_ID.sub(lambda m: mapping.get(m.group(), m.group()), nbformat.writes(notebook))
    return nbformat.reads(text, as_version=4)


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
