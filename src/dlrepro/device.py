"""Where torch work runs: every stage picks its device the same way."""

from __future__ import annotations

import glob
import os
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import torch


def resolve_device(name: str | None = "auto") -> torch.device:
    """``auto`` (or None) picks CUDA when present; asking for CUDA without one is an error, not a fallback."""
    import torch

    if name in (None, "auto"):
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    if name.startswith("cuda") and not torch.cuda.is_available():
        raise ValueError(f"device {name} requested but torch.cuda.is_available() is False; use cpu or auto")
    return torch.device(name)


def cuda_device_present() -> bool:
    """Whether this host shows this process an NVIDIA device, found without importing torch (seconds),
    so that the workflow can decide at plan time whether its GPU rules ask for a GPU."""
    if os.environ.get("CUDA_VISIBLE_DEVICES") in ("", "-1"):
        return False
    return bool(glob.glob("/dev/nvidia[0-9]*"))
