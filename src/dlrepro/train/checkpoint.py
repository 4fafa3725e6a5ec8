"""Resumable training checkpoints: everything a killed run needs to continue bit-identically."""

from __future__ import annotations

import hashlib
import json
import random
from pathlib import Path
from typing import Any

import numpy as np
import torch

from dlrepro.io import atomic_output


def rng_states() -> dict[str, Any]:
    """The random states a training epoch draws from (dropout, augmentation, numpy, Python)."""
    states = {"torch": torch.get_rng_state(), "numpy": np.random.get_state(), "python": random.getstate()}
    if torch.cuda.is_available():
        states["cuda"] = torch.cuda.get_rng_state_all()
    return states


def restore_rng_states(states: dict[str, Any]) -> None:
    torch.set_rng_state(states["torch"])
    np.random.set_state(states["numpy"])
    random.setstate(states["python"])
    if "cuda" in states and torch.cuda.is_available():
        torch.cuda.set_rng_state_all(states["cuda"])


def save_checkpoint(state: dict[str, Any], path: str | Path) -> None:
    """Write ``state`` atomically, so a kill mid-write leaves the previous checkpoint intact."""
    with atomic_output(path) as tmp:
        torch.save(state, tmp)


def load_checkpoint(path: str | Path) -> dict[str, Any] | None:
    """The saved state, or None when no checkpoint exists yet."""
    path = Path(path)
    if not path.exists():
        return None
    return torch.load(path, map_location="cpu", weights_only=False)


def settings_digest(settings: dict[str, Any]) -> str:
    """A short digest of JSON-able settings, to key checkpoint names by what produced them.

    A run with changed settings then starts afresh instead of resuming a foreign checkpoint.
    """
    return hashlib.sha256(json.dumps(settings, sort_keys=True, default=str).encode()).hexdigest()[:12]
