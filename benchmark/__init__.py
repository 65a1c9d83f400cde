"""An open, file-based benchmark of creative-industries policy, and a ranking engine over it."""

__version__ = "0.1.0"
