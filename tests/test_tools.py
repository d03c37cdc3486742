"""The tools behind `make execute` and `make book`."""

from __future__ import annotations

import sys
import uuid
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_notebook, new_output

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import execute_notebooks  # noqa: E402


def widget_notebook() -> nbformat.NotebookNode:
    """A notebook as the kernel leaves it: a VBox (slider + its layout), random ids."""
    box, slider, layout = (uuid.uuid4().hex for _ in range(3))
    view = {"model_id": box, "version_major": 2, "version_minor": 0}
    cell = new_code_cell("box", execution_count=1, id="box-cell")
    cell.outputs = [
        new_output(
            "execute_result",
            data={"text/plain": "VBox()", execute_notebooks.WIDGET_VIEW: view},
            execution_count=1,
        )
    ]
    notebook = new_notebook(cells=[cell])
    notebook.metadata["widgets"] = {
        execute_notebooks.WIDGET_STATE: {
            "state": {
                box: {"model_name": "VBoxModel", "state": {"children": [f"IPY_MODEL_{slider}"]}},
                slider: {
                    "model_name": "FloatSliderModel",
                    "state": {"layout": f"IPY_MODEL_{layout}"},
                },
                layout: {"model_name": "LayoutModel", "state": {}},
            },
            "version_major": 2,
            "version_minor": 0,
        }
    }
    return notebook


def test_widget_ids_do_not_depend_on_the_run() -> None:
    first = execute_notebooks._stable_widget_ids(widget_notebook(), "demo.ipynb")
    second = execute_notebooks._stable_widget_ids(widget_notebook(), "demo.ipynb")
    assert nbformat.writes(first) == nbformat.writes(second)
    state = first.metadata["widgets"][execute_notebooks.WIDGET_STATE]["state"]
    view_id = first.cells[0].outputs[0]["data"][execute_notebooks.WIDGET_VIEW]["model_id"]
    assert state[view_id]["model_name"] == "VBoxModel"
    slider = state[view_id]["state"]["children"][0].removeprefix("IPY_MODEL_")
    assert state[slider]["model_name"] == "FloatSliderModel"
    nbformat.validate(first)


def test_widgets_nothing_displayed_refers_to_are_dropped_links_kept() -> None:
    """A demo's live controls (not displayed when its static twin is) are not stored; a
    link between displayed widgets is, and one to a dropped widget is not."""
    notebook = widget_notebook()
    state = notebook.metadata["widgets"][execute_notebooks.WIDGET_STATE]["state"]
    box = notebook.cells[0].outputs[0]["data"][execute_notebooks.WIDGET_VIEW]["model_id"]
    slider = state[box]["state"]["children"][0].removeprefix("IPY_MODEL_")
    live, kept_link, dropped_link = (uuid.uuid4().hex for _ in range(3))
    state[live] = {"model_name": "FloatSliderModel", "state": {}}
    state[kept_link] = {
        "model_name": "DirectionalLinkModel",
        "state": {"source": [f"IPY_MODEL_{slider}", "value"], "target": [f"IPY_MODEL_{box}", "x"]},
    }
    state[dropped_link] = {
        "model_name": "LinkModel",
        "state": {"source": [f"IPY_MODEL_{live}", "value"], "target": [f"IPY_MODEL_{box}", "x"]},
    }
    stored = execute_notebooks._stable_widget_ids(notebook, "demo.ipynb")
    names = sorted(m["model_name"] for m in stored.metadata["widgets"][
        execute_notebooks.WIDGET_STATE]["state"].values())  # fmt: skip
    assert names == ["DirectionalLinkModel", "FloatSliderModel", "LayoutModel", "VBoxModel"]
