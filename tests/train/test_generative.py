"""S8 training through the shared engine: the VAE lowers its loss, the GAN phases alternate."""

import pandas as pd
import torch

from dlrepro.models.generative import GAN, GAN_PHASES, VAE, vae_objective
from dlrepro.train.engine import TrainConfig, train


def blobs(n=64, side=8):
    """Images of one bright square at a random place: easy to model."""
    torch.manual_seed(0)
    images = torch.zeros(n, side, side, 1, dtype=torch.uint8)
    for i, (r, c) in enumerate(torch.randint(0, side - 3, (n, 2)).tolist()):
        images[i, r:r + 3, c:c + 3] = 255
    return images, torch.zeros(n, dtype=torch.long)


def unit(x):
    return x.permute(0, 3, 1, 2).float() / 255


def test_vae_lowers_its_negative_elbo(tmp_path):
    torch.manual_seed(0)
    result = train(VAE(1, 8, latent=4, width=8), {"train": blobs()}, TrainConfig(epochs=6, batch_size=16, optimizer="adam",
                   lr=0.003, progress=False), tmp_path / "m.parquet", transform=unit, objective=vae_objective,
                   evaluation=lambda model, split: {})
    losses = result.metrics["train_loss"]
    assert losses.iloc[-1] < 0.8 * losses.iloc[0]
    assert {"train_reconstruction", "train_kl"} <= set(result.metrics)


def test_gan_phases_update_critic_every_batch_and_generator_every_n_critic(tmp_path):
    torch.manual_seed(0)
    gan = GAN(1, 8, latent=4, width=4, objective="wgan-gp", n_critic=2)
    snapshots = []
    config = TrainConfig(epochs=2, batch_size=16, optimizer="adam", lr=1e-3, betas=(0.0, 0.9), progress=False)
    result = train(gan, {"train": blobs()}, config, tmp_path / "m.parquet", tmp_path / "c.pt", transform=unit,
                   objective=GAN_PHASES, evaluation=lambda model, split: {},
                   after_epoch=lambda model, epoch: snapshots.append(epoch))
    assert gan.critic_steps.item() == 2 * 4 and snapshots == [1, 2]
    assert {"train_wasserstein", "train_penalty", "train_generator_loss"} <= set(result.metrics)
    assert "train_error" not in result.metrics
    assert pd.read_parquet(tmp_path / "m.parquet")["epoch"].tolist() == [1, 2]
