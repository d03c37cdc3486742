"""The course's Sphinx extension: nnlib's short cross-references, and two fixes to the pages.

Most of nnlib's cross-references resolve by Sphinx itself: autodoc marks each class
documented under a re-export (``nnlib.Tensor``) with its canonical name
(``nnlib._tensor.Tensor``), so type hints find it, and ``_config.yml`` lists the names that
are meant to stay plain text (type aliases and undocumented attributes, in
``nitpick_ignore``). What Sphinx leaves to an extension:

1. A short name written in a docstring (``:data:`GRAPHS```, ``:func:`manual_seed```) for an
   object documented in another module of nnlib: it is looked up as Sphinx looks up
   ``.GRAPHS`` (its own fuzzy search), preferring the module the docstring is in; see
   :func:`resolve`.
2. A module that is not documented on its own (``:mod:`.loss```, ``nnlib.ops``): it links to
   the nearest documented parent.

It also documents each object once: a submodule does not repeat what the top-level package
exports (see :func:`skip_reexports`). Anything else stays a warning, so a reference to
something that does not exist still breaks the build (``-W -n``).

Finally it removes script tags that Jupyter Book adds twice (see
:func:`drop_duplicate_scripts`).
"""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.addnodes import pending_xref
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util.nodes import make_refnode

PACKAGE = "nnlib"


def _exists(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except (ImportError, ValueError):
        return False


def resolve(
    app: Sphinx, env: BuildEnvironment, node: pending_xref, contnode: nodes.Element
) -> nodes.Element | None:
    """Resolve an nnlib reference Sphinx could not, as if it had been written ``.name``."""
    module: str = node.get("py:module") or ""
    target: str = node["reftarget"].lstrip(".~")
    ours = PACKAGE in {target.split(".")[0], module.split(".")[0]}
    if node.get("refdomain") != "py" or not ours:
        return None
    role = f"py:{node['reftype']}"
    if any(re.fullmatch(kind, role) and re.fullmatch(name, target)
           for kind, name in app.config.nitpick_ignore_regex):  # fmt: skip
        return None  # meant to stay plain text (_config.yml)
    domain: Any = env.get_domain("py")
    if node["reftype"] == "mod":  # `.loss` arrives as `loss`: try it below the current module
        for name in (f"{module}.{target}", target):
            while name.startswith(PACKAGE) and _exists(name):
                if name in domain.modules:
                    return make_refnode(app.builder, node["refdoc"], domain.modules[name].docname,
                                        f"module-{name}", contnode, name)  # fmt: skip
                name = name.rpartition(".")[0]
        return None
    matches = domain.find_obj(env, module, node.get("py:class"), target, node["reftype"], 1)
    names = sorted({n for n, _ in matches if n.startswith(PACKAGE)},
                   key=lambda n: (not n.startswith(module + "."), n.count("."), n))  # fmt: skip
    if not names:
        return None
    return domain.resolve_xref(env, node["refdoc"], app.builder, "obj", names[0], node, contnode)


_current_module: list[str] = []


def remember_module(app: Sphinx, what: str, name: str, obj: Any, options: Any, lines: Any):
    """autodoc processes a module's docstring before its members: note which module it is."""
    if what == "module":
        _current_module[:] = [name]


def skip_reexports(app: Sphinx, what: str, name: str, obj: Any, skip: bool, options: Any):
    """Document an object once: skip it in a submodule if the top-level package exports it.

    ``no_grad`` is exported by ``nnlib`` and by ``nnlib.autograd``; documenting it twice
    would be a duplicate description (a warning, so an error with ``-W``).
    """
    if what != "module" or not _current_module or _current_module[0] == PACKAGE:
        return None
    package = sys.modules.get(PACKAGE)
    exported = getattr(package, "__all__", [])
    if any(getattr(package, export, None) is obj for export in exported):
        return True
    return None


def drop_duplicate_scripts(app: Sphinx, exception: Exception | None) -> None:
    """Keep one copy of each script tag in every page's head.

    Jupyter Book 1 registers sphinx-thebe's and sphinx-togglebutton's inline set-up scripts
    twice; the second ``const THEBE_JS_URL`` is a JavaScript error on every page. The tags
    are added by several extensions at several moments, so the built pages are fixed.
    """
    if exception is not None or app.builder.format != "html":
        return
    script = re.compile(r"^\s*<script\b.*</script>\s*$")
    for page in Path(app.outdir).rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        head, separator, body = text.partition("</head>")
        if not separator:
            continue
        seen: set[str] = set()
        lines = []
        for line in head.splitlines(keepends=True):
            if script.match(line):
                if line.strip() in seen:
                    continue
                seen.add(line.strip())
            lines.append(line)
        fixed = "".join(lines) + separator + body
        if fixed != text:
            page.write_text(fixed, encoding="utf-8")


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("build-finished", drop_duplicate_scripts)
    app.connect("missing-reference", resolve)
    app.connect("autodoc-process-docstring", remember_module)
    app.connect("autodoc-skip-member", skip_reexports)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
