"""Sphinx extension: the site's Font Awesome fonts hold only the icons the site shows.

pydata-sphinx-theme's stylesheet draws every icon (``<i class="fa-solid fa-rocket">``, the
admonitions' and links' icons, ipywidgets' Play buttons) from Font Awesome's web fonts, which
hold some 2,000 icons: 156 kB (solid), 118 kB (brands, for one GitHub logo) and 25 kB
(regular), fetched by every first visit. The site shows a few dozen. When the HTML build
finishes, this extension rewrites the copies of those fonts in the site's ``_static/`` (never
the theme's own files) with fontTools' subsetter, keeping every icon that

- a page or a script of the site names by class (``fa-rocket``, ``fa-play``: any
  ``fa-<name>`` in the built HTML and in ``_static/**/*.js``, among them the widget manager
  with its Play, Pause, Stop and Repeat icons; and a button's ``"icon"`` in the widget
  state), mapped to its character through the theme's own ``.fa-<name>:before{content:...}``
  rules; or
- a stylesheet draws itself (any private-use character in a rule that is not one of those
  ``.fa-<name>:before`` rules: the theme's ``--pst-icon-*`` admonition and link icons).

A class the subset leaves out would show nothing, so the kept set errs on the side of more:
every ``fa-`` token counts, whatever element carries it. ``tests/test_site.py`` checks that
every icon on every page is in the font it is drawn from.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx

FONT_DIR = Path("_static") / "vendor" / "fontawesome" / "webfonts"
FONTS = ("fa-solid-900.woff2", "fa-regular-400.woff2", "fa-brands-400.woff2")
# `.fa-play:before,.fa-start:before{content:"\f04b"}` (one rule per icon, with its aliases).
ICON_RULE = re.compile(r"((?:\.fa-[a-z0-9-]+:(?:before|after),?)+)\{content:\"([^\"]*)\"\}")
ICON_NAME = re.compile(r"\.fa-([a-z0-9-]+):")
CLASS_TOKEN = re.compile(r"\bfa-([a-z0-9]+(?:-[a-z0-9]+)*)")
# An ipywidgets Button's icon, in the widget state: drawn as `fa fa-<icon>`.
WIDGET_ICON = re.compile(r'"icon":\s*"([a-z0-9-]+)"')
CSS_ESCAPE = re.compile(r"\\([0-9a-fA-F]{1,6}) ?")


def _private_use(text: str) -> set[int]:
    return {ord(c) for c in text if 0xE000 <= ord(c) <= 0xF8FF or 0xF0000 <= ord(c)}


def _decode(content: str) -> str:
    """A CSS string's text: ``\\f04b`` and ``\\30 `` escapes decoded."""
    return CSS_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), content)


def icon_characters(static: Path) -> dict[str, set[int]]:
    """Each icon class the stylesheets define (``"play"``) -> its characters; and under
    ``""`` the private-use characters the stylesheets draw themselves."""
    icons: dict[str, set[int]] = {"": set()}
    for css in static.rglob("*.css"):
        text = css.read_text(encoding="utf-8", errors="replace")
        for selectors, content in ICON_RULE.findall(text):
            for name in ICON_NAME.findall(selectors):
                icons.setdefault(name, set()).update(ord(c) for c in _decode(content))
        rest = ICON_RULE.sub("", text)
        icons[""] |= _private_use(_decode(rest))
    return icons


def used_classes(outdir: Path) -> set[str]:
    """Every ``fa-<name>`` token in the built pages and the site's scripts."""
    names: set[str] = set()
    files = list(outdir.rglob("*.html")) + list((outdir / "_static").rglob("*.js"))
    for path in files:
        text = path.read_text(encoding="utf-8", errors="replace")
        names |= set(CLASS_TOKEN.findall(text)) | set(WIDGET_ICON.findall(text))
    return names


def kept_characters(outdir: Path) -> set[int]:
    icons = icon_characters(outdir / "_static")
    kept = set(icons[""])
    for name in used_classes(outdir):
        kept |= icons.get(name, set())
    return kept


def subset_fonts(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    from fontTools import subset

    outdir = Path(app.outdir)
    kept = kept_characters(outdir)
    options = subset.Options()
    options.flavor = "woff2"
    options.layout_features = ["*"]
    options.notdef_outline = True
    for name in FONTS:
        path = outdir / FONT_DIR / name
        if not path.exists():
            continue
        font = subset.load_font(str(path), options)
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=sorted(kept))
        subsetter.subset(font)
        subset.save_font(font, str(path), options)


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("build-finished", subset_fonts)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
