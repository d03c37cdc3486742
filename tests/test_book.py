"""The book's structure: every chapter is in the table of contents and on the chapter map."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHAPTERS = sorted(ROOT.glob("book/[0-9][0-9]_*.ipynb"))


def test_every_notebook_is_in_the_table_of_contents() -> None:
    toc = (ROOT / "_toc.yml").read_text(encoding="utf-8")
    listed = set(re.findall(r"file:\s*(book/[\w-]+)", toc))
    missing = [p.name for p in CHAPTERS if f"book/{p.stem}" not in listed]
    assert not missing, f"add these notebooks to _toc.yml: {missing}"


def test_intro_links_every_chapter_that_exists() -> None:
    intro = (ROOT / "book" / "intro.md").read_text(encoding="utf-8")
    linked = set(re.findall(r"\]\((\d\d_[\w-]+\.ipynb)\)", intro))
    missing = [p.name for p in CHAPTERS if p.name not in linked]
    assert not missing, f"link these chapters from the chapter map in book/intro.md: {missing}"
    dangling = sorted(name for name in linked if not (ROOT / "book" / name).exists())
    assert not dangling, f"book/intro.md links chapters that do not exist: {dangling}"


def test_front_end_assets_are_pinned_and_not_vendored() -> None:
    import json

    package = json.loads((ROOT / "package.json").read_text(encoding="utf-8"))
    for name, version in package["dependencies"].items():
        assert re.fullmatch(r"\d+\.\d+\.\d+", version), f"pin {name} exactly, not {version!r}"
    assert (ROOT / "package-lock.json").exists()
    gitignore = (ROOT / ".gitignore").read_text(encoding="utf-8").split()
    assert "node_modules/" in gitignore
    assert not (ROOT / "_static").exists(), (
        "Jupyter Book adds every .js in _static/ to every page: keep site scripts in "
        "tools/site_assets/ (staged by tools/stage_assets.py)"
    )


def test_requirements_are_exact_pins_with_cpu_torch() -> None:
    lines = [
        line.strip()
        for line in (ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    loose = [line for line in lines if not re.fullmatch(r"[A-Za-z0-9_.\-\[\]]+==[\w.+]+", line)]
    assert not loose, f"requirements.txt must pin exactly: {loose}"
    assert "torch==2.13.0" in lines


def test_licences_are_stated_in_the_repository_the_readme_and_the_site_footer() -> None:
    code, content = ROOT / "LICENSE", ROOT / "LICENSE-CONTENT.md"
    assert "MIT License" in code.read_text(encoding="utf-8")
    assert "CC BY 4.0" in content.read_text(encoding="utf-8")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "MIT" in readme and "CC BY 4.0" in readme
    config = (ROOT / "_config.yml").read_text(encoding="utf-8")
    footer = config.split("extra_footer:", 1)[1].split("use_repository_button", 1)[0]
    assert "MIT" in footer and "CC BY 4.0" in footer
    built = ROOT / "_build" / "html" / "book" / "01_perceptron.html"
    if built.exists():  # after `make site`: the footer is on the page itself
        assert "CC BY 4.0" in built.read_text(encoding="utf-8")


# Import names of the packages chapters use, and the distribution that provides each.
DISTRIBUTIONS = {"sklearn": "scikit-learn"}
# nnlib functions that need an optional package the chapters then use without importing it.
INDIRECT = {"load_digits": "scikit-learn"}


def chapter_packages() -> set[str]:
    """Distributions the notebooks in book/ import (directly or through INDIRECT)."""
    import ast
    import json
    import sys

    found: set[str] = set()
    for path in sorted((ROOT / "book").glob("*.ipynb")):
        for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
            if cell["cell_type"] != "code":
                continue
            source = "".join(cell["source"])
            code = "\n".join(
                line for line in source.splitlines() if not line.lstrip().startswith(("%", "!"))
            )
            for node in ast.walk(ast.parse(code)):
                names = []
                if isinstance(node, ast.Import):
                    names = [alias.name for alias in node.names]
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    names = [node.module]
                for name in names:
                    top = name.split(".")[0]
                    if top not in sys.stdlib_module_names and top not in {"nnlib", "IPython"}:
                        found.add(DISTRIBUTIONS.get(top, top))
            found.update(dist for name, dist in INDIRECT.items() if name in source)
    return found


def test_the_readiness_check_and_binder_cover_every_package_a_chapter_uses() -> None:
    import json

    packages = chapter_packages()
    assert {"numpy", "torch", "matplotlib", "ipywidgets", "scikit-learn"} <= packages
    setup = json.loads((ROOT / "book" / "00_setup.ipynb").read_text(encoding="utf-8"))
    check = next(
        "".join(c["source"]) for c in setup["cells"] if "requirements = [" in "".join(c["source"])
    )
    missing = sorted(p for p in packages if f'installed_version("{p}")' not in check)
    assert not missing, f"the setup page's readiness check does not look for {missing}"
    binder = (ROOT / "binder" / "requirements.txt").read_text(encoding="utf-8")
    pinned = set(re.findall(r"^([A-Za-z0-9_.-]+)==", binder, re.MULTILINE))
    assert not sorted(packages - pinned), f"binder/requirements.txt lacks {packages - pinned}"
