"""S13's captioner: a CNN encoder gives a grid of feature vectors; an LSTM decoder reads word
embeddings and writes the next word, looking at the grid through soft attention (Xu et al. 2015,
Show, Attend and Tell) or at its mean (Show and Tell-like, Vinyals et al. 2015); greedy and beam-search
decoding.

Images enter as uint8 N x H x W x C batches; the encoder scales them itself, so a trained model
captions raw images.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

from dlrepro.models.torchvision_nets import imagenet_input, load_cnn, unit_float

BACKBONES = ("resnet18", "vgg19", "alexnet")


class SmallEncoder(nn.Module):
    """Three blocks of 3x3 convolution, batch norm, ReLU and 2x2 max-pooling: S px -> an S/8 x S/8
    grid of 4 * width features (32 px: 16 places to attend to)."""

    def __init__(self, width: int):
        super().__init__()
        blocks, channels = [], 3
        for out in (width, 2 * width, 4 * width):
            blocks += [nn.Conv2d(channels, out, 3, padding=1), nn.BatchNorm2d(out), nn.ReLU(), nn.MaxPool2d(2)]
            channels = out
        self.net = nn.Sequential(*blocks)
        self.features = channels

    def forward(self, images: torch.Tensor) -> torch.Tensor:
        return grid(self.net(unit_float(images)))


class BackboneEncoder(nn.Module):
    """The convolutional part of a torchvision ImageNet network (weights imagenet, random or a file):
    ResNet-18's last block, VGG-19's conv5_4 (Xu et al.'s 14 x 14 x 512 at 224 px) or AlexNet's conv5."""

    def __init__(self, arch: str, weights: str, seed: int):
        super().__init__()
        cnn = load_cnn(arch, weights, seed)
        if arch == "resnet18":
            self.net, self.features = nn.Sequential(*list(cnn.children())[:-2]), cnn.fc.in_features
        else:
            self.net = cnn.features[:-1]  # without the last max-pooling
            self.features = [m for m in self.net if isinstance(m, nn.Conv2d)][-1].out_channels

    def forward(self, images: torch.Tensor) -> torch.Tensor:
        return grid(self.net(imagenet_input(unit_float(images))))


class Precomputed(nn.Module):
    """The encoder of a captioner trained on features computed once by a frozen CNN: inputs are the grids."""

    def __init__(self, features: int):
        super().__init__()
        self.features = features

    def forward(self, grids: torch.Tensor) -> torch.Tensor:
        return grids.float()


def grid(maps: torch.Tensor) -> torch.Tensor:
    """N x D x H x W feature maps -> N x (H W) x D feature vectors, one per place."""
    return maps.flatten(2).transpose(1, 2)


def build_encoder(settings: dict, seed: int) -> nn.Module:
    """s13.captioner.model's encoder: ``small`` (width) or a torchvision backbone with ``weights``."""
    if settings["encoder"] == "small":
        return SmallEncoder(settings["width"])
    if settings["encoder"] not in BACKBONES:
        raise ValueError(f"encoder {settings['encoder']!r}; expected small or one of {BACKBONES}")
    return BackboneEncoder(settings["encoder"], settings["weights"], seed)


class CaptionDecoder(nn.Module):
    """An LSTM whose state starts from the mean feature vector; at each step it reads the previous
    word's embedding and a context vector: the attention-weighted mean of the grid (``attention_dim``
    > 0: Bahdanau-style scores from the grid and the hidden state) or the plain mean."""

    def __init__(self, vocabulary: int, features: int, embedding: int, hidden: int, attention_dim: int,
                 dropout: float = 0.0):
        super().__init__()
        self.embed = nn.Embedding(vocabulary, embedding)
        self.init_h, self.init_c = nn.Linear(features, hidden), nn.Linear(features, hidden)
        self.attention = attention_dim > 0
        if self.attention:
            self.grid_proj = nn.Linear(features, attention_dim)
            self.hidden_proj = nn.Linear(hidden, attention_dim)
            self.score = nn.Linear(attention_dim, 1)
        self.cell = nn.LSTMCell(embedding + features, hidden)
        self.dropout = nn.Dropout(dropout)
        self.out = nn.Linear(hidden, vocabulary)

    def memory(self, grids: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor | None]:
        """The grid and its attention projection, computed once per caption."""
        return grids, self.grid_proj(grids) if self.attention else None

    def start(self, grids: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        mean = grids.mean(dim=1)
        return torch.tanh(self.init_h(mean)), torch.tanh(self.init_c(mean))

    def context(self, memory, h: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """(context vector N x D, attention weights N x places, summing to 1)."""
        grids, projected = memory
        if not self.attention:
            return grids.mean(dim=1), torch.full(grids.shape[:2], 1 / grids.shape[1], device=grids.device)
        scores = self.score(torch.tanh(projected + self.hidden_proj(h)[:, None])).squeeze(-1)
        alpha = torch.softmax(scores.float(), dim=1).to(grids.dtype)
        return (alpha[..., None] * grids).sum(dim=1), alpha

    def step(self, memory, words: torch.Tensor, state):
        """One word: (next-word logits, new state, attention weights)."""
        z, alpha = self.context(memory, state[0])
        h, c = self.cell(torch.cat([self.embed(words), z], dim=1), state)
        return self.out(self.dropout(h)), (h, c), alpha

    def forward(self, grids: torch.Tensor, words: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """Teacher forcing: logits N x T x V of the word after each of ``words`` (N x T), attention N x T x places."""
        memory, state = self.memory(grids), self.start(grids)
        logits, alphas = [], []
        for t in range(words.shape[1]):
            step_logits, state, alpha = self.step(memory, words[:, t], state)
            logits.append(step_logits)
            alphas.append(alpha)
        return torch.stack(logits, dim=1), torch.stack(alphas, dim=1)


class Captioner(nn.Module):
    def __init__(self, encoder: nn.Module, decoder: CaptionDecoder):
        super().__init__()
        self.encoder, self.decoder = encoder, decoder

    def forward(self, images: torch.Tensor, words: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        return self.decoder(self.encoder(images), words)


def build_captioner(settings: dict, vocabulary: int, encoder: nn.Module) -> Captioner:
    """The decoder of s13.captioner.model on ``encoder``."""
    decoder = CaptionDecoder(vocabulary, encoder.features, settings["embedding"], settings["hidden"],
                             settings["attention_dim"] if settings["attention"] else 0, settings["dropout"])
    return Captioner(encoder, decoder)


@torch.no_grad()
def greedy_decode(model: Captioner, images: torch.Tensor, start: int, end: int, max_length: int) -> list[list[int]]:
    """The most likely next word at every step, up to <end> (not included) or ``max_length`` words."""
    model.eval()
    grids = model.encoder(images)
    memory, state = model.decoder.memory(grids), model.decoder.start(grids)
    words = torch.full((len(grids),), start, dtype=torch.long, device=grids.device)
    steps, done = [], torch.zeros(len(grids), dtype=torch.bool, device=grids.device)
    for _ in range(max_length):
        logits, state, _ = model.decoder.step(memory, words, state)
        words = logits.argmax(dim=1)
        steps.append(words)
        done |= words == end
        if done.all():
            break
    return [cut_at(row, end) for row in torch.stack(steps, dim=1).tolist()]


def cut_at(ids: list[int], end: int) -> list[int]:
    return ids[: ids.index(end)] if end in ids else ids


@torch.no_grad()
def beam_search(model: Captioner, image: torch.Tensor, start: int, end: int, max_length: int,
                beam_size: int) -> tuple[list[int], list[torch.Tensor]]:
    """The caption of one image (uint8 H x W x C, or a precomputed grid) of highest log-probability
    among ``beam_size`` partial captions kept at every step; with its attention weights per word."""
    model.eval()
    grids = model.encoder(image[None])
    memory, state = model.decoder.memory(grids), model.decoder.start(grids)
    live = [(0.0, [], [])]  # (log-probability, words, attention weights)
    finished = []
    for _ in range(max_length):
        n = len(live)
        beams = tuple(part.expand(n, *part.shape[1:]) if part is not None else None for part in memory)
        words = torch.tensor([caption[-1] if caption else start for _, caption, _ in live], device=grids.device)
        logits, state, alpha = model.decoder.step(beams, words, state)
        scores = torch.log_softmax(logits.float(), dim=1) + torch.tensor([s for s, _, _ in live], device=grids.device)[:, None]
        top = scores.flatten().topk(min(beam_size - len(finished), scores.numel()))
        keep, survivors = [], []
        for value, flat in zip(top.values.tolist(), top.indices.tolist()):
            row, word = divmod(flat, scores.shape[1])
            entry = (value, live[row][1] + [word], live[row][2] + [alpha[row].cpu()])
            if word == end:
                finished.append((value, entry[1][:-1], entry[2][:-1]))
            else:
                survivors.append(entry)
                keep.append(row)
        live = survivors
        if len(finished) >= beam_size or not live:
            break
        state = tuple(part[keep] for part in state)
    # a complete caption beats one cut at max_length
    best = max(finished or live, key=lambda entry: entry[0])
    return best[1], best[2]


def teacher_forcing_loss(model: Captioner, inputs: torch.Tensor, tokens: torch.Tensor,
                         attention_regularisation: float = 0.0) -> tuple[torch.Tensor, dict[str, float]]:
    """Cross-entropy of each next word given the true previous ones (padding ignored), plus Xu et al.'s
    doubly stochastic penalty: each place's attention, summed over the words, pushed towards 1."""
    logits, alphas = model(inputs, tokens[:, :-1])
    targets = tokens[:, 1:]
    loss = F.cross_entropy(logits.float().flatten(0, 1), targets.flatten(), ignore_index=0)
    total = loss
    if attention_regularisation and model.decoder.attention:
        mask = (targets != 0).float()[..., None]
        total = loss + attention_regularisation * ((1 - (alphas.float() * mask).sum(dim=1)) ** 2).mean()
    return total, {"loss": loss.item()}
