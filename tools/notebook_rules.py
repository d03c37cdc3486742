"""The notebook conventions of the course, as checks a chapter author can run.

Every ``book/*.ipynb`` must:

1. ``setup-cell``: start (first code cell) with the canonical setup cell of
   ``tools/setup_cell.py``;
2. ``clean-run``: come from one clean top-to-bottom run (execution counts 1, 2, …, n in
   order, none missing; empty cells are not run);
3. ``no-errors``: store no error output;
4. ``widget-alone``: give a cell that displays a widget no other output;
5. ``hidden-solutions``: hide every solution on the site, in JupyterLab and in Colab;
6. ``no-absolute-paths``: contain no absolute path (``/home/``, ``/work/``, ``/tmp/``,
   ``/Users/``, ``/root/``, ``C:\\``) in sources or outputs;
7. ``nbval-escapes``: let at most two cells escape nbval's comparison;
8. ``size``: stay under 5 MB;
9. ``exercise-checked``: end every exercise cell with a checker call;
10. ``exercise-solved``: follow every exercise with a solution cell that calls the same
    checker, and whose stored output shows it passed (✓);
11. ``figure-shown``: call ``plot.show(...)`` only as a cell's last statement (it returns the
    figure as an image for the cell to display; anywhere else the figure silently vanishes).

That a notebook is repeatable (seeded before its first random draw) is not checked here:
strict nbval (``make nbval``) re-runs every notebook and fails when any output changes.

Usage::

    python tools/notebook_rules.py                   # every book/*.ipynb
    python tools/notebook_rules.py book/03_*.ipynb   # some notebooks

``tests/test_notebook_conventions.py`` runs the same checks on every notebook in CI.
"""

from __future__ import annotations

import ast
import json
import re
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

TOOLS = Path(__file__).resolve().parent
ROOT = TOOLS.parent
BOOK = ROOT / "book"
if str(TOOLS) not in sys.path:
    sys.path.insert(0, str(TOOLS))

from mark_solutions import (  # noqa: E402
    EXERCISE_TAG,
    cell_source,
    is_solution,
    solution_problems,
    tags,
)
from setup_cell import MARKER, after_title, is_folded, setup_cell_source  # noqa: E402

MAX_BYTES = 5 * 1024 * 1024
MAX_ESCAPES = 2
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
ESCAPE_TAGS = {
    "nbval-skip",
    "nbval-ignore-output",
    "raises-exception",
    "nbval-raises-exception",
    "skip-execution",
}
ESCAPE_COMMENTS = re.compile(r"^\s*#\s*NBVAL_(SKIP|IGNORE_OUTPUT|RAISES_EXCEPTION)\b", re.M)
ABSOLUTE_PATH = re.compile(
    r"(?<![\w.~-])/(?:home|work|tmp|Users|root)/"  # POSIX; not the tail of a URL or a/b path
    # Windows drive, e.g. C:\Users or "C:\\data" (not "X:\n", an escape in a printed label)
    r"|(?:^|(?<=[\s\"'(\[=`]))[A-Z]:\\{1,2}(?![ntr\W])\w"
)


@dataclass(frozen=True)
class Problem:
    """One broken convention: the rule's name, the cell (index in the notebook), the message."""

    rule: str
    cell: int | None
    message: str

    def __str__(self) -> str:
        where = f"cell {self.cell}: " if self.cell is not None else ""
        return f"[{self.rule}] {where}{self.message}"


Notebook = dict[str, Any]
Rule = Callable[[Notebook, Path], Iterator[Problem]]


def code_cells(nb: Notebook) -> Iterator[tuple[int, dict[str, Any]]]:
    for index, cell in enumerate(nb.get("cells", [])):
        if cell.get("cell_type") == "code":
            yield index, cell


# ------------------------------------------------------------------------ the rules
def rule_setup_cell(nb: Notebook, path: Path) -> Iterator[Problem]:
    first = next(code_cells(nb), None)
    if first is None:
        yield Problem("setup-cell", None, "no code cell: a chapter starts with the setup cell")
        return
    index, cell = first
    text = cell_source(cell)
    if text == setup_cell_source():
        if not after_title(nb):
            yield Problem(
                "setup-cell",
                index,
                "a chapter opens with its title (a markdown `# ...` cell) and the setup cell "
                "comes right after it; run `python tools/setup_cell.py --write`",
            )
        if not is_folded(cell):
            yield Problem(
                "setup-cell",
                index,
                "fold the setup cell (hide-input tag, source_hidden, cellView: form); run "
                "`python tools/setup_cell.py --write`",
            )
        return
    if text.startswith(MARKER):
        yield Problem(
            "setup-cell",
            index,
            "the setup cell is stale; run `python tools/setup_cell.py --write`",
        )
    else:
        yield Problem(
            "setup-cell",
            index,
            "the first code cell is not the setup cell; paste the output of "
            "`python tools/setup_cell.py` as the first code cell",
        )


def rule_clean_run(nb: Notebook, path: Path) -> Iterator[Problem]:
    expected = 1
    for index, cell in code_cells(nb):
        count = cell.get("execution_count")
        if not cell_source(cell).strip():
            if count is not None or cell.get("outputs"):
                yield Problem("clean-run", index, "an empty cell with a count or outputs")
            continue
        if count != expected:
            yield Problem(
                "clean-run",
                index,
                f"execution_count is {count}, expected {expected}: re-run the notebook from "
                "a fresh kernel, top to bottom (`make execute`)",
            )
            return
        expected += 1


def rule_no_errors(nb: Notebook, path: Path) -> Iterator[Problem]:
    for index, cell in code_cells(nb):
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                yield Problem(
                    "no-errors",
                    index,
                    f"stored error output {output.get('ename')}: {output.get('evalue')}",
                )


def rule_widget_alone(nb: Notebook, path: Path) -> Iterator[Problem]:
    for index, cell in code_cells(nb):
        outputs = cell.get("outputs", [])
        if any(WIDGET_MIME in o.get("data", {}) for o in outputs) and len(outputs) != 1:
            yield Problem(
                "widget-alone",
                index,
                f"a widget cell has {len(outputs)} outputs; it must have exactly one, the "
                "widget (draw into the widget, print nothing, end with the widget)",
            )


def rule_hidden_solutions(nb: Notebook, path: Path) -> Iterator[Problem]:
    for index, cell in enumerate(nb.get("cells", [])):
        if is_solution(cell):
            missing = solution_problems(cell)
            if missing:
                yield Problem(
                    "hidden-solutions",
                    index,
                    "solution not hidden: " + "; ".join(missing) + ". Fix with "
                    f"`python tools/mark_solutions.py book/{path.name}`",
                )


def rule_no_absolute_paths(nb: Notebook, path: Path) -> Iterator[Problem]:
    for index, cell in enumerate(nb.get("cells", [])):
        texts = [("source", cell_source(cell))]
        for output in cell.get("outputs", []):
            text = output.get("text", "")
            texts.append(("output", "".join(text) if isinstance(text, list) else text))
            for mime, value in output.get("data", {}).items():
                if mime.startswith("text/"):
                    texts.append(("output", "".join(value) if isinstance(value, list) else value))
            if output.get("output_type") == "error":
                texts.append(("output", "\n".join(output.get("traceback", []))))
        for where, text in texts:
            match = ABSOLUTE_PATH.search(text)
            if match:
                line = text[: match.start()].count("\n") + 1
                yield Problem(
                    "no-absolute-paths",
                    index,
                    f"absolute path {match.group(0)!r}… in the {where} (line {line}); use a "
                    "path relative to the notebook, or pathlib",
                )
                break


def rule_nbval_escapes(nb: Notebook, path: Path) -> Iterator[Problem]:
    escaping = [
        index
        for index, cell in code_cells(nb)
        if ESCAPE_TAGS & set(tags(cell)) or ESCAPE_COMMENTS.search(cell_source(cell))
    ]
    if len(escaping) > MAX_ESCAPES:
        yield Problem(
            "nbval-escapes",
            None,
            f"{len(escaping)} cells escape nbval (cells {escaping}); at most {MAX_ESCAPES} may. "
            "Make output deterministic instead (seed, fixed formatting, a sanitizer in "
            "tests/nbval_sanitize.cfg)",
        )


def rule_size(nb: Notebook, path: Path) -> Iterator[Problem]:
    size = path.stat().st_size if path.exists() else len(json.dumps(nb))
    if size > MAX_BYTES:
        yield Problem(
            "size",
            None,
            f"the notebook is {size / 1e6:.1f} MB, over 5 MB; store smaller figures "
            "(fewer pixels, PNG) or fewer outputs",
        )


def last_call_name(source: str) -> str | None:
    """The name of the function called by the last statement, if it is a call expression."""
    try:
        tree = ast.parse(_without_magics(source))
    except SyntaxError:
        return None
    if not tree.body or not isinstance(tree.body[-1], ast.Expr):
        return None
    call = tree.body[-1].value
    if not isinstance(call, ast.Call):
        return None
    func = call.func
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return None


def rule_exercise_checked(nb: Notebook, path: Path) -> Iterator[Problem]:
    for index, cell in code_cells(nb):
        if EXERCISE_TAG in tags(cell):
            name = last_call_name(cell_source(cell))
            if not (name and name.startswith("check_")):
                yield Problem(
                    "exercise-checked",
                    index,
                    "an exercise cell must end with a checker call, e.g. `check_softmax(softmax)`",
                )


def _passed(cell: dict[str, Any]) -> bool:
    for output in cell.get("outputs", []):
        text = output.get("text", "")
        text = "".join(text) if isinstance(text, list) else text
        if any(line.startswith("✓") for line in text.splitlines()):
            return True
    return False


def rule_exercise_solved(nb: Notebook, path: Path) -> Iterator[Problem]:
    pending: tuple[int, str | None] | None = None
    for index, cell in code_cells(nb):
        if EXERCISE_TAG in tags(cell):
            if pending is not None:
                yield Problem("exercise-solved", pending[0], "exercise without a solution cell")
            pending = (index, last_call_name(cell_source(cell)))
        elif is_solution(cell):
            checker = last_call_name(cell_source(cell))
            if pending is not None and pending[1] is not None and checker != pending[1]:
                yield Problem(
                    "exercise-solved",
                    index,
                    f"the solution ends with {checker}(...), its exercise (cell {pending[0]}) "
                    f"with {pending[1]}(...): end both with the same checker call",
                )
            if cell.get("execution_count") is not None and not _passed(cell):
                yield Problem(
                    "exercise-solved",
                    index,
                    "the solution's stored output has no ✓ line: it does not pass its checker",
                )
            pending = None
    if pending is not None:
        yield Problem("exercise-solved", pending[0], "exercise without a solution cell")


def rule_figure_shown(nb: Notebook, path: Path) -> Iterator[Problem]:
    for index, cell in code_cells(nb):
        try:
            tree = ast.parse(_without_magics("".join(cell.get("source", ""))))
        except SyntaxError:
            continue
        for position, node in enumerate(tree.body):
            call = node.value if isinstance(node, ast.Expr) else None
            if (
                isinstance(call, ast.Call)
                and isinstance(call.func, ast.Attribute)
                and call.func.attr == "show"
                and isinstance(call.func.value, ast.Name)
                and call.func.value.id == "plot"
                and position != len(tree.body) - 1
            ):
                yield Problem(
                    "figure-shown",
                    index,
                    "plot.show(...) is not the cell's last statement, so its figure is never "
                    "displayed: move it to the end of the cell (print before it)",
                )


def _without_magics(source: str) -> str:
    """The source with IPython magics and shell escapes blanked (so ``ast`` can parse it)."""
    return "\n".join(
        "" if line.lstrip().startswith(("%", "!")) else line for line in source.split("\n")
    )


RULES: list[Rule] = [
    rule_setup_cell,
    rule_clean_run,
    rule_no_errors,
    rule_widget_alone,
    rule_hidden_solutions,
    rule_no_absolute_paths,
    rule_nbval_escapes,
    rule_size,
    rule_exercise_checked,
    rule_exercise_solved,
    rule_figure_shown,
]


def check_notebook(path: Path | str, rules: list[Rule] | None = None) -> list[Problem]:
    """Every broken convention in one notebook (an empty list when it follows them all).

    Args:
        path: The ``.ipynb`` file.
        rules: The rules to apply (default: all of :data:`RULES`).

    Returns:
        The problems found, in rule order.
    """
    path = Path(path)
    nb = json.loads(path.read_text(encoding="utf-8"))
    problems: list[Problem] = []
    for rule in rules or RULES:
        problems.extend(rule(nb, path))
    return problems


def book_notebooks(book: Path = BOOK) -> list[Path]:
    """The chapter notebooks, ``book/*.ipynb``, sorted."""
    return sorted(book.glob("*.ipynb"))


def main(argv: list[str] | None = None) -> int:
    paths = [Path(p) for p in (argv if argv is not None else sys.argv[1:])] or book_notebooks()
    status = 0
    for path in paths:
        for problem in check_notebook(path):
            print(f"{path}: {problem}")
            status = 1
    if status == 0:
        print(f"{len(paths)} notebook(s) follow the conventions.")
    return status


if __name__ == "__main__":
    sys.exit(main())
