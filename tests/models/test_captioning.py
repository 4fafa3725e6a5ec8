import pytest
import torch

from dlrepro.data.captions import END, START
from dlrepro.models.captioning import (
    BackboneEncoder, Precomputed, SmallEncoder, beam_search, build_captioner, greedy_decode, teacher_forcing_loss,
)

MODEL = {"embedding": 8, "hidden": 16, "attention": True, "attention_dim": 8, "dropout": 0.0}


def captioner(attention=True, vocabulary=12, seed=0):
    torch.manual_seed(seed)
    return build_captioner(MODEL | {"attention": attention}, vocabulary, SmallEncoder(4))


def images(n=5, size=16, seed=0):
    return torch.randint(0, 256, (n, size, size, 3), dtype=torch.uint8, generator=torch.Generator().manual_seed(seed))


def test_small_encoder_gives_a_grid_of_feature_vectors():
    grids = SmallEncoder(4)(images(size=32))
    assert grids.shape == (5, 16, 16)  # 32 px -> 4 x 4 places of 4 * width features


@pytest.mark.parametrize("attention", [True, False])
def test_attention_weights_sum_to_one_over_the_places(attention):
    model = captioner(attention)
    words = torch.randint(0, 12, (5, 7))
    logits, alphas = model(images(), words)
    assert logits.shape == (5, 7, 12) and alphas.shape == (5, 7, 4)
    assert torch.allclose(alphas.sum(dim=-1), torch.ones(5, 7), atol=1e-6)
    assert (alphas >= 0).all()
    if attention:  # the weights depend on the image and the step, not uniform
        assert alphas.std() > 0


@pytest.mark.parametrize("seed", range(4))
def test_beam_search_with_beam_one_is_greedy_decoding(seed):
    model = captioner(seed=seed)
    batch = images(seed=seed)
    greedy = greedy_decode(model, batch, START, END, max_length=9)
    beams = [beam_search(model, image, START, END, max_length=9, beam_size=1)[0] for image in batch]
    assert beams == greedy


def test_beam_search_finds_a_caption_at_least_as_likely_as_greedy():
    model = captioner(seed=1)

    longest = 30

    def log_probability(image, ids):
        """Of the words and, unless the caption was cut at ``longest`` words, of the <end> after them."""
        targets = ids + [END] if len(ids) < longest else ids
        logits, _ = model(image[None], torch.tensor([[START] + targets[:-1]]))
        return torch.log_softmax(logits[0], dim=-1)[torch.arange(len(targets)), torch.tensor(targets)].sum().item()

    for image in images(seed=2):
        greedy = greedy_decode(model, image[None], START, END, max_length=longest)[0]
        beam, alphas = beam_search(model, image, START, END, max_length=longest, beam_size=4)
        assert len(alphas) == len(beam)
        assert log_probability(image, beam) >= log_probability(image, greedy) - 1e-5


def test_teacher_forcing_loss_ignores_padding_and_trains():
    model = captioner()
    tokens = torch.tensor([[START, 4, 5, END, 0, 0], [START, 6, END, 0, 0, 0]])
    loss, scalars = teacher_forcing_loss(model, images(2), tokens)
    logits, _ = model(images(2), tokens[:, :-1])
    mask = tokens[:, 1:] != 0
    expected = torch.nn.functional.cross_entropy(logits[mask], tokens[:, 1:][mask])
    assert loss.item() == pytest.approx(expected.item(), rel=1e-5) and scalars["loss"] == pytest.approx(loss.item())
    penalised, _ = teacher_forcing_loss(model, images(2), tokens, attention_regularisation=1.0)
    assert penalised.item() > loss.item()
    optimizer = torch.optim.Adam(model.parameters(), lr=0.01)
    for _ in range(30):
        optimizer.zero_grad()
        teacher_forcing_loss(model, images(2), tokens)[0].backward()
        optimizer.step()
    assert teacher_forcing_loss(model, images(2), tokens)[0].item() < loss.item() / 2


def test_precomputed_grids_caption_like_the_encoder_that_made_them():
    model = captioner()
    model.eval()
    batch = images()
    with torch.no_grad():
        grids = model.encoder(batch)
    frozen = build_captioner(MODEL, 12, Precomputed(grids.shape[-1]))
    frozen.decoder.load_state_dict(model.decoder.state_dict())
    assert greedy_decode(frozen, grids, START, END, 9) == greedy_decode(model, batch, START, END, 9)


def test_backbone_encoder_uses_the_last_convolutional_block():
    encoder = BackboneEncoder("resnet18", "random", seed=0)
    assert encoder.features == 512
    assert encoder(images(2, size=64)).shape == (2, 4, 512)  # 64 px / 32 -> 2 x 2 places
