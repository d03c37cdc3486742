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
