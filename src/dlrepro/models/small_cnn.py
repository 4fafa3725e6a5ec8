"""Small convolutional classifiers: one whose width is one number, for width sweeps (S5), and a
configurable one with its receptive-field arithmetic (S4)."""

from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import nn


def conv_block(c_in: int, c_out: int) -> nn.Sequential:
    return nn.Sequential(nn.Conv2d(c_in, c_out, 3, padding=1, bias=False), nn.BatchNorm2d(c_out), nn.ReLU(inplace=True))


class SmallCNN(nn.Module):
    """Three 3x3 conv-BN-ReLU blocks of ``width``, ``2 width``, ``4 width`` channels with 2x2
    max pooling after the last two, global average pooling, [dropout,] a linear classifier.

    Global pooling makes it work on any image size from 4x4 up (8x8 digits, 32x32 CIFAR-10), and
    the parameter count grows with ``width`` squared.
    """

    def __init__(self, in_channels: int, n_classes: int, width: int = 32, dropout: float = 0.0):
        super().__init__()
        if width < 1:
            raise ValueError(f"width must be at least 1, got {width}")
        if not 0.0 <= dropout < 1.0:
            raise ValueError(f"dropout must lie in [0, 1), got {dropout}")
        self.features = nn.Sequential(
            conv_block(in_channels, width),
            conv_block(width, 2 * width),
            nn.MaxPool2d(2),
            conv_block(2 * width, 4 * width),
            nn.MaxPool2d(2),
            nn.AdaptiveAvgPool2d(1),
            nn.Flatten(),
        )
        self.classifier = nn.Sequential(nn.Dropout(dropout), nn.Linear(4 * width, n_classes))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.classifier(self.features(x))


@dataclass(frozen=True)
class ConvNetSpec:
    """A small configurable CNN (the artist-classification practical's, S4): one conv layer per
    entry of ``channels`` (its width), each ``kernel`` x ``kernel`` with ``stride`` and "same"
    padding, then [batch norm], ReLU and, with ``pool``, 2x2 max pooling; then [dropout,] a
    fully connected layer of ``hidden`` units (none when 0), [dropout,] the class scores."""

    channels: tuple[int, ...] = (16, 16)
    kernel: int = 5
    stride: int = 2
    pool: bool = False
    batch_norm: bool = False
    dropout: float = 0.0
    hidden: int = 64

    def __post_init__(self):
        object.__setattr__(self, "channels", tuple(self.channels))
        if not self.channels or min(self.channels) < 1:
            raise ValueError(f"channels must list at least one positive width, got {list(self.channels)}")
        if self.kernel < 1 or self.stride < 1 or self.hidden < 0:
            raise ValueError(f"kernel and stride must be >= 1 and hidden >= 0, got {self.kernel}, {self.stride}, "
                             f"{self.hidden}")
        if not 0.0 <= self.dropout < 1.0:
            raise ValueError(f"dropout must lie in [0, 1), got {self.dropout}")

    def layers(self) -> list[tuple[int, int]]:
        """(filter size, stride) of every layer that moves the receptive field, pooling included."""
        layers = []
        for _ in self.channels:
            layers.append((self.kernel, self.stride))
            if self.pool:
                layers.append((2, 2))
        return layers


def receptive_field(layers: list[tuple[int, int]]) -> int:
    """Side in input pixels seen by one unit after ``layers`` ((filter size, stride), first layer
    first): r = 1 + sum over layers of (k - 1) x the product of the strides before it."""
    field, jump = 1, 1
    for kernel, stride in layers:
        field += (kernel - 1) * jump
        jump *= stride
    return field


def last_conv_receptive_field(spec: ConvNetSpec) -> int:
    """Receptive field of the last conv layer's units: pooling before it counts, pooling after it does not."""
    layers = spec.layers()
    return receptive_field(layers[:-1] if spec.pool else layers)


def build_conv_net(spec: ConvNetSpec, image_shape: tuple[int, int, int], n_classes: int) -> nn.Sequential:
    """The network of ``spec`` for H x W x C images; the first linear layer's size follows from the image."""
    height, width, channels = image_shape
    layers: list[nn.Module] = []
    c_in = channels
    for c_out in spec.channels:
        layers.append(nn.Conv2d(c_in, c_out, spec.kernel, stride=spec.stride, padding=spec.kernel // 2,
                                bias=not spec.batch_norm))
        if spec.batch_norm:
            layers.append(nn.BatchNorm2d(c_out))
        layers.append(nn.ReLU(inplace=True))
        if spec.pool:
            layers.append(nn.MaxPool2d(2, ceil_mode=True))
        c_in = c_out
    features = nn.Sequential(*layers, nn.Flatten())
    with torch.no_grad():
        n_features = features(torch.zeros(1, channels, height, width)).shape[1]
    head: list[nn.Module] = []
    if spec.hidden:
        head += [nn.Dropout(spec.dropout), nn.Linear(n_features, spec.hidden), nn.ReLU(inplace=True)]
        n_features = spec.hidden
    head += [nn.Dropout(spec.dropout), nn.Linear(n_features, n_classes)]
    return nn.Sequential(features, *head)


class ConvFC(nn.Sequential):
    """Frankle & Carbin 2019's Conv-2 / Conv-4 (their Fig. 2, after VGG): per stage of ``stages`` two 3x3
    convolutions ("same" padding) with ReLU, then 2x2 max pooling; then fully connected ReLU layers of
    ``hidden`` units and the class scores. Conv-2 is stages (64,), Conv-4 (64, 128), both with FC 256, 256.

    ``layers`` holds the Conv2d and Linear modules in order, the weights a lottery ticket prunes.
    """

    def __init__(self, image_shape: tuple[int, int, int], n_classes: int, stages: tuple[int, ...],
                 hidden: tuple[int, ...] = (256, 256)):
        height, width, channels = image_shape
        modules: list[nn.Module] = []
        for out in stages:
            modules += [nn.Conv2d(channels, out, 3, padding=1), nn.ReLU(), nn.Conv2d(out, out, 3, padding=1),
                        nn.ReLU(), nn.MaxPool2d(2)]
            channels, height, width = out, height // 2, width // 2
        if height < 1 or width < 1:
            raise ValueError(f"{len(stages)} pooling stages need images of at least {2 ** len(stages)} px, "
                             f"got {image_shape[0]}x{image_shape[1]}")
        modules.append(nn.Flatten())
        widths = [channels * height * width, *hidden]
        for fan_in, fan_out in zip(widths, widths[1:]):
            modules += [nn.Linear(fan_in, fan_out), nn.ReLU()]
        modules.append(nn.Linear(widths[-1], n_classes))
        super().__init__(*modules)

    @property
    def layers(self) -> list[nn.Module]:
        return [module for module in self if isinstance(module, (nn.Conv2d, nn.Linear))]


# Frankle & Carbin 2019, Fig. 2: the convolutional stages of Conv-2 and Conv-4 (FC 256, 256, 10 after them)
CONV_STAGES = {"conv2": (64,), "conv4": (64, 128)}
