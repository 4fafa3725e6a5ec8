"""Scattering transform features (kymatio ``Scattering2D``), translation-invariant up to 2^J pixels."""

from __future__ import annotations

import torch

# The 2-D torch frontend alone: kymatio 0.3.0's 3-D filter bank imports scipy.special.sph_harm,
# which SciPy 1.17 removed, and even `kymatio.torch` loads it (pyproject pins scipy < 1.17 too).
from kymatio.scattering2d.frontend.torch_frontend import ScatteringTorch2D as Scattering2D

from dlrepro.features.extractor import Extractor


def scattering_coefficients(J: int, L: int, max_order: int) -> int:
    """Coefficients per channel and position: 1 + JL (order 1) + L^2 J(J-1)/2 (order 2)."""
    return 1 + J * L + (L * L * J * (J - 1) // 2 if max_order == 2 else 0)


def scattering_extractor(
    J: int, L: int, max_order: int, image_size: int | None, image_shape: tuple[int, int, int], device: torch.device
) -> Extractor:
    """Scattering coefficients of each channel, flattened (colour images are scattered per channel).

    The filters are computed once here for images of ``image_size`` (or ``image_shape``'s size)
    and reused for every batch. The dimension is C x coefficients x ceil(H / 2^J) x ceil(W / 2^J).
    """
    if max_order not in (1, 2):
        raise ValueError(f"scattering max_order must be 1 or 2, got {max_order}")
    height, width = (image_size, image_size) if image_size else image_shape[:2]
    if min(height, width) < 2**J:
        raise ValueError(f"scattering with J={J} needs images of at least {2**J} px, got {height}x{width}; "
                         "lower J or raise image_size")
    scattering = Scattering2D(J=J, shape=(height, width), L=L, max_order=max_order)
    return Extractor(model=scattering, device=device, image_size=image_size)
