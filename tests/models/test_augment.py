import pytest
import torch

from dlrepro.models.augment import PERTURBATIONS, Augment, RandomPerturbation, perturb, translate


def batch():
    return torch.arange(2 * 3 * 6 * 6, dtype=torch.float32).reshape(2, 3, 6, 6)


def test_evaluation_mode_leaves_images_unchanged():
    x = batch()
    assert torch.equal(Augment(shift=2, flip=True).eval()(x), x)


def test_shift_is_a_translation_within_the_limit():
    torch.manual_seed(0)
    x = batch()
    out = Augment(shift=1).train()(x)
    assert out.shape == x.shape
    # The interior of a translated image is the original moved by (dy, dx) in [-1, 1].
    for i in range(2):
        inner = out[i, :, 1:-1, 1:-1]
        matches = [
            (dy, dx)
            for dy in (-1, 0, 1)
            for dx in (-1, 0, 1)
            if torch.equal(inner, x[i, :, 1 + dy : 5 + dy, 1 + dx : 5 + dx])
        ]
        assert len(matches) == 1


def test_shifts_differ_between_images_and_draws():
    torch.manual_seed(0)
    x = batch()[:1].expand(64, -1, -1, -1)
    out = Augment(shift=2).train()(x)
    assert len({tuple(o.flatten().tolist()) for o in out}) > 5


def test_flip_mirrors_some_images():
    torch.manual_seed(0)
    x = batch()[:1].expand(32, -1, -1, -1)
    out = Augment(flip=True).train()(x)
    flipped = [torch.equal(o, x[0].flip(2)) for o in out]
    kept = [torch.equal(o, x[0]) for o in out]
    assert all(f or k for f, k in zip(flipped, kept)) and any(flipped) and any(kept)


def test_negative_shift_rejected():
    with pytest.raises(ValueError, match="shift"):
        Augment(shift=-1)


def painting_batch():
    """Images in [-0.5, 0.5], as S4 scales them, with both extremes present."""
    x = torch.rand(3, 3, 10, 12, generator=torch.Generator().manual_seed(0)) - 0.5
    x[0, 0, 0, 0], x[0, 0, 0, 1] = -0.5, 0.5
    return x


@pytest.mark.parametrize("name", PERTURBATIONS)
def test_every_perturbation_stays_in_range(name):
    out = perturb(painting_batch(), name, shift=3, brightness=0.3, contrast=2.0)
    assert out.shape == painting_batch().shape and out.min() >= -0.5 and out.max() <= 0.5


def test_brightening_and_darkening_move_pixels_and_clip():
    x = painting_batch()
    brighter, darker = perturb(x, "brightened", brightness=0.3), perturb(x, "darkened", brightness=0.3)
    assert (brighter >= x).all() and (darker <= x).all() and brighter.max() == 0.5 and darker.min() == -0.5
    inner = (x > -0.2) & (x < 0.2)
    assert torch.allclose(brighter[inner], x[inner] + 0.3) and torch.allclose(darker[inner], x[inner] - 0.3)


def test_inverting_or_flipping_twice_is_the_identity():
    x = painting_batch()
    assert not torch.equal(perturb(x, "inverted"), x) and torch.equal(perturb(perturb(x, "inverted"), "inverted"), x)
    assert not torch.equal(perturb(x, "flipped"), x) and torch.equal(perturb(perturb(x, "flipped"), "flipped"), x)


def test_contrast_scales_around_mid_grey():
    x = painting_batch()
    assert perturb(x, "low_contrast", contrast=2.0).abs().max() <= 0.25
    assert torch.allclose(perturb(perturb(x, "low_contrast", contrast=2.0), "high_contrast", contrast=2.0), x)


def test_translation_moves_the_image_and_fills_black():
    x = painting_batch()
    out = translate(x, 2, -3)
    assert torch.equal(out[..., 2:, :-3], x[..., :-2, 3:])
    assert (out[..., :2, :] == -0.5).all() and (out[..., :, -3:] == -0.5).all()


def test_random_perturbation_changes_training_batches_only():
    torch.manual_seed(0)
    x = painting_batch().repeat(20, 1, 1, 1)
    layer = RandomPerturbation(shift=2)
    assert torch.equal(layer.eval()(x), x)
    out = layer.train()(x)
    changed = (out != x).flatten(1).any(dim=1)
    assert 0 < changed.sum() < len(x) and out.min() >= -0.5 and out.max() <= 0.5
    with pytest.raises(ValueError, match="unknown perturbations"):
        RandomPerturbation(("blurred",))
