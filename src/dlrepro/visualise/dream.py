"""Deep dreaming: gradient ascent on an image to raise what a network responds to.

The scheme of Mordvintsev, Olah and Tyka's deep-dream notebook (2015): each step rolls the image by
a random jitter, takes the gradient of an objective (a layer's L2 norm, a class logit, or the match
with a guide image's activations), scales it so its mean absolute value is the step size, adds it,
optionally blurs, and clamps to the valid pixel range. Octaves dream a shrunken copy first, then
carry the detail the dream added up to the next scale. Tiles bound the memory of large images: the
gradient is computed tile by tile on an image rolled by a random offset each step, so tile borders
move and leave no seams; the step is normalised over the whole image, not per tile.

The layer and guided objectives are sums over image positions, so a tiled gradient is the whole
image's gradient away from tile borders (within the layer's receptive field of a border, a tile
sees zero padding instead of its neighbour). A class logit of a tiled image is the sum of its
tiles' logits.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import torch
import torch.nn.functional as F
from torch import nn

from dlrepro.data.images import ImageReadError, read_image, resize, to_grayscale
from dlrepro.io import InputError

Preprocess = Callable[[torch.Tensor], torch.Tensor]


@dataclass(frozen=True)
class DreamSettings:
    """How a dream climbs its objective. ``jitter`` 0 switches off every random shift, the tile
    grid's too (otherwise the grid moves by a random offset each step): a dream to compare with."""

    steps: int = 20  # gradient-ascent steps per octave
    step_size: float = 0.01  # mean |step| in [0, 1] pixel units
    octaves: int = 1  # 1 = single scale
    octave_scale: float = 1.4  # each octave's side is the previous one's times this
    jitter: int = 8  # random roll (pixels) before each step, undone after
    blur_sigma: float = 0.0  # Gaussian blur (pixels) of the image after each step; 0 = off
    tile: int = 0  # gradient computed tile by tile of at most this side; 0 = whole image

    def __post_init__(self):
        if self.steps < 1 or self.octaves < 1:
            raise ValueError(f"steps and octaves must be at least 1, got {self.steps} and {self.octaves}")
        if not self.step_size > 0:
            raise ValueError(f"step_size must be positive, got {self.step_size}")
        if not self.octave_scale > 1:
            raise ValueError(f"octave_scale must be above 1, got {self.octave_scale}")
        if self.jitter < 0 or self.tile < 0 or self.blur_sigma < 0:
            raise ValueError(f"jitter, tile and blur_sigma must be >= 0, got {self.jitter}, {self.tile}, "
                             f"{self.blur_sigma}")


@dataclass(frozen=True)
class Objective:
    """What a dream maximises. ``score`` maps a batch of model inputs to a scalar (a tiled image's
    score is the sum of its tiles'); ``report`` turns the summed score into the recorded value."""

    description: str
    score: Callable[[torch.Tensor], torch.Tensor]
    report: Callable[[float], float] = float


@dataclass
class DreamResult:
    """A dream, the objective's climb and the image at each scale (for the progression figure)."""

    image: torch.Tensor  # C x H x W in [0, 1]
    objective: list[float]  # the objective before each step (on its jittered image), all octaves in order
    octaves: list[torch.Tensor]  # the image at the end of each octave, smallest first


class _LayerReached(Exception):
    """Raised by the capturing hook: the layers after the dreamed one need not run."""


def named_layer(model: nn.Module, layer: str) -> nn.Module:
    """The module called ``layer`` in ``model.named_modules()``; a ValueError listing some names if none."""
    modules = dict(model.named_modules())
    if layer not in modules:
        names = [name for name in modules if name][:12]
        raise ValueError(f"the model has no layer {layer!r}; its layers include {', '.join(names)}")
    return modules[layer]


def layer_output(model: nn.Module, module: nn.Module, inputs: torch.Tensor) -> torch.Tensor:
    """``module``'s output when ``model`` runs on ``inputs``, leaving the rest of the forward pass unrun."""
    captured = []

    def capture(_module, _args, output):
        captured.append(output)
        raise _LayerReached

    handle = module.register_forward_hook(capture)
    try:
        model(inputs)
    except _LayerReached:
        pass
    finally:
        handle.remove()
    if not captured or not isinstance(captured[0], torch.Tensor):
        raise ValueError(f"the dreamed layer ({module.__class__.__name__}) did not run in the model's forward "
                         "pass or gave no tensor")
    return captured[0]


def layer_objective(model: nn.Module, layer: str) -> Objective:
    """The L2 norm of ``layer``'s response (the gradient comes from its square, which tiles add up)."""
    module = named_layer(model, layer)

    def score(inputs: torch.Tensor) -> torch.Tensor:
        return layer_output(model, module, inputs).square().sum()

    return Objective(f"L2 norm of {layer}", score, report=math.sqrt)


def class_objective(model: nn.Module, class_index: int) -> Objective:
    """The logit of class ``class_index`` (summed over tiles when tiled)."""

    def score(inputs: torch.Tensor) -> torch.Tensor:
        logits = model(inputs)
        if logits.ndim != 2 or not 0 <= class_index < logits.shape[1]:
            raise ValueError(f"class {class_index} is not among the model's {logits.shape[-1]} outputs "
                             f"(output shape {tuple(logits.shape)})")
        return logits[:, class_index].sum()

    return Objective(f"logit of class {class_index}", score)


def guided_objective(model: nn.Module, layer: str, guide: torch.Tensor, *,
                     preprocess: Preprocess | None = None) -> Objective:
    """Guided dreaming (the deep-dream notebook's): at each position of ``layer``, the dot product of
    the image's activation vector with the most similar of the guide's, summed over positions.

    ``guide`` is a C x H x W image in [0, 1] of any size; ``preprocess`` maps it to the model's input
    as the dream's own does. The gradient at a position is the matched guide vector, so the dream
    grows the guide's features where the image already resembles them.
    """
    module = named_layer(model, layer)
    preprocess = preprocess or _identity
    with evaluating(model), torch.no_grad():
        guide_features = flat_positions(layer_output(model, module, preprocess(guide.unsqueeze(0))))

    def score(inputs: torch.Tensor) -> torch.Tensor:
        features = flat_positions(layer_output(model, module, inputs))
        return (features @ guide_features.T).amax(dim=1).sum()

    return Objective(f"guided by {layer}", score)


def flat_positions(activations: torch.Tensor) -> torch.Tensor:
    """N x K x ... activations as (N * positions) x K, one row per position's feature vector."""
    return activations.reshape(activations.shape[0], activations.shape[1], -1).transpose(1, 2).reshape(
        -1, activations.shape[1])


def normalised_step(gradient: torch.Tensor, step_size: float) -> torch.Tensor:
    """``gradient`` scaled so its mean absolute value is ``step_size`` (zero stays zero): the step's
    size no longer depends on the layer's scale or the image's size."""
    scale = gradient.abs().mean()
    if scale == 0:
        return torch.zeros_like(gradient)
    return gradient * (step_size / scale)


@contextmanager
def evaluating(model: nn.Module) -> Iterator[None]:
    """``model`` in eval mode (dropout off, batch norm on its running statistics), each module's own
    mode restored afterwards."""
    modes = [(module, module.training) for module in model.modules()]
    model.eval()
    try:
        yield
    finally:
        for module, training in modes:
            module.training = training


def tile_slices(length: int, tile: int) -> list[slice]:
    """``length`` cut into the fewest near-equal parts of at most ``tile`` (no sliver at the end)."""
    parts = 1 if tile == 0 else math.ceil(length / tile)
    edges = [round(k * length / parts) for k in range(parts + 1)]
    return [slice(start, stop) for start, stop in zip(edges[:-1], edges[1:])]


def image_gradient(image: torch.Tensor, objective: Objective, tile: int,
                   preprocess: Preprocess) -> tuple[float, torch.Tensor]:
    """The objective's summed score on a C x H x W image and its gradient, one tile at a time."""
    gradient = torch.empty_like(image)
    total = 0.0
    with torch.enable_grad():
        for rows in tile_slices(image.shape[-2], tile):
            for cols in tile_slices(image.shape[-1], tile):
                crop = image[None, :, rows, cols].detach().requires_grad_(True)
                score = objective.score(preprocess(crop))
                (crop_gradient,) = torch.autograd.grad(score, crop)
                gradient[:, rows, cols] = crop_gradient[0]
                total += score.item()
    return total, gradient


def random_shift(settings: DreamSettings, height: int, width: int,
                 generator: torch.Generator | None) -> tuple[int, int]:
    """The roll of one step: the jitter, plus a random tile-grid offset when the image is tiled."""
    if settings.jitter == 0:
        return 0, 0
    shift = torch.randint(-settings.jitter, settings.jitter + 1, (2,), generator=generator)
    if settings.tile and max(height, width) > settings.tile:
        shift += torch.randint(0, settings.tile, (2,), generator=generator)
    return int(shift[0]), int(shift[1])


def gaussian_blur(image: torch.Tensor, sigma: float) -> torch.Tensor:
    """C x H x W ``image`` blurred by a separable Gaussian of ``sigma`` pixels (edges replicated)."""
    radius = max(1, math.ceil(3 * sigma))
    offsets = torch.arange(-radius, radius + 1, dtype=image.dtype, device=image.device)
    kernel = torch.exp(-offsets.square() / (2 * sigma**2))
    kernel = kernel / kernel.sum()
    channels = image.shape[0]
    padded = F.pad(image[None], (radius,) * 4, mode="replicate")
    rows = F.conv2d(padded, kernel.view(1, 1, 1, -1).expand(channels, 1, 1, -1), groups=channels)
    return F.conv2d(rows, kernel.view(1, 1, -1, 1).expand(channels, 1, -1, 1), groups=channels)[0]


def ascent_step(image: torch.Tensor, objective: Objective, settings: DreamSettings, preprocess: Preprocess,
                generator: torch.Generator | None) -> tuple[float, torch.Tensor]:
    """One step: the objective before it and the image after it (jittered gradient, blur, clamp)."""
    shift = random_shift(settings, image.shape[-2], image.shape[-1], generator)
    total, gradient = image_gradient(image.roll(shift, dims=(-2, -1)), objective, settings.tile, preprocess)
    stepped = image + normalised_step(gradient.roll((-shift[0], -shift[1]), dims=(-2, -1)), settings.step_size)
    if settings.blur_sigma > 0:
        stepped = gaussian_blur(stepped, settings.blur_sigma)
    return objective.report(total), stepped.clamp(0.0, 1.0)


def octave_sizes(height: int, width: int, settings: DreamSettings) -> list[tuple[int, int]]:
    """(height, width) of every octave, smallest first, the last one the image's own."""
    return [(max(1, round(height / settings.octave_scale**k)), max(1, round(width / settings.octave_scale**k)))
            for k in reversed(range(settings.octaves))]


def resized(image: torch.Tensor, size: tuple[int, int]) -> torch.Tensor:
    """C x H x W ``image`` at ``size`` (bilinear, antialiased when shrinking)."""
    if tuple(image.shape[-2:]) == size:
        return image
    return F.interpolate(image[None], size=size, mode="bilinear", antialias=True, align_corners=False)[0]


def _identity(x: torch.Tensor) -> torch.Tensor:
    return x


def dream(model: nn.Module, image: torch.Tensor, objective: Objective, settings: DreamSettings, *,
          preprocess: Preprocess | None = None, generator: torch.Generator | None = None) -> DreamResult:
    """Dream on ``image`` (C x H x W in [0, 1]) by gradient ascent on ``objective``.

    ``preprocess`` maps [0, 1] images to the model's input (e.g. ImageNet normalisation) inside the
    gradient; ``generator`` draws the jitter. Octaves follow the deep-dream notebook: the image is
    shrunk by ``octave_scale`` per octave, the smallest is dreamed first, and at each larger scale
    the detail the dream added (dreamed minus the shrunk original) is upsampled and added to the
    original at that scale before dreaming on. The model runs in eval mode; its modes are restored.
    """
    if image.ndim != 3 or not image.is_floating_point():
        raise ValueError(f"image must be a float C x H x W tensor in [0, 1], got {image.dtype} {tuple(image.shape)}")
    preprocess = preprocess or _identity
    values: list[float] = []
    ends: list[torch.Tensor] = []
    detail = None
    with evaluating(model):
        for size in octave_sizes(image.shape[-2], image.shape[-1], settings):
            base = resized(image, size)
            dreamed = base.clamp(0.0, 1.0) if detail is None else (base + resized(detail, size)).clamp(0.0, 1.0)
            for _ in range(settings.steps):
                value, dreamed = ascent_step(dreamed, objective, settings, preprocess, generator)
                values.append(value)
            detail = dreamed - base
            ends.append(dreamed)
    return DreamResult(image=dreamed, objective=values, octaves=ends)


def noise_image(channels: int, size: int, generator: torch.Generator | None) -> torch.Tensor:
    """A start for dreams from noise: mid grey (so pixels can move both ways) plus uniform noise of
    +-0.1 (which breaks the symmetry a flat image would keep)."""
    return 0.5 + 0.2 * (torch.rand(channels, size, size, generator=generator) - 0.5)


def load_image(path: str | Path, size: int | None = None, channels: int = 3) -> torch.Tensor:
    """Any image file Pillow reads as C x H x W float in [0, 1], with ``channels`` 1 (luma) or 3 (grey
    repeated), its shorter side resized to ``size`` (aspect kept). An unreadable file raises an
    :class:`InputError` naming it."""
    if channels not in (1, 3):
        raise ValueError(f"channels must be 1 or 3, got {channels}")
    try:
        array = read_image(path)
    except ImageReadError as err:
        raise InputError(f"{err}; give a PNG, JPEG or TIFF image") from None
    if channels == 1:
        array = to_grayscale(array)
    if size is not None:
        height, width = array.shape[:2]
        factor = size / min(height, width)
        array = resize(array, max(1, round(height * factor)), max(1, round(width * factor)))
    tensor = torch.from_numpy(array).permute(2, 0, 1).contiguous()
    return tensor.expand(channels, -1, -1).contiguous() if tensor.shape[0] != channels else tensor


def sample_photo() -> Path:
    """A real photo shipped with matplotlib (Grace Hopper, 512 x 600): a start image needing no download."""
    import matplotlib

    path = Path(matplotlib.get_data_path()) / "sample_data" / "grace_hopper.jpg"
    if not path.is_file():
        raise InputError(f"matplotlib's sample photo {path} is missing (an install without its sample data?); "
                         "name an image file instead")
    return path
