"""Writing figures: PNG through atomic_output, so a crash never leaves a half-written image."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from dlrepro.io import atomic_output  # noqa: E402

DPI = 120


def save_png(figure: plt.Figure, path: str | Path) -> None:
    """Save ``figure`` as PNG at ``path`` atomically and free its memory."""
    with atomic_output(path) as tmp:
        figure.savefig(tmp, format="png", dpi=DPI, bbox_inches="tight")
    plt.close(figure)
