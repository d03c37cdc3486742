"""The notebook conventions (tools/notebook_rules.py): each rule fails on a synthetic notebook
that breaks it and passes on a good one; then every book/*.ipynb must pass them all."""

from __future__ import annotations

import copy
import json
import sys
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))

import mark_solutions as nbtools  # noqa: E402
import notebook_rules as rules  # noqa: E402
from setup_cell import MARKER, fold, setup_cell_source  # noqa: E402

WIDGET = {"application/vnd.jupyter.widget-view+json": {"model_id": "abc", "version_major": 2,
          "version_minor": 0}, "text/plain": "HBox()"}  # fmt: skip


def folded(cell):
    """The setup cell as chapters carry it: folded on the site, in Jupyter and in Colab."""
    fold(cell)
    return cell


def stream(text: str):
    return new_output("stream", name="stdout", text=text)


def good_notebook():
    exercise = new_code_cell(
        "def softmax(logits):\n    ...\n\n\ncheck_softmax(softmax)",
        outputs=[stream("○ softmax: not attempted yet.\n")],
    )
    nbtools.mark_exercise(exercise)
    solution = new_code_cell(
        "def softmax(logits):\n    e = np.exp(logits - logits.max(-1, keepdims=True))\n"
        "    return e / e.sum(-1, keepdims=True)\n\n\ncheck_softmax(softmax)",
        outputs=[stream("✓ softmax: correct on all 5 cases.\n")],
    )
    nbtools.mark_solution(solution)
    cells = [
        new_markdown_cell("# 3. Activations\n\nWhat you will be able to do."),
        folded(new_code_cell(setup_cell_source())),
        new_code_cell(
            "import numpy as np\nimport nnlib\nfrom nnlib.exercises import check_softmax\n\n"
            "nnlib.manual_seed(0)  # before the first random draw\nX = nnlib.randn(4, 3)"
        ),
        new_markdown_cell("**Exercise.** Write a stable softmax."),
        exercise,
        solution,
        new_code_cell("demo", outputs=[new_output("display_data", data=WIDGET)]),
        new_code_cell(""),  # an empty cell is not run
    ]
    count = 0
    for cell in cells:
        if cell.cell_type == "code" and cell.source.strip():
            count += 1
            cell.execution_count = count
    return new_notebook(cells=cells)


def problems(nb, tmp_path: Path, name: str = "nb.ipynb") -> list[rules.Problem]:
    path = tmp_path / name
    nbformat.write(nb, path)
    return rules.check_notebook(path)


def code(nb):
    return [c for c in nb.cells if c.cell_type == "code"]


def test_good_notebook_passes_every_rule(tmp_path: Path) -> None:
    assert problems(good_notebook(), tmp_path) == []


# ---------------------------------------------------------- one violation per case
def replace_setup(nb):
    code(nb)[0].source = "import nnlib"


def stale_setup(nb):
    code(nb)[0].source = MARKER + "\nprint('old')"


def unfold_setup(nb):
    del code(nb)[0].metadata["cellView"]


def setup_before_title(nb):
    nb.cells[0], nb.cells[1] = nb.cells[1], nb.cells[0]


def skip_count(nb):
    code(nb)[2].execution_count = 7


def missing_count(nb):
    code(nb)[1].execution_count = None


def error_output(nb):
    code(nb)[1].outputs = [new_output("error", ename="ValueError", evalue="bad", traceback=[])]


def widget_with_print(nb):
    code(nb)[4].outputs.append(stream("updated\n"))


def unhide(key):
    def change(nb):
        cell = code(nb)[3]
        if key == "hide-input":
            cell.metadata.tags.remove("hide-input")
        elif key == "source_hidden":
            del cell.metadata["jupyter"]
        elif key == "cellView":
            del cell.metadata["cellView"]
        else:
            cell.source = cell.source.replace("# @title Solution\n", "")

    return change


def with_source(index: int, source: str):
    def change(nb):
        code(nb)[index].source = source

    return change


def absolute_in_output(nb):
    code(nb)[1].outputs = [stream("saved to /tmp/run1/model.npz\n")]


def windows_in_markdown(nb):
    nb.cells[0].source += "\n\nDownload it to C:\\Users\\me\\course."


def escapes(n):
    def change(nb):
        for cell in code(nb)[1 : 1 + n]:
            cell.metadata.setdefault("tags", []).append("nbval-ignore-output")

    return change


def escape_comment(nb):
    escapes(2)(nb)
    code(nb)[4].source = "# NBVAL_SKIP\n" + code(nb)[4].source


def huge(nb):
    code(nb)[1].outputs = [stream("x" * (5 * 1024 * 1024 + 10))]


def exercise_without_check(nb):
    code(nb)[2].source = "def softmax(logits):\n    ...\n\nresult = check_softmax(softmax)"


def no_solution(nb):
    nb.cells.remove(code(nb)[3])
    renumber(nb)


def other_checker(nb):
    code(nb)[3].source = code(nb)[3].source.replace("check_softmax(", "check_relu_grad(")


def failing_solution(nb):
    code(nb)[3].outputs = [stream("✗ softmax: wrong result on case 3 of 5.\n")]


def renumber(nb):
    count = 0
    for cell in code(nb):
        if cell.source.strip():
            count += 1
            cell.execution_count = count


def hidden_figure(nb):
    code(nb)[1].source += "\nplot.show(fig)\nprint('done')"


VIOLATIONS = {
    "not-the-setup-cell": ("setup-cell", replace_setup),
    "stale-setup-cell": ("setup-cell", stale_setup),
    "unfolded-setup-cell": ("setup-cell", unfold_setup),
    "setup-cell-before-title": ("setup-cell", setup_before_title),
    "count-skips": ("clean-run", skip_count),
    "count-missing": ("clean-run", missing_count),
    "error-output": ("no-errors", error_output),
    "figure-not-last": ("figure-shown", hidden_figure),
    "widget-plus-print": ("widget-alone", widget_with_print),
    "no-hide-input": ("hidden-solutions", unhide("hide-input")),
    "no-source-hidden": ("hidden-solutions", unhide("source_hidden")),
    "no-cellview-form": ("hidden-solutions", unhide("cellView")),
    "no-title-line": ("hidden-solutions", unhide("title")),
    "absolute-path-in-source": ("no-absolute-paths", with_source(
        1, "data = np.load('/home/alice/data.npz')")),
    "absolute-path-in-output": ("no-absolute-paths", absolute_in_output),
    "windows-path-in-markdown": ("no-absolute-paths", windows_in_markdown),
    "three-escaping-cells": ("nbval-escapes", escapes(3)),
    "escape-comment-counts": ("nbval-escapes", escape_comment),
    "over-5-MB": ("size", huge),
    "exercise-without-checker-call": ("exercise-checked", exercise_without_check),
    "exercise-without-solution": ("exercise-solved", no_solution),
    "solution-other-checker": ("exercise-solved", other_checker),
    "solution-does-not-pass": ("exercise-solved", failing_solution),
}  # fmt: skip


@pytest.mark.parametrize(("rule", "change"), VIOLATIONS.values(), ids=VIOLATIONS.keys())
def test_each_rule_fails_on_a_violating_notebook(rule: str, change, tmp_path: Path) -> None:
    nb = good_notebook()
    change(nb)
    found = problems(nb, tmp_path)
    assert found, f"{rule} did not fire"
    assert {p.rule for p in found} == {rule}, [str(p) for p in found]
    assert all(p.message for p in found)


def test_two_escaping_cells_are_allowed(tmp_path: Path) -> None:
    nb = good_notebook()
    escapes(2)(nb)
    assert problems(nb, tmp_path) == []


def test_urls_and_relative_paths_are_not_absolute_paths(tmp_path: Path) -> None:
    nb = good_notebook()
    nb.cells[0].source += "\n\nSee https://example.org/home/docs and data/tmp/x.csv."
    code(nb)[1].outputs = [stream("first 3 rows of X:\n [[0.1 0.2]]\n")]
    assert problems(nb, tmp_path) == []


def test_problems_name_rule_and_cell(tmp_path: Path) -> None:
    nb = good_notebook()
    error_output(nb)
    (problem,) = problems(nb, tmp_path)
    assert str(problem) == "[no-errors] cell 2: stored error output ValueError: bad"


# ------------------------------------------------------------- marking solutions
def test_mark_solution_hides_a_cell_everywhere_and_is_idempotent() -> None:
    cell = new_code_cell("def f(x):\n    return x\n\n\ncheck_relu_grad(f)")
    cell.metadata.tags = ["solution"]
    assert len(nbtools.solution_problems(cell)) == 4
    nbtools.mark_solution(cell)
    assert nbtools.solution_problems(cell) == []
    once = copy.deepcopy(cell)
    nbtools.mark_solution(cell)
    assert cell == once
    assert cell.source.startswith("# @title Solution\ndef f(x):")
    assert cell.metadata.tags == ["solution", "hide-input"]


def test_mark_solutions_command_fixes_a_notebook(tmp_path: Path, capsys) -> None:
    nb = good_notebook()
    unhide("cellView")(nb)
    unhide("title")(nb)
    titled = new_code_cell("# @title Solution\ncheck_softmax(softmax)")  # just typed the title
    nb.cells.append(titled)
    path = tmp_path / "chapter.ipynb"
    nbformat.write(nb, path)
    assert nbtools.main(["--check", str(path)]) == 1
    assert nbtools.main([str(path)]) == 0
    assert "marked 2 solution cell(s)" in capsys.readouterr().out
    assert nbtools.main(["--check", str(path)]) == 0
    fixed = json.loads(path.read_text(encoding="utf-8"))
    assert rules.check_notebook(path, [rules.rule_hidden_solutions]) == []
    assert "solution" in fixed["cells"][-1]["metadata"]["tags"]
    nbformat.validate(nbformat.reads(path.read_text(encoding="utf-8"), as_version=4))


# ------------------------------------------------------------- the book itself
BOOK = rules.book_notebooks()


@pytest.mark.parametrize("path", BOOK, ids=[p.name for p in BOOK])
def test_book_notebook_follows_the_conventions(path: Path) -> None:
    found = rules.check_notebook(path)
    assert not found, f"{path.name} breaks the notebook conventions:\n" + "\n".join(
        str(p) for p in found
    )


def test_the_book_has_notebooks() -> None:
    assert any(p.name == "00_setup.ipynb" for p in BOOK)
