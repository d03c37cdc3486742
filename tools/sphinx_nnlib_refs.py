"""The course's Sphinx extension: nnlib's cross-references, and two fixes to the page head.

It resolves nnlib's cross-references the way a reader means them.

Docstrings and type hints name things as the code sees them: ``Tensor`` (a string
annotation), ``nnlib.tensor.Tensor`` or ``nnlib.optim.Optimizer`` (a re-export), while the
reference page documents each object once under its defining module. Sphinx's nitpicky mode
(``-n``) reports every such name as a broken link. This extension, run when Sphinx could not
resolve a Python reference, tries in order:

1. the same name inside the modules the reference was written in (``step`` in
   ``nnlib.optim.lr_scheduler``), then anywhere in nnlib, by its last dotted parts;
2. for a module (``:mod:`.loss```), the module itself or its nearest documented parent;
3. for a method or attribute of nnlib that is not documented on its own (instance
   attributes such as ``last_epoch``), plain code text without a link;
4. for a type alias or type variable defined in nnlib (``ArrayOrTensor``), plain code text.

It also documents each object once: a submodule does not repeat what the top-level package
exports (see :func:`skip_reexports`). Anything else stays a warning, so a reference to
something that does not exist still breaks the build.

Finally it removes script tags that Jupyter Book adds twice (see
:func:`drop_duplicate_scripts`).
"""

from __future__ import annotations

import builtins
import importlib
import inspect
import re
import sys
import types
import typing
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.addnodes import pending_xref
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

PACKAGE = "nnlib"
BUILTIN_NAMES = frozenset(dir(builtins))


def _lookup(dotted: str) -> Any:
    """Import ``a.b.c`` as a module or a module attribute; None if it does not exist."""
    parts = dotted.split(".")
    for split in range(len(parts), 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:split]))
        except Exception:  # a missing module, or one that fails while it is being written
            continue
        try:
            for name in parts[split:]:
                obj = getattr(obj, name)
        except Exception:  # AttributeError, or a lazy import that fails
            return None
        return obj
    return None


def _candidates(objects: dict[str, Any], target: str) -> list[str]:
    """Documented nnlib names ending in ``.target``."""
    suffix = "." + target.lstrip(".")
    return [
        name
        for name in objects
        if name.startswith(PACKAGE + ".") and (name.endswith(suffix) or name == target)
    ]


def _pick(names: list[str], context: str | None) -> str | None:
    if not names:
        return None
    if context:
        local = [n for n in names if n.startswith(context + ".")]
        names = local or names
    if len({n.rsplit(".", 1)[-1] for n in names}) > 1:
        return None
    return sorted(names, key=lambda n: (n.count("."), len(n), n))[0]


def resolve(
    app: Sphinx, env: BuildEnvironment, node: pending_xref, contnode: nodes.Element
) -> nodes.Element | None:
    if node.get("refdomain") != "py":
        return None
    target: str = node["reftarget"]
    reftype: str = node["reftype"]
    module: str | None = node.get("py:module")
    if not (target.startswith(PACKAGE) or (module or "").startswith(PACKAGE)):
        return None
    domain = env.get_domain("py")
    objects = domain.objects  # type: ignore[attr-defined]
    modules = domain.modules  # type: ignore[attr-defined]

    def link(name: str) -> nodes.Element | None:
        return domain.resolve_xref(
            env,
            node["refdoc"],
            app.builder,
            "obj" if reftype != "mod" else "mod",
            name,
            node,
            contnode,
        )

    if reftype == "mod":
        # A relative ``:mod:`.loss``` arrives as ``loss``: try it below the current module.
        names = [target.lstrip(".")]
        if module:
            names.insert(0, f"{module}.{target.lstrip('.')}")
        for name in names:
            if _lookup(name) is None:
                continue
            while name.startswith(PACKAGE):
                if name in modules:
                    return link(name)
                name = name.rpartition(".")[0]
        return None

    # Prefer the module the reference was written in, then the whole package.
    bare = target.lstrip(".~")
    if bare in BUILTIN_NAMES or bare.split(".")[0] in {"typing", "collections", "np", "numpy"}:
        # `bool` in a type hint is the built-in, not `Tensor.bool`.
        return None
    tail = bare.split(".")
    for start in range(len(tail)):
        chosen = _pick(_candidates(objects, ".".join(tail[start:])), module)
        if chosen is not None:
            return link(chosen)

    full = bare if bare.startswith(PACKAGE) else f"{module}.{bare}" if module else bare
    if reftype in {"meth", "attr"} and full.startswith(PACKAGE):
        return contnode
    if _is_type_alias(full) or any(
        _is_type_alias(f"{name}.{bare}")
        for name in list(sys.modules)
        if name == PACKAGE or name.startswith(PACKAGE + ".")
    ):
        return contnode
    return None


def _is_type_alias(dotted: str) -> bool:
    """True for a type alias or type variable (not a class, function or module)."""
    obj = _lookup(dotted)
    if obj is None or inspect.isclass(obj) or inspect.isroutine(obj) or inspect.ismodule(obj):
        return False
    return isinstance(obj, (typing.TypeVar, types.UnionType)) or type(obj).__module__ in {
        "typing",
        "types",
        "collections.abc",
    }


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
