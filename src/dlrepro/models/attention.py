"""The recurrent attention model (RAM) of Mnih et al. 2014 and the feed-forward nets they compare it with.

RAM sees an image only through ``glimpses`` retina glimpses: at each step a Gaussian policy picks a
location from the recurrent state, the glimpse sensor cuts ``scales`` square patches of growing
size around it (each averaged down to the smallest), the glimpse network mixes them with the
location, and the core updates its state. After the last glimpse the action network classifies.
Locations are sampled, so their networks learn by REINFORCE (reward 1 for a correct class) with a
learned baseline; the classifier learns by cross-entropy (:func:`hybrid_objective`).

Locations are (row, column) in [-1, 1], (-1, -1) the top-left corner of the image.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import nn

CORES = ("rnn", "lstm")


def pad_for_glimpses(images: torch.Tensor, patch: int, scales: int) -> torch.Tensor:
    """N x 1 x H x W images as N x H' x W', zero-padded by the retina's largest patch on every side.

    An episode pads once for all its glimpses: padding at every glimpse took half of RAM's time.
    """
    largest = patch * 2 ** (scales - 1)
    return F.pad(images[:, 0], (largest, largest, largest, largest))


def glimpse(images: torch.Tensor, locations: torch.Tensor, patch: int, scales: int,
            padded: torch.Tensor | None = None) -> torch.Tensor:
    """N x scales x patch x patch retina patches of N x 1 x H x W ``images`` centred at ``locations``.

    Patch k spans ``patch * 2**k`` pixels and is averaged down to ``patch``; outside the image is 0.
    ``padded`` is :func:`pad_for_glimpses` of the images, when the caller holds it already.
    """
    n, _, height, width = images.shape
    largest = patch * 2 ** (scales - 1)
    padded = pad_for_glimpses(images, patch, scales) if padded is None else padded
    centre = (locations.detach().clamp(-1, 1) + 1) / 2 * torch.tensor([height, width], device=images.device)
    batch = torch.arange(n, device=images.device)[:, None, None]
    out = []
    for k in range(scales):
        size = patch * 2**k
        corner = torch.round(centre - size / 2).long() + largest
        offsets = torch.arange(size, device=images.device)
        rows, cols = corner[:, :1] + offsets, corner[:, 1:] + offsets
        crop = padded[batch, rows[:, :, None], cols[:, None, :]]
        out.append(F.avg_pool2d(crop[:, None], 2**k)[:, 0] if k else crop)
    return torch.stack(out, dim=1)


def gaussian_log_prob(sample: torch.Tensor, mean: torch.Tensor, std: torch.Tensor) -> torch.Tensor:
    """Log-density of independent Gaussians, summed over the last (coordinate) dimension."""
    std = std.expand_as(mean)
    return (-((sample - mean) ** 2) / (2 * std**2) - std.log() - 0.5 * math.log(2 * math.pi)).sum(dim=-1)


def reinforce_loss(log_probs: torch.Tensor, rewards: torch.Tensor, baselines: torch.Tensor) -> torch.Tensor:
    """REINFORCE with a baseline: minus the advantage-weighted log-probability of the actions taken,
    summed over steps (``log_probs`` and ``baselines`` N x T), averaged over episodes."""
    advantage = (rewards[:, None] - baselines).detach()
    return -(advantage * log_probs).sum(dim=1).mean()


@dataclass
class RAMSpec:
    """Sizes after Mnih et al. 2014: glimpse network 128 + 128 -> 256 units, core 256 units."""

    glimpses: int = 6
    patch: int = 8
    scales: int = 1
    glimpse_hidden: int = 128
    location_hidden: int = 128
    glimpse_features: int = 256
    hidden: int = 256
    core: str = "rnn"
    std: float = 0.17
    learn_std: bool = False
    samples: int = 1

    def __post_init__(self):
        if self.core not in CORES:
            raise ValueError(f"core={self.core!r}; expected one of {CORES}")


@dataclass
class Episode:
    logits: torch.Tensor  # N x K after the last glimpse
    locations: torch.Tensor  # N x T x 2, as sampled (before clamping)
    log_probs: torch.Tensor  # N x T, of each location under the policy
    baselines: torch.Tensor  # N x T, expected reward before each location is chosen


class RecurrentAttention(nn.Module):
    """RAM; ``forward`` (what evaluation scores) averages the class probabilities of ``samples``
    episodes per image and returns their log."""

    def __init__(self, spec: RAMSpec, n_classes: int):
        super().__init__()
        self.spec = spec
        self.what = nn.Linear(spec.scales * spec.patch**2, spec.glimpse_hidden)
        self.where = nn.Linear(2, spec.location_hidden)
        self.glimpse_what = nn.Linear(spec.glimpse_hidden, spec.glimpse_features)
        self.glimpse_where = nn.Linear(spec.location_hidden, spec.glimpse_features)
        if spec.core == "lstm":
            self.core = nn.LSTMCell(spec.glimpse_features, spec.hidden)
        else:
            self.core_input = nn.Linear(spec.glimpse_features, spec.hidden)
            self.core_state = nn.Linear(spec.hidden, spec.hidden)
        self.locator = nn.Linear(spec.hidden, 2)
        self.log_std = nn.Parameter(torch.tensor(math.log(spec.std)), requires_grad=spec.learn_std)
        self.baseline = nn.Linear(spec.hidden, 1)
        self.classifier = nn.Linear(spec.hidden, n_classes)

    def glimpse_features(self, images: torch.Tensor, location: torch.Tensor, padded: torch.Tensor) -> torch.Tensor:
        patches = glimpse(images, location, self.spec.patch, self.spec.scales, padded).flatten(1)
        what, where = F.relu(self.what(patches)), F.relu(self.where(location.clamp(-1, 1)))
        return F.relu(self.glimpse_what(what) + self.glimpse_where(where))

    def step(self, state, features):
        if self.spec.core == "lstm":
            return self.core(features, state)
        return F.relu(self.core_input(features) + self.core_state(state))

    def episode(self, images: torch.Tensor) -> Episode:
        """One pass of ``glimpses`` glimpses over N x 1 x H x W images, locations sampled."""
        n = len(images)
        hidden = images.new_zeros(n, self.spec.hidden)
        state = (hidden, hidden) if self.spec.core == "lstm" else hidden
        std = self.log_std.exp()
        padded = pad_for_glimpses(images, self.spec.patch, self.spec.scales)
        locations, log_probs, baselines = [], [], []
        for _ in range(self.spec.glimpses):
            # policy and baseline read the state without training the core (as the classifier does)
            mean = torch.tanh(self.locator(hidden.detach()))
            location = (mean + std * torch.randn_like(mean)).detach()
            locations.append(location)
            log_probs.append(gaussian_log_prob(location, mean, std))
            baselines.append(self.baseline(hidden.detach())[:, 0])
            state = self.step(state, self.glimpse_features(images, location, padded))
            hidden = state[0] if self.spec.core == "lstm" else state
        return Episode(self.classifier(hidden), torch.stack(locations, 1), torch.stack(log_probs, 1),
                       torch.stack(baselines, 1))

    def forward(self, images: torch.Tensor) -> torch.Tensor:
        repeated = images.repeat(self.spec.samples, 1, 1, 1)
        probabilities = F.softmax(self.episode(repeated).logits.float(), dim=1)
        return probabilities.view(self.spec.samples, len(images), -1).mean(dim=0).clamp_min(1e-12).log()


def hybrid_objective(model: RecurrentAttention, images: torch.Tensor,
                     targets: torch.Tensor) -> tuple[torch.Tensor, dict[str, float]]:
    """Mnih et al.'s hybrid loss: cross-entropy of the classifier + REINFORCE on the locations
    (reward 1 for a correct class) + the baseline's squared error; for the engine's ``objective``."""
    run = model.episode(images)
    rewards = (run.logits.argmax(dim=1) == targets).float()
    action_loss = F.cross_entropy(run.logits.float(), targets)
    baseline_loss = F.mse_loss(run.baselines.float(), rewards[:, None].expand_as(run.baselines))
    location_loss = reinforce_loss(run.log_probs.float(), rewards, run.baselines.float())
    return action_loss + location_loss + baseline_loss, {
        "reward": rewards.mean().item(), "action_loss": action_loss.item(), "baseline_loss": baseline_loss.item()}


def fully_connected_net(canvas: int, hidden: list[int], n_classes: int) -> nn.Sequential:
    """Mnih et al.'s FC baseline: ReLU layers of ``hidden`` units (theirs: two of 256) on the pixels."""
    layers, width = [nn.Flatten()], canvas * canvas
    for units in hidden:
        layers += [nn.Linear(width, units), nn.ReLU()]
        width = units
    return nn.Sequential(*layers, nn.Linear(width, n_classes))


def conv_net(canvas: int, filters: int, kernel: int, stride: int, hidden: int, n_classes: int) -> nn.Sequential:
    """Mnih et al.'s convolutional baseline: one layer of ``filters`` kernel x kernel filters at
    ``stride`` (theirs: 8 of 10x10, stride 5), a ReLU layer of ``hidden`` units (256), the classes."""
    side = (canvas - kernel) // stride + 1
    if side < 1:
        raise ValueError(f"a {kernel} px kernel does not fit a {canvas} px canvas")
    return nn.Sequential(nn.Conv2d(1, filters, kernel, stride), nn.ReLU(), nn.Flatten(),
                         nn.Linear(filters * side * side, hidden), nn.ReLU(), nn.Linear(hidden, n_classes))
