"""RAM's parts: the glimpse sensor, the Gaussian policy's log-probability, REINFORCE's sign, and
that RAM learns on a small translated canvas within a CPU-minute budget."""

import numpy as np
import torch

from dlrepro.data.canvases import make_canvases, resize_digits
from dlrepro.models.attention import (
    RAMSpec, RecurrentAttention, conv_net, fully_connected_net, gaussian_log_prob, glimpse, hybrid_objective,
    reinforce_loss,
)
from dlrepro.train.attention import Unit
from dlrepro.train.engine import TrainConfig, as_tensors, train


def test_glimpse_returns_the_pixels_around_the_location_and_zeros_outside():
    image = torch.arange(64, dtype=torch.float32).view(1, 1, 8, 8)
    # (row, column) = (-0.5, 0.5) is pixel (2, 6) of 8: a 2x2 patch spans rows 1-2, columns 5-6
    patches = glimpse(image, torch.tensor([[-0.5, 0.5]]), patch=2, scales=2)
    assert patches.shape == (1, 2, 2, 2)
    assert patches[0, 0].tolist() == [[13.0, 14.0], [21.0, 22.0]]
    # the 4x4 patch (rows 0-3, columns 4-7) averaged 2x2 down to 2x2
    assert patches[0, 1].tolist() == image[0, 0, 0:4, 4:8].view(2, 2, 2, 2).mean(dim=(1, 3)).tolist()
    # at the top-left corner (pixel (0, 0)) the patch spans rows and columns -1..0: padded with zeros
    corner = glimpse(image + 1, torch.tensor([[-1.0, -1.0]]), patch=2, scales=1)[0, 0]
    assert corner.tolist() == [[0.0, 0.0], [0.0, 1.0]]


def test_gaussian_log_prob_matches_torch_distributions():
    torch.manual_seed(0)
    mean, sample = torch.randn(5, 2), torch.randn(5, 2)
    std = torch.tensor(0.17)
    expected = torch.distributions.Normal(mean, std).log_prob(sample).sum(dim=-1)
    assert torch.allclose(gaussian_log_prob(sample, mean, std), expected, atol=1e-5)


def test_reinforce_raises_the_probability_of_the_rewarded_action():
    """Two actions, reward 1 for action 1 only: a gradient step on the REINFORCE loss favours action 1,
    whatever the baseline below the reward."""
    torch.manual_seed(0)
    logits = torch.zeros(2, requires_grad=True)
    actions = torch.distributions.Categorical(logits=logits).sample((256,))
    log_probs = torch.log_softmax(logits, 0)[actions][:, None]
    rewards = (actions == 1).float()
    reinforce_loss(log_probs, rewards, torch.full((256, 1), 0.3)).backward()
    with torch.no_grad():
        stepped = logits - 1.0 * logits.grad
    assert torch.softmax(stepped, 0)[1] > 0.5
    assert logits.grad[1] < 0 < logits.grad[0]


def test_hybrid_objective_trains_every_part_but_the_fixed_std():
    torch.manual_seed(0)
    model = RecurrentAttention(RAMSpec(glimpses=3, patch=4, scales=2, glimpse_hidden=8, location_hidden=8,
                                       glimpse_features=8, hidden=8), n_classes=3)
    loss, scalars = hybrid_objective(model, torch.rand(5, 1, 16, 16), torch.tensor([0, 1, 2, 0, 1]))
    loss.backward()
    assert set(scalars) == {"reward", "action_loss", "baseline_loss"} and 0 <= scalars["reward"] <= 1
    assert all(p.grad is not None and p.grad.abs().sum() > 0 for n, p in model.named_parameters() if n != "log_std")
    assert model.log_std.grad is None
    probabilities = model.eval()(torch.rand(4, 1, 16, 16)).exp()
    assert torch.allclose(probabilities.sum(dim=1), torch.ones(4), atol=1e-5)


def test_baselines_have_the_papers_shape():
    assert fully_connected_net(60, [256, 256], 10)(torch.rand(2, 1, 60, 60)).shape == (2, 10)
    conv = conv_net(60, 8, 10, 5, 256, 10)
    assert conv(torch.rand(2, 1, 60, 60)).shape == (2, 10) and conv[3].in_features == 8 * 11 * 11


def test_ram_learns_on_a_small_translated_canvas(tmp_path):
    """12 px digits on 26 px canvases: clearly better than chance (90 % error) after ~10 CPU-seconds."""
    from sklearn.datasets import load_digits

    torch.set_num_threads(1)
    digits = load_digits()
    images = resize_digits((digits.images * 255 / 16).astype(np.uint8)[..., None], 12)
    canvases = make_canvases(images, 26, 0, 4, np.random.default_rng(0))[..., None]
    data = {"train": as_tensors(canvases[:1400], digits.target[:1400]),
            "test": as_tensors(canvases[1400:], digits.target[1400:])}
    torch.manual_seed(0)
    model = RecurrentAttention(RAMSpec(glimpses=2, patch=6, scales=3, glimpse_hidden=64, location_hidden=32,
                                       glimpse_features=128, hidden=128, core="lstm"), 10)
    config = TrainConfig(epochs=12, batch_size=16, optimizer="adam", lr=0.001, progress=False)
    result = train(model, data, config, tmp_path / "metrics.parquet", transform=Unit(), objective=hybrid_objective)
    last = result.metrics.iloc[-1]
    assert last["test_error"] < 0.7
    assert last["train_reward"] > result.metrics["train_reward"].iloc[0] + 0.15
