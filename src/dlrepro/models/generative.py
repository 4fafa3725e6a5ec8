"""S8 generative models: a convolutional VAE and a DCGAN-style GAN whose generator and critic train
as engine phases (critic, then generator) on one of three objectives, and the classifier whose
predictions and penultimate features score their samples.

Images are floats in [0, 1], N x C x H x W; the GAN maps them to [-1, 1] inside (tanh generator).
"""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F
from torch import nn

GAN_OBJECTIVES = ("minimax", "nonsaturating", "wgan-gp")
MODELS = ("vae", *GAN_OBJECTIVES)


def stages(side: int) -> int:
    """Stride-2 stages between a side of 4 to 7 px (or the image's own side) and the image."""
    count = 0
    while side % 2 == 0 and side // 2 >= 4:
        side //= 2
        count += 1
    return count


def downsampler(channels: int, side: int, width: int, batch_norm: bool) -> tuple[nn.Sequential, int]:
    """DCGAN's discriminator body: stride-2 4x4 convolutions doubling the width, leaky ReLUs; the
    flattened output's size."""
    layers, c_in = [], channels
    for stage in range(stages(side)):
        c_out = width * 2**stage
        layers.append(nn.Conv2d(c_in, c_out, 4, stride=2, padding=1, bias=not (batch_norm and stage)))
        if batch_norm and stage:
            layers.append(nn.BatchNorm2d(c_out))
        layers.append(nn.LeakyReLU(0.2))
        c_in = c_out
    layers.append(nn.Flatten())
    return nn.Sequential(*layers), c_in * (side // 2 ** stages(side)) ** 2


def upsampler(latent: int, channels: int, side: int, width: int, batch_norm: bool) -> nn.Sequential:
    """DCGAN's generator: a linear map to the smallest side, stride-2 4x4 transposed convolutions
    halving the width, ReLUs; outputs pre-activations of ``channels`` x ``side`` x ``side``."""
    n = stages(side)
    start, c_in = side // 2**n, width * 2 ** max(n - 1, 0)
    layers = [nn.Linear(latent, c_in * start * start), nn.Unflatten(1, (c_in, start, start))]
    layers += [nn.BatchNorm2d(c_in), nn.ReLU()] if batch_norm else [nn.ReLU()]
    for stage in reversed(range(n)):
        last = stage == 0
        c_out = channels if last else width * 2 ** (stage - 1)
        layers.append(nn.ConvTranspose2d(c_in, c_out, 4, stride=2, padding=1))
        if not last:
            layers += [nn.BatchNorm2d(c_out), nn.ReLU()] if batch_norm else [nn.ReLU()]
        c_in = c_out
    if n == 0:
        layers.append(nn.Conv2d(c_in, channels, 3, padding=1))
    return nn.Sequential(*layers)


class VAE(nn.Module):
    """Convolutional VAE with a Gaussian posterior and a Bernoulli decoder (Kingma & Welling 2014)."""

    def __init__(self, channels: int, side: int, latent: int, width: int):
        super().__init__()
        self.latent = latent
        self.encoder, features = downsampler(channels, side, width, batch_norm=False)
        self.posterior = nn.Linear(features, 2 * latent)
        self.decoder = upsampler(latent, channels, side, width, batch_norm=False)

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """(decoder logits of a posterior sample, posterior mean, log-variance)."""
        mean, log_var = self.posterior(self.encoder(x)).chunk(2, dim=1)
        z = mean + torch.randn_like(mean) * (0.5 * log_var).exp()
        return self.decoder(z), mean, log_var

    def generate(self, z: torch.Tensor) -> torch.Tensor:
        return torch.sigmoid(self.decoder(z))


def negative_elbo(model: VAE, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """Per-image reconstruction loss and KL divergence to the prior, in nats."""
    logits, mean, log_var = model(x)
    reconstruction = F.binary_cross_entropy_with_logits(logits.float(), x.float(), reduction="none").flatten(1).sum(1)
    kl = 0.5 * (mean.pow(2) + log_var.exp() - 1 - log_var).sum(1)
    return reconstruction, kl


def vae_objective(model: VAE, x: torch.Tensor, _targets: torch.Tensor):
    """The engine objective: the negative ELBO averaged over the batch."""
    reconstruction, kl = negative_elbo(model, x)
    loss = (reconstruction + kl).mean()
    return loss, {"loss": loss.item(), "reconstruction": reconstruction.mean().item(), "kl": kl.mean().item()}


class GAN(nn.Module):
    """Generator and critic (discriminator) of one objective; ``critic_steps`` counts the critic's
    updates, in the state dict so that a resumed run keeps the generator's n_critic rhythm."""

    def __init__(self, channels: int, side: int, latent: int, width: int, objective: str,
                 n_critic: int = 1, penalty: float = 10.0):
        super().__init__()
        if objective not in GAN_OBJECTIVES:
            raise ValueError(f"unknown GAN objective {objective!r}; expected one of {GAN_OBJECTIVES}")
        self.latent, self.objective, self.n_critic, self.penalty = latent, objective, n_critic, penalty
        self.generator = upsampler(latent, channels, side, width, batch_norm=True)
        # WGAN-GP's penalty is per sample, which batch normalisation would break (Gulrajani et al. 2017, 4).
        body, features = downsampler(channels, side, width, batch_norm=objective != "wgan-gp")
        self.critic = nn.Sequential(body, nn.Linear(features, 1))
        self.register_buffer("critic_steps", torch.zeros((), dtype=torch.long))

    def generate(self, z: torch.Tensor) -> torch.Tensor:
        return (torch.tanh(self.generator(z)) + 1) / 2

    def score(self, x: torch.Tensor) -> torch.Tensor:
        """The critic's logit (or Wasserstein score) per image in [0, 1]."""
        return self.critic(2 * x - 1).squeeze(1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.score(x)


def gradient_penalty(critic, real: torch.Tensor, fake: torch.Tensor) -> torch.Tensor:
    """WGAN-GP's E (||grad critic(x_hat)|| - 1)^2 at random points x_hat between real and fake images."""
    mix = torch.rand(len(real), *([1] * (real.ndim - 1)), device=real.device)
    between = (mix * real + (1 - mix) * fake).requires_grad_(True)
    grad, = torch.autograd.grad(critic(between).sum(), between, create_graph=True)
    return (grad.flatten(1).norm(dim=1) - 1).pow(2).mean()


def critic_phase(model: GAN, real: torch.Tensor, _targets: torch.Tensor):
    """One critic update on a real batch against as many generated images."""
    with torch.no_grad():
        fake = model.generate(torch.randn(len(real), model.latent, device=real.device))
    real_score, fake_score = model.score(real).float(), model.score(fake).float()
    scalars = {}
    if model.objective == "wgan-gp":
        penalty = gradient_penalty(model.score, real, fake)
        distance = real_score.mean() - fake_score.mean()
        loss = -distance + model.penalty * penalty
        scalars |= {"wasserstein": distance.item(), "penalty": penalty.item()}
    else:
        loss = (F.binary_cross_entropy_with_logits(real_score, torch.ones_like(real_score))
                + F.binary_cross_entropy_with_logits(fake_score, torch.zeros_like(fake_score)))
        scalars |= {"d_real": torch.sigmoid(real_score).mean().item(), "d_fake": torch.sigmoid(fake_score).mean().item()}
    model.critic_steps += 1
    return loss, scalars | {"critic_loss": loss.item()}


def generator_phase(model: GAN, real: torch.Tensor, _targets: torch.Tensor):
    """One generator update after every ``n_critic`` critic updates (None between them)."""
    if model.critic_steps.item() % model.n_critic:
        return None, {}
    model.critic.requires_grad_(False)
    try:
        score = model.score(model.generate(torch.randn(len(real), model.latent, device=real.device))).float()
    finally:
        model.critic.requires_grad_(True)
    if model.objective == "minimax":
        loss = -F.softplus(score).mean()  # minimise log(1 - D(G(z))) = -softplus(logit)
    elif model.objective == "nonsaturating":
        loss = F.softplus(-score).mean()  # minimise -log D(G(z))
    else:
        loss = -score.mean()
    return loss, {"generator_loss": loss.item()}


GAN_PHASES = (critic_phase, generator_phase)


class Classifier(nn.Module):
    """The scoring network: DCGAN's discriminator body, a ``hidden``-unit layer (FID's features), the class logits."""

    def __init__(self, channels: int, side: int, n_classes: int, width: int, hidden: int):
        super().__init__()
        body, features = downsampler(channels, side, width, batch_norm=True)
        self.body = nn.Sequential(body, nn.Linear(features, hidden), nn.ReLU())
        self.head = nn.Linear(hidden, n_classes)
        self.num_features = hidden

    def features(self, x: torch.Tensor) -> torch.Tensor:
        return self.body(x)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.head(self.body(x))


def lerp(a: torch.Tensor, b: torch.Tensor, t: torch.Tensor) -> torch.Tensor:
    """Points (len(t) x dim) on the line from code ``a`` to ``b``."""
    t = t[:, None]
    return (1 - t) * a + t * b


def slerp(a: torch.Tensor, b: torch.Tensor, t: torch.Tensor) -> torch.Tensor:
    """Points on the great circle from ``a`` to ``b`` (White 2016), which keep a Gaussian code's norm typical."""
    omega = torch.arccos(torch.clamp(F.cosine_similarity(a, b, dim=0), -1.0, 1.0))
    if omega.abs() < 1e-6:
        return lerp(a, b, t)
    t = t[:, None]
    return (torch.sin((1 - t) * omega) * a + torch.sin(t * omega) * b) / math.sin(omega.item())


def build_model(name: str, channels: int, side: int, settings: dict) -> nn.Module:
    """Model ``name`` (vae or a GAN objective) of s8 ``settings`` for images of ``channels`` x ``side`` px."""
    if name == "vae":
        vae = settings["vae"]
        return VAE(channels, side, vae["latent"], vae["width"])
    if name not in GAN_OBJECTIVES:
        raise ValueError(f"unknown model {name!r}; expected one of {MODELS}")
    gan = settings["gan"]
    n_critic = settings["wgan_gp"]["n_critic"] if name == "wgan-gp" else 1
    return GAN(channels, side, gan["latent"], gan["width"], name, n_critic, settings["wgan_gp"]["penalty"])
