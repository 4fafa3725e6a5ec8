"""Raw pixels, the baseline feature set: plain numpy, so a pixel job never imports torch."""

from __future__ import annotations

import numpy as np


class PixelsExtractor:
    """uint8 N x H x W x C images -> float32 N x (C H W) in [0, 1], channel-major as torch lays images out.

    It has the :class:`~dlrepro.features.extractor.Extractor` interface (``prepare``, ``forward``,
    calling it) and always runs on the CPU: a trip to a GPU and back for one division gains nothing.
    """

    device = "cpu"

    def prepare(self, images: np.ndarray) -> np.ndarray:
        return np.asarray(images, dtype=np.uint8)

    def forward(self, batch: np.ndarray) -> np.ndarray:
        flat = batch.transpose(0, 3, 1, 2).reshape(len(batch), -1).astype(np.float32)
        flat /= np.float32(255)
        return flat

    def __call__(self, images: np.ndarray) -> np.ndarray:
        return self.forward(self.prepare(images))


def pixels_extractor() -> PixelsExtractor:
    """Each image flattened channel-major (C x H x W), scaled to [0, 1]."""
    return PixelsExtractor()
