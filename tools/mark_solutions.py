"""Mark exercise and solution cells in a notebook, so authors never hand-edit cell JSON.

A solution is hidden wherever a learner meets it:

- on the Jupyter Book site: the ``hide-input`` tag (a "show code" toggle);
- in JupyterLab and Notebook 7: ``metadata.jupyter.source_hidden = true``;
- in Colab: ``metadata.cellView = "form"`` and ``# @title Solution`` as the first source line
  (Colab shows the title and folds the code).

:func:`mark_solution` does all four to a cell; :func:`solution_problems` lists what a cell
lacks (``tools/notebook_rules.py`` uses it). From the shell::

    python tools/mark_solutions.py book/03_activations.ipynb     # fix in place
    python tools/mark_solutions.py --check book/*.ipynb          # report, exit 1

The command marks every cell that is tagged ``solution`` or whose first line is
``# @title Solution`` (so typing that line into a new cell is all an author has to do).

Works on plain JSON dicts and ``nbformat`` notebooks alike, with the standard library only.
Used by every chapter's exercises.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

SOLUTION_TAG = "solution"
EXERCISE_TAG = "exercise"
HIDE_TAG = "hide-input"
SOLUTION_TITLE = "# @title Solution"


def cell_source(cell: dict[str, Any]) -> str:
    """The source of a cell as one string (nbformat stores a string or a list of lines)."""
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else source


def _set_source(cell: dict[str, Any], text: str) -> None:
    cell["source"] = (
        text.splitlines(keepends=True) if isinstance(cell.get("source"), list) else text
    )


def tags(cell: dict[str, Any]) -> list[str]:
    """The cell's tags (an empty list if it has none)."""
    return list(cell.get("metadata", {}).get("tags", []))


def _add_tag(cell: dict[str, Any], tag: str) -> None:
    metadata = cell.setdefault("metadata", {})
    current = metadata.setdefault("tags", [])
    if tag not in current:
        current.append(tag)


def is_solution(cell: dict[str, Any]) -> bool:
    """Whether a cell is a solution: tagged ``solution`` or titled ``# @title Solution``."""
    if cell.get("cell_type") != "code":
        return False
    first = cell_source(cell).lstrip().split("\n", 1)[0].strip()
    return SOLUTION_TAG in tags(cell) or first == SOLUTION_TITLE


def mark_exercise(cell: dict[str, Any]) -> dict[str, Any]:
    """Tag a code cell as an exercise (the learner's stub ending in a checker call).

    Example:
        >>> mark_exercise({"cell_type": "code", "metadata": {}, "source": "..."})["metadata"]
        {'tags': ['exercise']}
    """
    _add_tag(cell, EXERCISE_TAG)
    return cell


def mark_solution(cell: dict[str, Any]) -> dict[str, Any]:
    """Hide a solution cell on the site, in JupyterLab/Notebook and in Colab (in place).

    Adds the ``solution`` and ``hide-input`` tags, ``metadata.jupyter.source_hidden``,
    ``metadata.cellView = "form"``, and the ``# @title Solution`` first line (unless the
    source already starts with it). Running it twice changes nothing more.

    Args:
        cell: A code cell, as a dict (``nbformat.NotebookNode`` works too).

    Returns:
        The same cell, for chaining.

    Example:
        >>> cell = {"cell_type": "code", "metadata": {}, "source": "check_mse(mse)"}
        >>> mark_solution(cell)["source"]
        '# @title Solution\\ncheck_mse(mse)'
        >>> solution_problems(cell)
        []

    Used by every chapter with exercises (1-10).
    """
    _add_tag(cell, SOLUTION_TAG)
    _add_tag(cell, HIDE_TAG)
    metadata = cell.setdefault("metadata", {})
    metadata.setdefault("jupyter", {})["source_hidden"] = True
    metadata["cellView"] = "form"
    text = cell_source(cell)
    if text.split("\n", 1)[0].strip() != SOLUTION_TITLE:
        _set_source(cell, f"{SOLUTION_TITLE}\n{text.lstrip()}")
    return cell


def solution_problems(cell: dict[str, Any]) -> list[str]:
    """What keeps a solution cell from being hidden everywhere (empty when it is hidden).

    Example:
        >>> solution_problems({"cell_type": "code", "metadata": {"tags": ["solution"]},
        ...                    "source": "x = 1"})  # doctest: +NORMALIZE_WHITESPACE
        ['no hide-input tag (the site shows it)',
         'no metadata.jupyter.source_hidden (JupyterLab shows it)',
         'no metadata.cellView = "form" (Colab shows it)',
         'first line is not "# @title Solution" (Colab shows it)']
    """
    metadata = cell.get("metadata", {})
    problems = []
    if HIDE_TAG not in tags(cell):
        problems.append("no hide-input tag (the site shows it)")
    if not metadata.get("jupyter", {}).get("source_hidden"):
        problems.append("no metadata.jupyter.source_hidden (JupyterLab shows it)")
    if metadata.get("cellView") != "form":
        problems.append('no metadata.cellView = "form" (Colab shows it)')
    if cell_source(cell).split("\n", 1)[0].strip() != SOLUTION_TITLE:
        problems.append(f'first line is not "{SOLUTION_TITLE}" (Colab shows it)')
    return problems


def mark_notebook(notebook: dict[str, Any]) -> int:
    """Mark every solution cell (see :func:`is_solution`); return how many cells changed."""
    changed = 0
    for cell in notebook.get("cells", []):
        if is_solution(cell) and (solution_problems(cell) or SOLUTION_TAG not in tags(cell)):
            mark_solution(cell)
            changed += 1
    return changed


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: mark (or, with ``--check``, report) solution cells in notebooks."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="+", type=Path)
    parser.add_argument("--check", action="store_true", help="report only; exit 1 if any")
    args = parser.parse_args(argv)
    status = 0
    for path in args.notebooks:
        notebook = json.loads(path.read_text(encoding="utf-8"))
        if args.check:
            for index, cell in enumerate(notebook.get("cells", [])):
                if is_solution(cell):
                    for problem in solution_problems(cell):
                        print(f"{path}: cell {index}: solution not hidden: {problem}")
                        status = 1
            continue
        changed = mark_notebook(notebook)
        if changed:
            text = json.dumps(notebook, indent=1, ensure_ascii=False) + "\n"
            path.write_text(text, encoding="utf-8")
            print(f"{path}: marked {changed} solution cell(s)")
    return status


if __name__ == "__main__":
    sys.exit(main())
