"""Recurrent classifiers for S10: a vanilla (tanh) RNN or an LSTM reads a sequence and a linear
layer on its last hidden state gives the class scores."""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

CELLS = ("rnn", "lstm")


class SequenceClassifier(nn.Module):
    """N x T x D float sequences -> N x classes scores from the last hidden state.

    ``forget_bias`` (LSTM only) is the forget gate's initial bias. PyTorch draws it around 0, a forget
    gate of 0.5 that halves the cell's memory and its gradient at every step (0.5^19 ~ 2e-6 over T = 20);
    Gers et al. (2000) and Jozefowicz et al. (2015) start it at 1 or more so that the cell remembers
    until it learns what to forget."""

    def __init__(self, cell: str, input_size: int, hidden: int, n_classes: int, forget_bias: float | None = None):
        super().__init__()
        if cell not in CELLS:
            raise ValueError(f"unknown cell {cell!r}; expected one of {CELLS}")
        self.cell = cell
        recurrent = nn.RNN if cell == "rnn" else nn.LSTM
        self.recurrent = recurrent(input_size, hidden, batch_first=True)
        if cell == "lstm" and forget_bias is not None:
            with torch.no_grad():  # gates are stacked input, forget, cell, output; the two biases add up
                self.recurrent.bias_ih_l0[hidden : 2 * hidden] = forget_bias
                self.recurrent.bias_hh_l0[hidden : 2 * hidden] = 0.0
        self.output = nn.Linear(hidden, n_classes)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        states, _ = self.recurrent(x)
        return self.output(states[:, -1])

    def hidden_gradient_norms(self, x: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
        """||dL/dh_t|| for t = 1..T, averaged over the batch (L: mean cross-entropy): how much of the
        loss's gradient reaches each step. Runs the same weights one step at a time to keep every h_t."""
        state, hiddens = None, []
        for t in range(x.shape[1]):
            out, state = self.recurrent(x[:, t : t + 1], state)
            h = out[:, 0]
            h.retain_grad()
            hiddens.append(h)
            state = (h[None], state[1]) if self.cell == "lstm" else h[None]  # the next step reads this h
        loss = F.cross_entropy(self.output(hiddens[-1]), targets)
        self.zero_grad(set_to_none=True)
        loss.backward()
        norms = torch.stack([h.grad.norm(dim=1).mean() for h in hiddens]).detach()
        self.zero_grad(set_to_none=True)
        return norms


class OneHot(nn.Module):
    """Digit sequences (N x T int64) -> one-hot float N x T x ``classes``."""

    def __init__(self, classes: int):
        super().__init__()
        self.classes = classes

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return F.one_hot(x, self.classes).float()


class Rows(nn.Module):
    """uint8 N x H x W x 1 images -> float N x H x W in [0, 1]: one step per row of W pixels."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x[..., 0].float() / 255.0
