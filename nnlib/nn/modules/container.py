"""container modules (see nnlib.nn)."""

__all__: list[str] = []
