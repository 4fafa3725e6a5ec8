"""Where torch work runs: every stage picks its device the same way."""

from __future__ import annotations

import torch


def resolve_device(name: str | None = "auto") -> torch.device:
    """``auto`` (or None) picks CUDA when present; asking for CUDA without one is an error, not a fallback."""
    if name in (None, "auto"):
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    if name.startswith("cuda") and not torch.cuda.is_available():
        raise ValueError(f"device {name} requested but torch.cuda.is_available() is False; use cpu or auto")
    return torch.device(name)
