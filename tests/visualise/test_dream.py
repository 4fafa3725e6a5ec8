"""Deep dreaming on small seeded networks: the step, the objectives, octaves, tiles, image files."""

from __future__ import annotations

import pytest
import torch
from PIL import Image
from torch import nn

from dlrepro.io import InputError
from dlrepro.models.small_cnn import SmallCNN
from dlrepro.train.engine import TrainConfig, train
from dlrepro.visualise.dream import (
    DreamSettings,
    class_objective,
    dream,
    gaussian_blur,
    guided_objective,
    image_gradient,
    layer_objective,
    load_image,
    noise_image,
    normalised_step,
    sample_photo,
    tile_slices,
)


def small_cnn(seed: int = 0, in_channels: int = 3) -> SmallCNN:
    torch.manual_seed(seed)
    return SmallCNN(in_channels, n_classes=5, width=8)


def two_convs(seed: int = 0) -> nn.Sequential:
    """Two 3x3 convolutions: a unit sees +-2 pixels, so a pixel's gradient depends on pixels +-4 away."""
    torch.manual_seed(seed)
    return nn.Sequential(nn.Conv2d(3, 8, 3, padding=1), nn.ReLU(), nn.Conv2d(8, 8, 3, padding=1), nn.ReLU())


def generator(seed: int = 0) -> torch.Generator:
    return torch.Generator().manual_seed(seed)


def test_normalised_step_has_mean_absolute_value_equal_to_the_step_size():
    gradient = torch.randn(3, 17, 23, generator=generator()) * 1e-4
    for step_size in (0.001, 0.01, 0.5):
        step = normalised_step(gradient, step_size)
        assert step.abs().mean().item() == pytest.approx(step_size, rel=1e-5)
        assert torch.equal(step.sign(), gradient.sign())
    assert torch.equal(normalised_step(torch.zeros(3, 4, 4), 0.01), torch.zeros(3, 4, 4))


def test_layer_norm_rises_over_iterations():
    model = small_cnn()
    start = noise_image(3, 40, generator(1))
    result = dream(model, start, layer_objective(model, "features.3"), DreamSettings(steps=15), generator=generator(2))
    values = result.objective
    assert len(values) == 15
    assert values[-1] > 1.5 * values[0]
    rises = sum(b > a for a, b in zip(values, values[1:]))
    assert rises >= 12, values
    assert result.image.shape == start.shape
    assert 0.0 <= result.image.min() and result.image.max() <= 1.0
    unjittered = dream(model, start, layer_objective(model, "features.3"), DreamSettings(steps=1, jitter=0))
    with torch.no_grad():
        norm = model.eval().features[:4](start[None]).norm().item()
    assert unjittered.objective == [pytest.approx(norm, rel=1e-5)]


def test_same_generator_same_dream_and_the_model_keeps_its_mode():
    model = small_cnn()
    model.train()
    start = noise_image(3, 32, generator(1))
    settings = DreamSettings(steps=4, octaves=2, blur_sigma=0.5)
    first = dream(model, start, layer_objective(model, "features.3"), settings, generator=generator(7))
    second = dream(model, start, layer_objective(model, "features.3"), settings, generator=generator(7))
    assert torch.equal(first.image, second.image)
    assert first.objective == second.objective
    assert model.training and all(module.training for module in model.modules())


def stripes(n: int, side: int, seed: int) -> tuple[torch.Tensor, torch.Tensor]:
    """Class 0: horizontal stripes, 1: vertical, 2: diagonal; random period and phase, plus noise."""
    g = generator(seed)
    labels = torch.arange(n) % 3
    grid = torch.arange(side, dtype=torch.float32)
    rows, cols = grid[:, None], grid[None, :]
    period = 3 + 4 * torch.rand(n, 1, 1, generator=g)
    phase = 2 * torch.pi * torch.rand(n, 1, 1, generator=g)
    position = torch.stack([rows.expand(side, side), cols.expand(side, side), (rows + cols).expand(side, side)])
    waves = torch.sin(2 * torch.pi * position[labels] / period + phase)
    images = 0.5 + 0.3 * waves + 0.1 * torch.randn(n, side, side, generator=g)
    return images.clamp(0, 1)[:, None].expand(n, 3, side, side).contiguous(), labels


@pytest.fixture(scope="module")
def stripe_classifier(tmp_path_factory) -> SmallCNN:
    """A SmallCNN trained (by the engine) to tell stripe orientations: class logits that mean something."""
    model = small_cnn(seed=3, in_channels=3)
    model.classifier[-1] = nn.Linear(model.classifier[-1].in_features, 3)
    config = TrainConfig(epochs=4, batch_size=32, optimizer="adam", lr=0.01, progress=False)
    result = train(model, {"train": stripes(192, 24, seed=0), "test": stripes(60, 24, seed=1)}, config,
                   tmp_path_factory.mktemp("stripes") / "metrics.parquet")
    assert result.metrics["test_error"].iloc[-1] < 0.2
    return model.eval()


def test_class_dream_raises_that_class_logit(stripe_classifier):
    model = stripe_classifier
    start = noise_image(3, 24, generator(1))
    with torch.no_grad():
        logits_before = model(start[None])[0]
    for class_index in range(3):
        objective = class_objective(model, class_index)
        result = dream(model, start, objective, DreamSettings(steps=10, step_size=0.02), generator=generator(2))
        with torch.no_grad():
            logits = model(result.image[None])[0]
        assert logits[class_index] > logits_before[class_index] + 1.0
        assert logits.argmax() == class_index


def test_guided_dream_raises_the_dot_product_with_its_guide(stripe_classifier):
    model = stripe_classifier
    guides = stripes(3, 24, seed=5)[0]  # one of each orientation
    start = noise_image(3, 24, generator(1))
    objectives = [guided_objective(model, "features.1", guide) for guide in guides]
    dreams = [dream(model, start, objective, DreamSettings(steps=10, step_size=0.02), generator=generator(2)).image
              for objective in objectives]
    with torch.no_grad():
        scores = torch.tensor([[objective.score(x[None]).item() for x in [start, *dreams]] for objective in objectives])
    own = scores[:, 1:].diagonal()
    assert (own > 1.5 * scores[:, 0]).all(), scores
    # each guide's match is highest on the dream it guided: the dream took on that guide's stripes
    assert torch.equal(scores[:, 1:].argmax(dim=1), torch.arange(3)), scores


def test_octaves_keep_the_input_size_and_give_one_image_per_octave():
    model = small_cnn()
    start = noise_image(3, 52, generator(1))[:, :40, :]
    result = dream(model, start, layer_objective(model, "features.0"), DreamSettings(steps=3, octaves=3),
                   generator=generator(2))
    assert result.image.shape == (3, 40, 52)
    assert len(result.octaves) == 3 and len(result.objective) == 9
    sizes = [tuple(octave.shape[-2:]) for octave in result.octaves]
    assert sizes == [(20, 27), (29, 37), (40, 52)]  # 40 / 1.4**2, 40 / 1.4; 52 / 1.4**2, 52 / 1.4
    assert torch.equal(result.octaves[-1], result.image)


def test_tiles_cut_a_side_into_near_equal_parts():
    assert tile_slices(1000, 512) == [slice(0, 500), slice(500, 1000)]
    assert tile_slices(1025, 512) == [slice(0, 342), slice(342, 683), slice(683, 1025)]
    assert tile_slices(100, 0) == [slice(0, 100)]


def border_mask(side: int, tile: int, margin: int) -> torch.Tensor:
    """True for the pixels of a square image within ``margin`` of an inner tile border."""
    inner = [part.start for part in tile_slices(side, tile)[1:]]
    positions = torch.arange(side)
    band = torch.stack([(positions - edge).abs() <= margin for edge in inner]).any(dim=0)
    return band[:, None] | band[None, :]


def test_tiled_gradient_is_the_whole_images_gradient_away_from_tile_borders():
    model = two_convs()
    image = torch.rand(3, 120, 120, generator=generator(1))
    objective = layer_objective(model, "3")
    whole_value, whole = image_gradient(image, objective, 0, lambda x: x)
    tiled_value, tiled = image_gradient(image, objective, 40, lambda x: x)
    away = ~border_mask(120, 40, margin=4)
    # the same sums of the same products, in another order: float32 rounding only
    torch.testing.assert_close(tiled[:, away], whole[:, away], rtol=1e-5, atol=1e-6)
    assert not torch.allclose(tiled[:, ~away], whole[:, ~away], rtol=1e-3, atol=1e-4)  # zero padding at borders
    assert tiled_value == pytest.approx(whole_value, rel=0.05)


def test_tiled_and_untiled_dreams_agree_away_from_tile_borders():
    model = two_convs()
    start = torch.rand(3, 120, 120, generator=generator(1)) * 0.5 + 0.25
    objective = layer_objective(model, "3")
    whole_gradient = image_gradient(start, objective, 0, lambda x: x)[1]
    tiled_gradient = image_gradient(start, objective, 40, lambda x: x)[1]
    # Each step is normalised by the whole image's mean |gradient|, which includes the border band
    # (4% larger here, from zero padding at tile edges): one step agrees away from borders up to that factor...
    factor = whole_gradient.abs().mean() / tiled_gradient.abs().mean()
    assert 0.9 < factor < 1.0
    one = {tile: dream(model, start, objective, DreamSettings(steps=1, jitter=0, tile=tile)).image for tile in (0, 40)}
    away = ~border_mask(120, 40, margin=4)
    torch.testing.assert_close((one[40] - start)[:, away], factor * (one[0] - start)[:, away], rtol=1e-4, atol=1e-6)
    # ...and over three steps the band spreads 4 px a step and the factor compounds: away from the
    # spread band the dreams differ by under 10% of how far they moved, and by more near the borders.
    steps = 3
    untiled, tiled = (dream(model, start, objective, DreamSettings(steps=steps, jitter=0, tile=tile)).image
                      for tile in (0, 40))
    away = ~border_mask(120, 40, margin=4 * steps)
    difference = (tiled - untiled).abs()
    assert difference[:, away].max() < 0.1 * (untiled - start).abs()[:, away].max()
    assert difference[:, ~away].max() > 2 * difference[:, away].max()


def seam_contrast(detail: torch.Tensor, lines: list[int]) -> float:
    """Mean jump of ``detail`` across the given rows and columns over its mean jump anywhere: 1 when
    those lines are like any other, away from 1 when the dream drew a seam there."""
    across_columns = (detail[:, :, 1:] - detail[:, :, :-1]).abs().mean(dim=(0, 1))
    across_rows = (detail[:, 1:, :] - detail[:, :-1, :]).abs().mean(dim=(0, 2))
    at = [line - 1 for line in lines]
    return ((across_columns[at].mean() + across_rows[at].mean()) / (across_columns.mean() + across_rows.mean())).item()


def test_a_moving_tile_grid_leaves_no_seams():
    torch.manual_seed(0)
    layers = [(nn.Conv2d(c_in, 16, 3, padding=1), nn.ReLU()) for c_in in (3, 16, 16, 16)]
    model = nn.Sequential(*[layer for pair in layers for layer in pair])
    start = torch.rand(3, 96, 96, generator=generator(1)) * 0.5 + 0.25
    objective = layer_objective(model, "7")
    contrast = {}
    for jitter, tile in ((0, 0), (0, 32), (4, 32)):
        result = dream(model, start, objective, DreamSettings(steps=12, step_size=0.03, jitter=jitter, tile=tile),
                       generator=generator(0))
        assert result.objective[-1] > result.objective[0]
        contrast[jitter, tile] = seam_contrast(result.image - start, [32, 64])
    assert abs(contrast[0, 32] - 1) > 0.3, contrast  # a fixed grid draws its tile borders
    assert abs(contrast[4, 32] - 1) < 0.1 and abs(contrast[0, 0] - 1) < 0.1, contrast


def test_gaussian_blur_keeps_flat_images_and_spreads_a_point():
    flat = torch.full((2, 9, 11), 0.3)
    torch.testing.assert_close(gaussian_blur(flat, 1.5), flat)
    point = torch.zeros(1, 21, 21)
    point[0, 10, 10] = 1.0
    blurred = gaussian_blur(point, 2.0)
    assert blurred.sum().item() == pytest.approx(1.0, rel=1e-5)
    assert blurred[0, 10, 10] < 0.1 and blurred[0, 10, 14] > 0


def test_unknown_layer_and_bad_settings_are_refused():
    model = small_cnn()
    with pytest.raises(ValueError, match="no layer 'features.99'.*features.0"):
        layer_objective(model, "features.99")
    with pytest.raises(ValueError, match="class 9 is not among the model's 5 outputs"):
        dream(model, noise_image(3, 16, generator()), class_objective(model, 9), DreamSettings(steps=1))
    for bad in ({"steps": 0}, {"step_size": 0.0}, {"octave_scale": 1.0}, {"tile": -1}):
        with pytest.raises(ValueError):
            DreamSettings(**bad)


def test_one_channel_networks_dream_from_noise():
    model = small_cnn(in_channels=1)
    result = dream(model, noise_image(1, 64, generator(1)), layer_objective(model, "features.3"),
                   DreamSettings(steps=5, octaves=2), generator=generator(2))
    assert result.image.shape == (1, 64, 64)
    assert result.objective[4] > result.objective[0]


def test_load_image_reads_png_jpeg_and_grey(tmp_path):
    rgb = (torch.rand(30, 40, 3, generator=generator()) * 255).to(torch.uint8).numpy()
    Image.fromarray(rgb).save(tmp_path / "colour.png")
    Image.fromarray(rgb).save(tmp_path / "colour.jpg", quality=95)
    Image.fromarray(rgb[..., 0]).save(tmp_path / "grey.png")
    png = load_image(tmp_path / "colour.png")
    assert png.shape == (3, 30, 40) and png.dtype == torch.float32
    torch.testing.assert_close(png, torch.from_numpy(rgb).permute(2, 0, 1).float() / 255)
    assert load_image(tmp_path / "colour.jpg", size=15).shape == (3, 15, 20)  # shorter side resized
    grey = load_image(tmp_path / "grey.png")
    assert grey.shape == (3, 30, 40) and torch.equal(grey[0], grey[2])
    assert load_image(tmp_path / "colour.png", channels=1).shape == (1, 30, 40)


def test_load_image_names_a_corrupt_file_in_one_line(tmp_path):
    corrupt = tmp_path / "broken.jpg"
    corrupt.write_bytes(b"\xff\xd8\xff\xe0 not really a jpeg")
    with pytest.raises(InputError) as caught:
        load_image(corrupt)
    assert str(corrupt) in str(caught.value) and "\n" not in str(caught.value)


def test_sample_photo_is_a_real_photo():
    photo = load_image(sample_photo(), size=64)
    assert photo.shape == (3, 75, 64)
    assert photo.std() > 0.1
