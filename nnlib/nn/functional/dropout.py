"""dropout functions (see nnlib.nn.functional)."""

__all__: list[str] = []
