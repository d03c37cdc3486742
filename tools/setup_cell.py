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
MARKER = "# Setup: install nnlib if this kernel lacks it (Colab)."

TEMPLATE = """{marker}
# Locally and on Binder nnlib is already installed: this cell prints nothing.
# NNLIB_SOURCE overrides where pip installs it from (path, wheel or git URL).
import importlib
import importlib.util
import os
import subprocess
import sys

if importlib.util.find_spec("nnlib") is None:
    NNLIB_SOURCE = os.environ.get(
        "NNLIB_SOURCE", "{source}"
    )
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", NNLIB_SOURCE],
        check=True,
    )
    importlib.invalidate_caches()"""


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
    """The pip requirement that installs nnlib from the configured repository."""
    repository = read_repository(config_path)
    return f"git+{repository['url']}@{repository['branch']}"


def setup_cell_source(config_path: Path = CONFIG) -> str:
    """The exact source of the setup cell."""
    return TEMPLATE.format(marker=MARKER, source=install_source(config_path))


def first_code_cell(notebook: dict) -> dict | None:
    """The first code cell of a notebook (as nbformat JSON), or None."""
    for cell in notebook.get("cells", []):
        if cell.get("cell_type") == "code":
            return cell
    return None


def cell_text(cell: dict) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else source


def notebooks_with_setup_cell(book: Path = BOOK) -> list[Path]:
    """Notebooks in ``book/`` whose first code cell is a setup cell (starts with MARKER)."""
    found = []
    for path in sorted(book.glob("*.ipynb")):
        cell = first_code_cell(json.loads(path.read_text(encoding="utf-8")))
        if cell is not None and cell_text(cell).startswith(MARKER):
            found.append(path)
    return found


def stale_notebooks(book: Path = BOOK) -> list[Path]:
    expected = setup_cell_source()
    stale = []
    for path in notebooks_with_setup_cell(book):
        cell = first_code_cell(json.loads(path.read_text(encoding="utf-8")))
        if cell_text(cell) != expected:
            stale.append(path)
    return stale


def write(book: Path = BOOK) -> list[Path]:
    """Replace stale setup cells with the current one; return the notebooks changed."""
    changed = stale_notebooks(book)
    for path in changed:
        notebook = json.loads(path.read_text(encoding="utf-8"))
        cell = first_code_cell(notebook)
        cell["source"] = setup_cell_source().splitlines(keepends=True)
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
            print(f"{path.relative_to(ROOT)}: setup cell differs from tools/setup_cell.py")
        return 1 if stale else 0
    if args.write:
        for path in write():
            print(f"updated {path.relative_to(ROOT)}")
        return 0
    print(setup_cell_source())
    return 0


if __name__ == "__main__":
    sys.exit(main())
