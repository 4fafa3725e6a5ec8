"""Resumable training checkpoints: everything a killed run needs to continue bit-identically."""

from __future__ import annotations

import functools
import hashlib
import json
import random
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import numpy as np
import torch

import dlrepro
from dlrepro.io import InputError, atomic_output, sha256_file


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


@functools.cache
def code_digest() -> str:
    """SHA-256 of dlrepro's own source files: state saved by other code is never resumed."""
    root = Path(dlrepro.__file__).parent
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*.py")):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def input_files(inputs: Iterable[str | Path]) -> list[Path]:
    """The files named, and the files directly inside the folders named, sorted."""
    files = []
    for path in map(Path, inputs):
        files.extend(sorted(p for p in path.iterdir() if p.is_file()) if path.is_dir() else [path])
    return sorted(files)


def state_key(settings: dict[str, Any], inputs: Iterable[str | Path]) -> str:
    """A short digest of everything resumable state depends on: JSON-able ``settings``, the content
    of the ``inputs`` (files, or folders of files) and dlrepro's code.

    State saved under this key is resumed only by a run that would compute the same thing; a run
    with changed settings, data or code starts afresh.
    """
    content = {path.as_posix(): sha256_file(path) for path in input_files(inputs)}
    everything = {"settings": settings, "inputs": content, "code": code_digest()}
    return hashlib.sha256(json.dumps(everything, sort_keys=True, default=str).encode()).hexdigest()[:12]


def save_weights(model: torch.nn.Module, path: str | Path) -> None:
    """The model's trained weights (a state_dict on the CPU), written atomically."""
    with atomic_output(path) as tmp:
        torch.save({name: value.cpu() for name, value in model.state_dict().items()}, tmp)


def load_weights(model: torch.nn.Module, path: str | Path, what: str, fix: str) -> torch.nn.Module:
    """``model`` with the trained weights (a state_dict) saved at ``path``; a file that holds no such
    weights stops with one line naming it, ``what`` it should hold and the ``fix``."""
    try:
        model.load_state_dict(torch.load(path, map_location="cpu", weights_only=True))
    except Exception as err:  # torch raises many kinds for a file that holds no such weights
        raise InputError(f"{path}: not the weights of {what} ({type(err).__name__}); {fix}") from None
    return model
