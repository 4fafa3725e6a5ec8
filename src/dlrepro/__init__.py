"""Reproducible pipeline for the classic deep-learning course studies."""

__version__ = "0.1.0"
