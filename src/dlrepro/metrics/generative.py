"""Sample-quality scores of S8, computed by torchmetrics on a classifier trained on the same data
(ImageNet's Inception-v3 cannot be downloaded here): Inception Score on its class probabilities,
FID on its penultimate features, MS-SSIM between random pairs of samples; and the diversity score
exp(-KL(p(y) || p*(y))) of the predicted class marginal against the real class frequencies.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn
from torchmetrics.functional.image import multiscale_structural_similarity_index_measure
from torchmetrics.image.fid import FrechetInceptionDistance
from torchmetrics.image.inception import InceptionScore

# Wang et al. 2003's scale weights; small images use the first scales, renormalised.
MS_SSIM_BETAS = (0.0448, 0.2856, 0.3001, 0.2363, 0.1333)


class Features(nn.Module):
    """A classifier's penultimate features, the feature extractor FID takes."""

    def __init__(self, classifier: nn.Module):
        super().__init__()
        self.classifier = classifier
        self.num_features = classifier.num_features

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.classifier.features(x)


class InceptionV3(nn.Module):
    """Torchvision's Inception-v3 from a user's state_dict file, for the standard IS (its 1,000 ImageNet
    classes) and FID (its 2,048 pool features): images in [0, 1] are resized to 299 px, grey ones
    repeated to RGB, normalised as for ImageNet. (The published numbers use the TensorFlow graph,
    whose weights differ slightly from torchvision's.)"""

    num_features = 2048

    def __init__(self, weights: str | Path):
        super().__init__()
        from dlrepro.models.torchvision_nets import IMAGENET_MEAN, IMAGENET_STD, file_model

        self.net = file_model("inception_v3", Path(weights)).eval()
        self.net.transform_input = True  # the ImageNet weights' own input scaling
        self.register_buffer("mean", torch.tensor(IMAGENET_MEAN)[:, None, None])
        self.register_buffer("std", torch.tensor(IMAGENET_STD)[:, None, None])

    def prepare(self, x: torch.Tensor) -> torch.Tensor:
        x = F.interpolate(x.float(), size=(299, 299), mode="bilinear", align_corners=False)
        return (x.expand(-1, 3, -1, -1) - self.mean) / self.std

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.net(self.prepare(x))

    def features(self, x: torch.Tensor) -> torch.Tensor:
        captured = []
        handle = self.net.avgpool.register_forward_hook(lambda module, inputs, output: captured.append(output))
        try:
            self.net(self.prepare(x))
        finally:
            handle.remove()
        return captured[0].flatten(1)


@torch.no_grad()
def inception_score(classifier: nn.Module, images: torch.Tensor, splits: int = 10, seed: int = 0) -> tuple[float, float]:
    """(mean, std over ``splits``) of exp(E_x KL(p(y|x) || p(y))) with ``classifier``'s logits."""
    metric = InceptionScore(feature=classifier, splits=splits)
    metric.update(images)
    with torch.random.fork_rng():
        torch.manual_seed(seed)  # the split assignment is a random permutation
        mean, std = metric.compute()
    return float(mean), float(std)


@torch.no_grad()
def frechet_distance(classifier: nn.Module, reference: torch.Tensor, images: torch.Tensor) -> float:
    """FID between the Gaussians fitted to the classifier's features of ``reference`` and ``images``."""
    metric = FrechetInceptionDistance(feature=Features(classifier))
    metric.update(reference, real=True)
    metric.update(images, real=False)
    return float(metric.compute())


@torch.no_grad()
def diversity_score(classifier: nn.Module, images: torch.Tensor, class_frequencies: np.ndarray) -> float:
    """exp(-KL(p(y) || p*(y))): 1 when the predicted classes follow the real frequencies p*."""
    marginal = torch.softmax(classifier(images).double(), dim=1).mean(0)
    real = torch.as_tensor(class_frequencies, dtype=torch.float64)
    kl = (marginal * (marginal.clamp_min(1e-12).log() - real.clamp_min(1e-12).log())).sum()
    return float(torch.exp(-kl))


def gaussian_kernel_size(sigma: float) -> int:
    """The side of the Gaussian window torchmetrics' SSIM uses for ``sigma``."""
    return int(3.5 * sigma + 0.5) * 2 + 1


def ms_ssim_scales(side: int, sigma: float, wanted: int) -> int:
    """The most scales (<= ``wanted``) torchmetrics' MS-SSIM accepts for ``side`` px images."""
    kernel = gaussian_kernel_size(sigma)

    def fits(scales: int) -> bool:
        return (side >= 2**scales and side // max(1, scales - 1) ** 2 > kernel - 1
                and side // 2 ** (scales - 1) > (kernel - 1) // 2)

    scales = wanted
    while scales > 1 and not fits(scales):
        scales -= 1
    if not fits(scales):
        raise ValueError(f"MS-SSIM with sigma {sigma} needs images wider than {kernel - 1} px; got {side} px: "
                         "lower s8.metrics.ms_ssim_sigma")
    return scales


@torch.no_grad()
def pairwise_ms_ssim(images: torch.Tensor, pairs: int, sigma: float = 1.5, scales: int = 5, seed: int = 0) -> float:
    """Mean MS-SSIM over ``pairs`` random pairs of distinct images in [0, 1] (Odena et al. 2017:
    lower is more diverse); as many scales as the image size allows, up to ``scales``."""
    if len(images) < 2:
        raise ValueError(f"MS-SSIM between pairs needs at least 2 images; got {len(images)}")
    generator = torch.Generator().manual_seed(seed)
    first = torch.randint(len(images), (pairs,), generator=generator)
    second = (first + torch.randint(1, len(images), (pairs,), generator=generator)) % len(images)
    used = ms_ssim_scales(min(images.shape[-2:]), sigma, scales)
    betas = torch.tensor(MS_SSIM_BETAS[:used])
    values = multiscale_structural_similarity_index_measure(
        images[first].double(), images[second].double(), sigma=sigma, kernel_size=gaussian_kernel_size(sigma),
        betas=tuple((betas / betas.sum()).tolist()), data_range=1.0, reduction="none", normalize="relu")
    return float(values.mean())
