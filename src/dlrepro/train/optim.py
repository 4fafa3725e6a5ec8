"""Optimizer and learning-rate schedule factories.

They take plain settings, not the engine's ``TrainConfig``, so this module depends on nothing of
the engine and the CLIs can read ``OPTIMIZERS`` and ``SCHEDULES`` from here.
"""

from __future__ import annotations

import torch

OPTIMIZERS = ("sgd", "adam", "adagrad")
SCHEDULES = ("constant", "step", "cosine")


def build_optimizer(model: torch.nn.Module, name: str, lr: float, momentum: float = 0.0,
                    weight_decay: float = 0.0, betas: tuple[float, float] = (0.9, 0.999)) -> torch.optim.Optimizer:
    """The optimizer ``name`` over the parameters that require gradients (frozen ones excluded).

    ``momentum`` applies to SGD only, ``betas`` to Adam only (DCGAN's 0.5, WGAN-GP's (0, 0.9)).
    All update their parameters together (``foreach``), as torch does by default on CUDA only: on
    the CPU that gives the same numbers, and an Adam step of a small net takes a third of the time.
    """
    params = [p for p in model.parameters() if p.requires_grad]
    if not params:
        raise ValueError("the model has no trainable parameters")
    if name == "sgd":
        return torch.optim.SGD(params, lr=lr, momentum=momentum, weight_decay=weight_decay, foreach=True)
    if name == "adam":
        return torch.optim.Adam(params, lr=lr, betas=betas, weight_decay=weight_decay, foreach=True)
    if name == "adagrad":
        return torch.optim.Adagrad(params, lr=lr, weight_decay=weight_decay, foreach=True)
    raise ValueError(f"unknown optimizer {name!r}; expected one of {OPTIMIZERS}")


def build_scheduler(optimizer: torch.optim.Optimizer, name: str, epochs: int, step_size: int = 1,
                    gamma: float = 1.0) -> torch.optim.lr_scheduler.LRScheduler:
    """The per-epoch schedule ``name``: ``constant`` keeps the rate, ``step`` multiplies it by
    ``gamma`` every ``step_size`` epochs, ``cosine`` anneals it to zero over ``epochs``."""
    if name == "constant":
        return torch.optim.lr_scheduler.ConstantLR(optimizer, factor=1.0, total_iters=0)
    if name == "step":
        return torch.optim.lr_scheduler.StepLR(optimizer, step_size=step_size, gamma=gamma)
    if name == "cosine":
        return torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=epochs)
    raise ValueError(f"unknown schedule {name!r}; expected one of {SCHEDULES}")
