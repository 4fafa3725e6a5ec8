"""S8's models: shapes for each image size, WGAN-GP's penalty, the GAN phases, interpolation paths."""

import pytest
import torch
from torch import nn

from dlrepro.models.generative import GAN, VAE, Classifier, critic_phase, generator_phase, gradient_penalty, lerp, slerp


@pytest.mark.parametrize("channels,side", [(1, 8), (1, 16), (1, 28), (3, 32)])
def test_models_make_and_take_images_of_each_size(channels, side):
    gan = GAN(channels, side, latent=5, width=4, objective="nonsaturating")
    images = gan.generate(torch.randn(3, 5))
    assert images.shape == (3, channels, side, side) and images.min() >= 0 and images.max() <= 1
    assert gan.score(images).shape == (3,)
    vae = VAE(channels, side, latent=5, width=4)
    assert vae(images)[0].shape == images.shape
    assert Classifier(channels, side, 10, width=4, hidden=7).features(images).shape == (3, 7)


def test_gradient_penalty_of_a_linear_critic_is_its_squared_norm_minus_one():
    critic = nn.Sequential(nn.Flatten(), nn.Linear(12, 1))
    with torch.no_grad():
        critic[1].weight.fill_(0.5)  # gradient norm 0.5 * sqrt(12) everywhere
    real, fake = torch.rand(6, 3, 2, 2), torch.rand(6, 3, 2, 2)
    expected = (0.5 * 12**0.5 - 1) ** 2
    assert gradient_penalty(critic, real, fake).item() == pytest.approx(expected, rel=1e-5)
    with torch.no_grad():
        critic[1].weight.fill_(12**-0.5)  # unit gradient: no penalty
    assert gradient_penalty(critic, real, fake).item() == pytest.approx(0.0, abs=1e-10)


def test_generator_phase_waits_n_critic_steps_and_leaves_the_critic_without_gradients():
    torch.manual_seed(0)
    gan = GAN(1, 8, latent=4, width=4, objective="wgan-gp", n_critic=2)
    real = torch.rand(5, 1, 8, 8)
    loss, scalars = critic_phase(gan, real, None)
    assert {"wasserstein", "penalty", "critic_loss"} <= set(scalars) and gan.critic_steps.item() == 1
    assert generator_phase(gan, real, None) == (None, {})  # 1 critic step of 2
    critic_phase(gan, real, None)
    loss, _ = generator_phase(gan, real, None)
    loss.backward()
    assert all(p.grad is None for p in gan.critic.parameters())
    assert all(p.grad is not None for p in gan.generator.parameters())
    assert all(p.requires_grad for p in gan.critic.parameters())


def test_minimax_and_nonsaturating_generators_differ_where_the_critic_is_sure():
    """Goodfellow et al.'s point: log(1 - D) saturates when D(G(z)) ~ 0, -log D does not."""
    grads = {}
    for objective in ("minimax", "nonsaturating"):
        torch.manual_seed(0)
        gan = GAN(1, 8, latent=4, width=4, objective=objective)
        with torch.no_grad():
            gan.critic[1].bias.fill_(-20.0)  # D(x) ~ 0 for every image
        loss, _ = generator_phase(gan, torch.rand(4, 1, 8, 8), None)
        loss.backward()
        grads[objective] = sum(p.grad.abs().sum() for p in gan.generator.parameters()).item()
    assert grads["minimax"] < 1e-6 * grads["nonsaturating"]


def test_interpolations_end_at_the_codes_and_slerp_keeps_the_norm_of_orthogonal_codes():
    a, b = torch.tensor([3.0, 0.0]), torch.tensor([0.0, 3.0])
    t = torch.linspace(0, 1, 5)
    for path in (lerp, slerp):
        points = path(a, b, t)
        assert torch.allclose(points[0], a) and torch.allclose(points[-1], b, atol=1e-6)
    assert torch.allclose(slerp(a, b, t).norm(dim=1), torch.full((5,), 3.0), atol=1e-5)
    assert lerp(a, b, t).norm(dim=1)[2] < 3.0
