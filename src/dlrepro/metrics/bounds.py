"""Norm-based complexity measures of a trained fully connected ReLU network (S12, generalization bounds).

The weights of the network's Linear layers W_1..W_L (biases left out, as in the bounds) and their
initial values W_i^0 give:

- ``spectral_product``: prod_i ||W_i||_2 (largest singular values);
- ``bartlett``: Bartlett et al. 2017's spectrally-normalised margin bound term
  ||X||_F R / (gamma n), with R = prod_i ||W_i||_2 (sum_i (||W_i - W_i^0||_{2,1} / ||W_i||_2)^{2/3})^{3/2};
- ``frobenius_over_margin``: prod_i ||W_i||_F / gamma;
- ``path_norm_over_margin``: the l2 path norm sqrt(sum over input-output paths of prod w^2) / gamma;
- ``distance_from_init``: sqrt(sum_i ||W_i - W_i^0||_F^2);
- ``normalised_margin``: gamma / (prod_i ||W_i||_2 * RMS ||x||), invariant to rescaling the layers.

gamma is the ``margin_quantile`` quantile over the training samples of the margin
f(x)_y - max_{j != y} f(x)_j (Bartlett et al. and Jiang et al. 2019 use a low quantile, not the minimum,
so that a few misfit samples do not make it negative). A network that misfits more than that quantile
of its training set has gamma <= 0: the measures over the margin are then undefined (NaN).
"""

from __future__ import annotations

from collections.abc import Sequence

import torch


def spectral_norm(matrix: torch.Tensor) -> float:
    """Largest singular value."""
    return float(torch.linalg.matrix_norm(matrix.double(), ord=2))


def margins(outputs: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
    """Per sample: the output of the true class minus the largest other output."""
    true = outputs.gather(1, targets.view(-1, 1)).squeeze(1)
    others = outputs.clone()
    others.scatter_(1, targets.view(-1, 1), float("-inf"))
    return true - others.max(dim=1).values


def path_norm(weights: Sequence[torch.Tensor]) -> float:
    """l2 path norm: sqrt of the sum over all input-output paths of the product of squared weights."""
    signal = torch.ones(weights[0].shape[1], dtype=torch.float64)
    for weight in weights:
        signal = weight.double().pow(2) @ signal
    return float(signal.sum().sqrt())


def complexity_measures(weights: Sequence[torch.Tensor], initial: Sequence[torch.Tensor], outputs: torch.Tensor,
                        targets: torch.Tensor, inputs: torch.Tensor, margin_quantile: float = 0.1) -> dict[str, float]:
    """The measures above for one network: its Linear ``weights`` and ``initial`` weights (out x in),
    its ``outputs`` on the training ``inputs`` (flattened as the network sees them) with their ``targets``."""
    if len(weights) != len(initial):
        raise ValueError(f"{len(weights)} layers but {len(initial)} initial layers")
    gamma = float(torch.quantile(margins(outputs.double(), targets), margin_quantile))
    over_margin = 1 / gamma if gamma > 0 else float("nan")
    spectral = [spectral_norm(w) for w in weights]
    product = float(torch.tensor(spectral, dtype=torch.float64).prod())
    distances = [(w.double() - w0.double()) for w, w0 in zip(weights, initial)]
    # ||A||_{2,1}: the sum of the l2 norms of the columns of A^T, i.e. of the rows of W - W^0
    ratios = sum((d.norm(dim=1).sum().item() / s) ** (2 / 3) for d, s in zip(distances, spectral))
    n = len(targets)
    x = inputs.double().reshape(n, -1)
    x_frobenius = float(x.norm())
    frobenius = float(torch.tensor([w.double().norm() for w in weights]).prod())
    return {
        "margin": gamma,
        "spectral_product": product,
        "bartlett": x_frobenius * product * ratios**1.5 * over_margin / n,
        "frobenius_over_margin": frobenius * over_margin,
        "path_norm_over_margin": path_norm(weights) * over_margin,
        "distance_from_init": float(sum(d.pow(2).sum() for d in distances) ** 0.5),
        "normalised_margin": gamma / (product * x_frobenius / n**0.5),
    }
