import pytest
import torch

from dlrepro.models.augment import Augment


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
