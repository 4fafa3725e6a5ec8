"""Sketch-a-Net (Yu et al. 2015): a CNN shaped for sparse line drawings.

Its first filters are large (15x15, stride 3 on 225 px sketches) because strokes carry little
texture; there is no local response normalisation and the two fully connected layers (here 1x1
convolutions after a full-map convolution, as the paper writes fc6) use dropout. The network is
built for one input size: a 3x3, stride 2 max-pool follows conv1, conv2 and conv5 while the map is
at least 3 px wide (scaled-down inputs lose the later pools), and fc6's kernel covers what is left.
On a larger image (a dream of a photo) the logits are a map, averaged into one score per class.
"""

from __future__ import annotations

from collections.abc import Sequence

import torch
from torch import nn

LAYERS = ("conv1", "conv2", "conv3", "conv4", "conv5", "fc6", "fc7", "fc8")


def _out(size: int, kernel: int, stride: int = 1, padding: int = 0) -> int:
    return (size + 2 * padding - kernel) // stride + 1


class SketchANet(nn.Sequential):
    """Modules are named by :data:`LAYERS` (with ``relu<n>``, ``pool<n>``, ``drop<n>``), so a dream
    objective can name a layer. ``widths``: channels of conv1..conv5; ``fc``: width of fc6 and fc7."""

    def __init__(self, in_channels: int, classes: int, size: int, *, first_kernel: int = 15, first_stride: int = 3,
                 widths: Sequence[int] = (64, 128, 256, 256, 256), fc: int = 512, dropout: float = 0.5):
        super().__init__()
        if len(widths) != 5:
            raise ValueError(f"widths gives the channels of conv1..conv5: five numbers, got {list(widths)}")
        side = _out(size, first_kernel, first_stride)
        if side < 1:
            raise ValueError(f"a {first_kernel}x{first_kernel} first filter does not fit {size} px sketches")
        layers: list[tuple[str, nn.Module]] = [("conv1", nn.Conv2d(in_channels, widths[0], first_kernel, first_stride)),
                                               ("relu1", nn.ReLU())]
        side = self._pool(layers, "pool1", side)
        conv2_padding = 0 if side >= 5 else 2  # the paper's unpadded 5x5 where the map allows it
        layers += [("conv2", nn.Conv2d(widths[0], widths[1], 5, padding=conv2_padding)), ("relu2", nn.ReLU())]
        side = self._pool(layers, "pool2", _out(side, 5, padding=conv2_padding))
        for n in (3, 4, 5):
            layers += [(f"conv{n}", nn.Conv2d(widths[n - 2], widths[n - 1], 3, padding=1)), (f"relu{n}", nn.ReLU())]
        side = self._pool(layers, "pool5", side)
        layers += [("fc6", nn.Conv2d(widths[4], fc, side)), ("relu6", nn.ReLU()), ("drop6", nn.Dropout(dropout)),
                   ("fc7", nn.Conv2d(fc, fc, 1)), ("relu7", nn.ReLU()), ("drop7", nn.Dropout(dropout)),
                   ("fc8", nn.Conv2d(fc, classes, 1))]
        for name, module in layers:
            self.add_module(name, module)
        self.size = size

    @staticmethod
    def _pool(layers: list, name: str, side: int) -> int:
        if side < 3:
            return side
        layers.append((name, nn.MaxPool2d(3, 2)))
        return _out(side, 3, 2)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return super().forward(x).mean(dim=(2, 3))


def sketch_a_net(in_channels: int, classes: int, size: int, settings: dict) -> SketchANet:
    """The network of the s9.sketch_a_net settings (first_kernel, first_stride, widths, fc, dropout)."""
    return SketchANet(in_channels, classes, size, first_kernel=settings["first_kernel"],
                      first_stride=settings["first_stride"], widths=settings["widths"], fc=settings["fc"],
                      dropout=settings["dropout"])
