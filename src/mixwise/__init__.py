"""mixwise: marketing mix modeling, end to end."""

__version__ = "0.1.0"
