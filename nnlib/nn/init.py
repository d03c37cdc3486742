"""Weight initialisation with PyTorch's formulas (``torch.nn.init``)."""
