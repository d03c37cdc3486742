"""Read a stored widget state the way the browser's widget manager shows it.

The static demos (``nnlib/widgets/frames.py``) are boxes of index-based controls whose
``index`` is ``jsdlink``-ed to the ``selected_index`` of ``Stack`` widgets of frames. Given
the stored state (from a notebook's metadata or a built page) and the index of each
control, :func:`shown` walks the displayed tree as the widget manager renders it (every
child of a box, only the selected child of a stack) and returns the visible frames and
controls. The browser test and the kernel-side test use it to know which stored frame a
setting must show, independently of the code that stored them.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

STATE = "application/vnd.jupyter.widget-state+json"
VIEW = "application/vnd.jupyter.widget-view+json"
REF = re.compile(r"^IPY_MODEL_([0-9a-f]{32})$")
LINKS = {"LinkModel", "DirectionalLinkModel"}


def _ref(value: object) -> str | None:
    match = REF.match(value) if isinstance(value, str) else None
    return match.group(1) if match else None


@dataclass
class WidgetState:
    """The models of one notebook or page, and the ids of the displayed widgets in order."""

    models: dict[str, dict]
    displayed: list[str] = field(default_factory=list)

    @classmethod
    def from_notebook(cls, path: Path) -> WidgetState:
        notebook = json.loads(path.read_text(encoding="utf-8"))
        models = notebook.get("metadata", {}).get("widgets", {}).get(STATE, {}).get("state", {})
        displayed = [
            output["data"][VIEW]["model_id"]
            for cell in notebook["cells"]
            for output in cell.get("outputs", [])
            if VIEW in output.get("data", {})
        ]
        return cls(models, displayed)

    @classmethod
    def from_page(cls, path: Path) -> WidgetState:
        page = path.read_text(encoding="utf-8")
        match = re.search(rf'<script type="{re.escape(STATE)}">(.*?)</script>', page, re.S)
        models = json.loads(match.group(1))["state"] if match else {}
        displayed = re.findall(
            rf'<script type="{re.escape(VIEW)}">\s*(\{{.*?\}})\s*</script>', page, re.S
        )
        return cls(models, [json.loads(view)["model_id"] for view in displayed])

    def state(self, model_id: str) -> dict:
        return self.models[model_id]["state"]

    def name(self, model_id: str) -> str:
        return self.models[model_id]["model_name"]

    def classes(self, model_id: str) -> list[str]:
        return self.state(model_id).get("_dom_classes", [])

    def static_demos(self) -> list[str]:
        """Displayed static demo boxes, in page order."""
        return [i for i in self.displayed if "nnlib-static-demo" in self.classes(i)]

    def title(self, box: str) -> str:
        """The demo's title (its first child, an HTML ``<b>title</b>``)."""
        first = _ref(self.state(box)["children"][0])
        return re.sub(r"<[^>]+>", "", self.state(first)["value"]) if first else ""

    def stack_driver(self, stack: str) -> str | None:
        """The control whose ``index`` is linked to this stack's ``selected_index``."""
        for model in self.models.values():
            if model["model_name"] not in LINKS:
                continue
            source, target = model["state"]["source"], model["state"]["target"]
            if _ref(target[0]) == stack and target[1] == "selected_index":
                return _ref(source[0])
        return None

    def index(self, control: str, overrides: dict[str, int]) -> int:
        if control in overrides:
            return overrides[control]
        state = self.state(control)
        return state["index"] if "index" in state else state["value"]

    def shown(self, box: str, overrides: dict[str, int] | None = None) -> tuple[list, list]:
        """``(frames, controls)`` visible in ``box`` when each control in ``overrides``
        has the given index (the others keep their stored one), in document order."""
        overrides = overrides or {}
        frames: list[str] = []
        controls: list[str] = []

        def walk(model_id: str) -> None:
            name, state = self.name(model_id), self.state(model_id)
            if "nnlib-frame" in state.get("_dom_classes", []):
                frames.append(model_id)
            if "nnlib-static-control" in state.get("_dom_classes", []):
                controls.append(model_id)
            children = [_ref(c) for c in state.get("children", [])]
            if name == "StackModel":
                driver = self.stack_driver(model_id)
                if driver is None:
                    raise ValueError(f"stack {model_id} has no control linked to it")
                children = [children[self.index(driver, overrides)]]
            for child in children:
                if child:
                    walk(child)

        walk(box)
        return frames, controls

    def options(self, control: str) -> list[str]:
        """The labels an index-based control offers."""
        return list(self.state(control)["_options_labels"])

    def frame_html(self, frame: str) -> str:
        return self.state(frame)["value"]
