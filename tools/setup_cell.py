"""The setup cell every chapter notebook starts with, generated from ``_config.yml``.

The repository address lives in one place, the ``repository:`` section of ``_config.yml``.
This module turns it into the source of the setup cell, so no notebook spells the address
by hand. ``tests/test_setup_cell.py`` checks that every notebook whose first code cell is a
setup cell matches :func:`setup_cell_source` exactly.

Usage::

    python tools/setup_cell.py            # print the setup cell
    python tools/setup_cell.py --check    # exit 1 if a notebook's setup cell is stale
    python tools/setup_cell.py --write    # rewrite stale setup cells in book/*.ipynb
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / "_config.yml"
BOOK = ROOT / "book"

# The first line of the setup cell; it is how a notebook's first code cell is recognised.
# "# @title" makes Colab show the cell folded, as a form with this title.
MARKER = "# @title Setup: install nnlib if this kernel lacks it (Colab)"

TEMPLATE = """{marker}
# Locally and on Binder nnlib is already installed: this cell prints nothing.
# On Colab it installs nnlib {version}, the release this notebook was written
# for, and says how long that took (about 30 s).
# NNLIB_SOURCE overrides where pip installs it from (path, wheel or git URL).
import importlib
import importlib.util
import os
import subprocess
import sys
import time


class SetupError(Exception):
    def _render_traceback_(self):  # IPython shows this instead of a traceback
        return [str(self)]


if importlib.util.find_spec("nnlib") is None:
    NNLIB_SOURCE = os.environ.get(
        "NNLIB_SOURCE", "{source}"
    )
    print(f"Installing nnlib from {{NNLIB_SOURCE}} (about 30 s)...", flush=True)
    start = time.monotonic()
    pip = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", NNLIB_SOURCE],
        capture_output=True,
        text=True,
    )
    if pip.returncode != 0:
        said = pip.stderr.strip().splitlines() or ["pip printed nothing"]
        raise SetupError(
            f"Could not install nnlib from {{NNLIB_SOURCE}}: {{said[-1]}}\\n"
            "Check the internet connection, then run this cell again."
        )
    importlib.invalidate_caches()
    print(f"nnlib installed in {{time.monotonic() - start:.0f}} s.")"""

# Where the setup cell is folded: the site (hide-input), JupyterLab (source_hidden) and
# Colab (cellView: form, with the "# @title" line).
FOLDED_TAG = "hide-input"


def release_version(pyproject: Path = ROOT / "pyproject.toml") -> str:
    """nnlib's version in ``pyproject.toml``; the setup cell installs the tag ``v<version>``."""
    match = re.search(r'^version\s*=\s*"([^"]+)"', pyproject.read_text("utf-8"), re.M)
    if not match:
        raise ValueError(f'{pyproject}: no version = "..." line')
    return match.group(1)


def read_repository(config_path: Path = CONFIG) -> dict[str, str]:
    """Return ``url``, ``branch`` and ``path_to_book`` from the ``repository:`` section.

    Parsed with a small reader (not PyYAML) so the tool runs with the standard library only.
    """
    repository: dict[str, str] = {}
    inside = False
    for line in config_path.read_text(encoding="utf-8").splitlines():
        if re.match(r"^repository:\s*$", line):
            inside = True
            continue
        if inside:
            match = re.match(r"^\s+(\w+):\s*(\S+)\s*$", line)
            if match:
                repository[match.group(1)] = match.group(2).strip("\"'")
            elif line.strip() and not line.startswith((" ", "#")):
                break
    missing = {"url", "branch", "path_to_book"} - set(repository)
    if missing:
        raise ValueError(f"_config.yml: repository: lacks {sorted(missing)}")
    return repository


def install_source(config_path: Path = CONFIG) -> str:
    """The pip requirement that installs this release of nnlib from the repository.

    A release tag, not a branch: a notebook opened in Colab keeps installing the nnlib it
    was written for after ``main`` moves on (CHANGELOG.md lists the releases).
    """
    repository = read_repository(config_path)
    return f"git+{repository['url']}@v{release_version()}"


def setup_cell_source(config_path: Path = CONFIG) -> str:
    """The exact source of the setup cell."""
    return TEMPLATE.format(
        marker=MARKER, source=install_source(config_path), version=f"v{release_version()}"
    )


def is_folded(cell: dict) -> bool:
    """Whether the cell is folded on the site, in JupyterLab and in Colab."""
    metadata = cell.get("metadata", {})
    return (
        FOLDED_TAG in metadata.get("tags", [])
        and metadata.get("jupyter", {}).get("source_hidden") is True
        and metadata.get("cellView") == "form"
    )


def fold(cell: dict) -> None:
    """Fold the cell everywhere (see :func:`is_folded`)."""
    metadata = cell.setdefault("metadata", {})
    tags = metadata.setdefault("tags", [])
    if FOLDED_TAG not in tags:
        tags.append(FOLDED_TAG)
    metadata.setdefault("jupyter", {})["source_hidden"] = True
    metadata["cellView"] = "form"


def after_title(notebook: dict) -> bool:
    """Whether the notebook opens with its title (a markdown ``# ...`` cell) and the
    setup cell comes right after it."""
    cells = notebook.get("cells", [])
    return (
        len(cells) >= 2
        and cells[0].get("cell_type") == "markdown"
        and cell_text(cells[0]).lstrip().startswith("# ")
        and cells[1].get("cell_type") == "code"
        and cell_text(cells[1]).startswith(MARKER)
    )


def first_code_cell(notebook: dict) -> dict | None:
    """The first code cell of a notebook (as nbformat JSON), or None."""
    for cell in notebook.get("cells", []):
        if cell.get("cell_type") == "code":
            return cell
    return None


def cell_text(cell: dict) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else source


# Earlier versions of the first line, recognised so that --write can replace them.
OLD_MARKERS = ("# Setup: install nnlib if this kernel lacks it (Colab).",)


def is_setup_cell(cell: dict | None) -> bool:
    """Whether ``cell`` is a setup cell, current or stale."""
    return cell is not None and cell_text(cell).startswith((MARKER, *OLD_MARKERS))


def notebooks_with_setup_cell(book: Path = BOOK) -> list[Path]:
    """Notebooks in ``book/`` whose first code cell is a setup cell (current or stale)."""
    found = []
    for path in sorted(book.glob("*.ipynb")):
        if is_setup_cell(first_code_cell(json.loads(path.read_text(encoding="utf-8")))):
            found.append(path)
    return found


def stale_notebooks(book: Path = BOOK) -> list[Path]:
    """Notebooks whose setup cell differs from the current one, is not folded, or is not
    right after the title."""
    expected = setup_cell_source()
    stale = []
    for path in notebooks_with_setup_cell(book):
        notebook = json.loads(path.read_text(encoding="utf-8"))
        cell = first_code_cell(notebook)
        if cell_text(cell) != expected or not is_folded(cell) or not after_title(notebook):
            stale.append(path)
    return stale


def write(book: Path = BOOK) -> list[Path]:
    """Bring stale setup cells up to date (source, folding, place after the title); return
    the notebooks changed."""
    changed = stale_notebooks(book)
    for path in changed:
        notebook = json.loads(path.read_text(encoding="utf-8"))
        cell = first_code_cell(notebook)
        cell["source"] = setup_cell_source().splitlines(keepends=True)
        fold(cell)
        cells = notebook["cells"]
        cells.remove(cell)
        title = next(
            (i for i, c in enumerate(cells) if c.get("cell_type") == "markdown"
             and cell_text(c).lstrip().startswith("# ")),
            None,
        )  # fmt: skip
        cells.insert(0 if title is None else title + 1, cell)
        path.write_text(json.dumps(notebook, indent=1, ensure_ascii=False) + "\n", "utf-8")
    return changed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--check", action="store_true", help="fail if a setup cell is stale")
    group.add_argument("--write", action="store_true", help="rewrite stale setup cells")
    args = parser.parse_args(argv)
    if args.check:
        stale = stale_notebooks()
        for path in stale:
            print(
                f"{path.relative_to(ROOT)}: setup cell differs from tools/setup_cell.py, is "
                "not folded, or is not right after the title (run --write)"
            )
        return 1 if stale else 0
    if args.write:
        for path in write():
            print(f"updated {path.relative_to(ROOT)}")
        return 0
    print(setup_cell_source())
    return 0


if __name__ == "__main__":
    sys.exit(main())
