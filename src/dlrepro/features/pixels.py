"""Raw pixels, the baseline feature set."""

from __future__ import annotations

import torch
from torch import nn

from dlrepro.features.extractor import Extractor


def pixels_extractor(device: torch.device) -> Extractor:
    """Each image flattened channel-major (C x H x W, as torch lays it out), scaled to [0, 1]."""
    return Extractor(model=nn.Flatten(), device=device)
