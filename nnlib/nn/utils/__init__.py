"""Gradient clipping (``torch.nn.utils``)."""
