r"""A progress bar for training loops that renders in Jupyter, Colab and on the static site.

:func:`progress` wraps an iterable as ``tqdm`` does (``for epoch in progress(range(30)):``)
and draws one bar under the cell, updated in place. Unlike ``tqdm.notebook`` it is not a
widget but an HTML display with a text fallback, so the website shows the finished bar from
the stored notebook without a kernel, and it prints no elapsed time and no rate: a stored
notebook stays byte-identical from run to run. In your own projects ``from tqdm.auto import
tqdm`` does the same job (with timings).

Outside IPython (a script, a test) it draws nothing and simply yields the items.

Taught in chapter 10 (A recipe for training networks).
"""

from __future__ import annotations

import html
import math
from collections.abc import Iterable, Iterator
from typing import Any

#: How many times at most the bar is redrawn while it runs (plus once at the end).
REDRAWS = 25
_WIDTH = 24  # characters of the text bar


def _in_ipython() -> bool:
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython ships with Jupyter
        return False
    return get_ipython() is not None


class Progress:
    """An iterable that shows how far a loop has got; make it with :func:`progress`.

    Attributes:
        n: Items yielded so far.
        total: The number of items, or ``None`` when the iterable has no length.
        desc: The label in front of the bar.
        postfix: The text after the bar (set with :meth:`set_postfix`).

    Example:
        >>> bar = progress(range(3), desc="epochs")
        >>> [item for item in bar], bar.text()
        ([0, 1, 2], 'epochs [########################] 3/3')
    """

    def __init__(self, iterable: Iterable[Any], total: int | None = None, desc: str = "") -> None:
        self.iterable = iterable
        if total is None and hasattr(iterable, "__len__"):
            total = len(iterable)  # type: ignore[arg-type]  # checked just above
        self.total = total
        self.desc = desc
        self.postfix = ""
        self.n = 0
        self._handle: Any = None
        self._every = max(1, math.ceil(total / REDRAWS)) if total else 1

    def set_postfix(self, **values: Any) -> None:
        """Show ``name=value`` pairs after the bar (floats with 4 significant digits), as
        tqdm's ``set_postfix`` does; the bar redraws at its next step."""
        parts = [
            f"{name}={value:.4g}" if isinstance(value, float) else f"{name}={value}"
            for name, value in values.items()
        ]
        self.postfix = ", ".join(parts)

    def text(self) -> str:
        """The bar as one line of text (the form a terminal or a text-only viewer shows)."""
        if self.total:
            filled = round(_WIDTH * self.n / self.total)
            bar = f"[{'#' * filled}{'.' * (_WIDTH - filled)}] {self.n}/{self.total}"
        else:
            bar = f"{self.n} done"
        line = f"{self.desc} {bar}" if self.desc else bar
        return f"{line} {self.postfix}" if self.postfix else line

    def _html(self) -> str:
        label = html.escape(self.desc)
        value = self.n if self.total else 0
        maximum = self.total or 1
        meter = (
            f'<progress value="{value}" max="{maximum}" style="width: 16em" '
            f'aria-label="{label or "progress"}"></progress>'
        )
        count = f"{self.n}/{self.total}" if self.total else f"{self.n} done"
        tail = f" {html.escape(self.postfix)}" if self.postfix else ""
        return (
            f'<div class="nnlib-progress"><code>{label}</code> {meter} '
            f"<code>{count}{tail}</code></div>"
        )

    def _bundle(self) -> dict[str, str]:
        return {"text/plain": self.text(), "text/html": self._html()}

    def _draw(self) -> None:
        if self._handle is None:
            return
        self._handle.update(self._bundle(), raw=True)

    def __len__(self) -> int:
        if self.total is None:
            raise TypeError("progress: this iterable has no length")
        return self.total

    def __iter__(self) -> Iterator[Any]:
        if _in_ipython():
            from IPython.display import display

            self._handle = display(self._bundle(), raw=True, display_id=True)
        for item in self.iterable:
            yield item
            self.n += 1
            if self.n % self._every == 0:
                self._draw()
        self._draw()  # the final state: what a stored notebook keeps


def progress(iterable: Iterable[Any], total: int | None = None, desc: str = "") -> Progress:
    """Wrap a loop's iterable to show a progress bar under the cell, as ``tqdm`` does.

    Args:
        iterable: What the loop runs over (``range(num_epochs)``, a ``DataLoader``).
        total: Its length, when ``len(iterable)`` does not work.
        desc: A short label in front of the bar, e.g. ``"epochs"``.

    Returns:
        A :class:`Progress` to loop over; call its :meth:`~Progress.set_postfix` inside
        the loop to show the current loss.

    Example:
        >>> for epoch in (bar := progress(range(5), desc="epochs")):
        ...     bar.set_postfix(loss=1.0 / (epoch + 1))
        >>> bar.text()
        'epochs [########################] 5/5 loss=0.2'

    Taught in chapter 10 (A recipe for training networks).
    """
    return Progress(iterable, total=total, desc=desc)
