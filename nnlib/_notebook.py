"""A hint for a ``NameError`` in a notebook: which cells to run first.

A learner who runs a cell before the cells it depends on gets Python's one line,
``NameError: name 'X_xor' is not defined``. When ``nnlib`` is imported inside IPython (a
Jupyter, Colab or nbclient kernel, or a terminal IPython), it registers, once, a custom
exception handler for ``NameError`` that shows the same traceback with one more line saying
what to run first. Every other exception, and IPython's own handling, is left alone: the
handler only adds to the message and then lets IPython show the traceback as usual.

Turn it off with :func:`name_hint_off` (and on again with :func:`name_hint_on`). Outside
IPython nothing is registered and nothing changes.
"""

from __future__ import annotations

import re
import sys
from typing import Any

#: What the extra line says; ``{name}`` is the undefined name.
NAME_HINT = (
    "`{name}` is not defined yet: if an earlier cell of this chapter makes it, run the cells "
    "above this one first (Jupyter: Run ▸ Run All Above Selected Cell; Colab: Runtime ▸ Run "
    "before). Otherwise check the spelling."
)
_NAME = re.compile(r"name '(\w+)' is not defined")


def _shell() -> Any:
    ipython = sys.modules.get("IPython")  # never imported here: only an IPython has it loaded
    get = getattr(ipython, "get_ipython", None)
    return get() if callable(get) else None


def with_hint(value: BaseException) -> BaseException:
    """Add the hint to a plain ``NameError``'s message (in place); other errors unchanged.

    Example:
        >>> err = with_hint(NameError("name 'X_xor' is not defined"))
        >>> print(err)  # doctest: +ELLIPSIS
        name 'X_xor' is not defined
        `X_xor` is not defined yet: if an earlier cell of this chapter makes it, run ...
    """
    if type(value) is not NameError or not value.args or not isinstance(value.args[0], str):
        return value  # UnboundLocalError (a subclass) and odd NameErrors stay as they are
    message = value.args[0]
    found = getattr(value, "name", None) or (_NAME.search(message) or [None, None])[1]
    if found and "is not defined yet" not in message:
        value.args = (f"{message}\n{NAME_HINT.format(name=found)}", *value.args[1:])
    return value


def _handler(
    shell: Any, etype: type, value: BaseException, tb: Any, tb_offset: Any = None
) -> None:
    """IPython's custom exception handler: the normal traceback, with the hint added."""
    with_hint(value)
    shell.showtraceback((etype, value, tb), tb_offset=tb_offset, running_compiled_code=True)


def name_hint_on() -> bool:
    """Register the ``NameError`` hint with the running IPython, once.

    Returns:
        Whether the hint is active: ``False`` outside IPython, or when another custom
        exception handler is already registered (it is never replaced).
    """
    shell = _shell()
    if shell is None or not hasattr(shell, "set_custom_exc"):
        return False
    if getattr(shell, "_nnlib_name_hint", False):
        return True
    if tuple(getattr(shell, "custom_exceptions", ())):
        return False
    shell.set_custom_exc((NameError,), _handler)
    shell._nnlib_name_hint = True
    return True


def name_hint_off() -> None:
    """Remove the ``NameError`` hint: IPython shows a ``NameError`` as it did before."""
    shell = _shell()
    if shell is not None and getattr(shell, "_nnlib_name_hint", False):
        shell.set_custom_exc((), None)
        shell._nnlib_name_hint = False
