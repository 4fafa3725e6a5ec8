"""S10's palindrome task: digit sequences of length T whose second half mirrors the first.

A model reads the first T - 1 digits and predicts the last, which equals the first: the network
must carry one digit across T - 1 steps, so accuracy against T measures how far memory reaches.
"""

from __future__ import annotations

import numpy as np

DIGITS = 10


def palindromes(n: int, length: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """``n`` seeded palindromes of ``length`` digits as (inputs: n x (length - 1) int64, the first
    length - 1 digits; labels: n int64, the last digit)."""
    if length < 2 or n < 1:
        raise ValueError(f"palindromes need length >= 2 and n >= 1, got length {length}, n {n}")
    rng = np.random.default_rng([seed, length])
    half = rng.integers(0, DIGITS, size=(n, (length + 1) // 2))
    sequences = np.concatenate([half, half[:, : length // 2][:, ::-1]], axis=1)
    return sequences[:, :-1].astype(np.int64), sequences[:, -1].astype(np.int64)
