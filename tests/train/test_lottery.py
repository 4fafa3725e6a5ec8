import pandas as pd
import pytest
import torch

from dlrepro.data.dataset import write_dataset
from dlrepro.models.mlp import MLP
from dlrepro.models.small_cnn import CONV_STAGES, ConvFC
from dlrepro.train.engine import TrainConfig, train
from dlrepro.train.lottery import (ARMS, PruningRates, imp_trial, layer_weights, load_images, lottery_table, masks_of,
                                   network_builder, prune_magnitude, random_masks, rewind)

CONFIG = TrainConfig(epochs=2, batch_size=16, optimizer="adam", lr=0.01, progress=False)


def data(n=64, d=12, classes=3):
    generator = torch.Generator().manual_seed(0)
    x = torch.randn(n, d, generator=generator)
    return x, (x[:, 0] > 0).long() + (x[:, 1] > 0).long() * (classes - 2)


def test_pruning_removes_the_requested_fraction_of_the_remaining_weights_per_layer():
    model = MLP(12, [20, 10], 3)
    sizes = [layer.weight.numel() for layer in model.layers]  # 240, 200, 30
    prune_magnitude(model, PruningRates(0.5, 0.2))
    assert [int(m.sum()) for m in masks_of(model)] == [120, 100, 24]
    prune_magnitude(model, PruningRates(0.5, 0.2))  # of what remains: 60, 50, 24 - round(4.8) = 19
    assert [int(m.sum()) for m in masks_of(model)] == [60, 50, 19]
    kept = model.layers[0].weight_orig.abs()[masks_of(model)[0].bool()]
    dropped = model.layers[0].weight_orig.abs()[~masks_of(model)[0].bool()]
    assert kept.min() >= dropped.max() and sum(sizes) == 470


def test_the_mask_survives_retraining():
    model = MLP(12, [20], 3)
    prune_magnitude(model, PruningRates(0.6, 0.3))
    masks = masks_of(model)
    train(model, {"train": data()}, CONFIG, _tmp_metrics())
    for layer, mask in zip(model.layers, masks):
        assert torch.equal(layer.weight_mask, mask)
        assert (layer.weight[mask == 0] == 0).all() and (layer.weight[mask == 1] != 0).all()


def _tmp_metrics():
    import tempfile
    return tempfile.mkdtemp() + "/metrics.parquet"


def test_rewinding_restores_the_initial_values_of_the_surviving_weights_bit_for_bit():
    torch.manual_seed(3)
    model = MLP(12, [20], 3)
    initial = layer_weights(model)
    train(model, {"train": data()}, CONFIG, _tmp_metrics())
    prune_magnitude(model, PruningRates(0.5, 0.5))
    rewind(model, initial)
    for layer, (weight, bias) in zip(model.layers, initial):
        survivors = layer.weight_mask.bool()
        assert torch.equal(layer.weight[survivors], weight[survivors]) and torch.equal(layer.bias, bias)


def test_random_masks_keep_each_layers_count_elsewhere():
    model = MLP(12, [20], 3)
    prune_magnitude(model, PruningRates(0.7, 0.4))
    masks = masks_of(model)
    shuffled = random_masks(masks, torch.Generator().manual_seed(0))
    assert [int(m.sum()) for m in shuffled] == [int(m.sum()) for m in masks]
    assert not torch.equal(shuffled[0], masks[0])


def test_a_trial_trains_the_ticket_and_both_controls_each_round(tmp_path):
    images = torch.randint(0, 255, (90, 4, 4, 1), generator=torch.Generator().manual_seed(1)).numpy().astype("uint8")
    labels = images.reshape(90, -1)[:, 0] > 127
    write_dataset(tmp_path / "d", images, labels.astype(int), ["train"] * 60 + ["test"] * 30, ["a", "b"])
    flat = load_images(tmp_path / "d", None, 0.2, 0)
    assert (len(flat.train[1]), len(flat.val[1]), len(flat.test[1]), flat.in_features) == (48, 12, 30, 16)
    rows = pd.DataFrame(imp_trial(flat, network_builder("mlp", [8], flat), CONFIG, 2, PruningRates(0.5, 0.5), 1, ARMS, 0))
    assert list(rows["arm"]) == ["winning_ticket"] + list(ARMS) * 2
    assert list(rows["round"]) == [0, 1, 1, 1, 2, 2, 2]
    assert rows.groupby("round")["remaining"].nunique().eq(1).all()
    assert rows["remaining"].iloc[-1] == pytest.approx(0.25)
    table = lottery_table(rows)
    assert len(table) == 3 * 3 and (table.loc[table["round"] == 0, "remaining_percent"] == 100).all()
    with pytest.raises(ValueError, match="rewind_epoch=5"):
        imp_trial(flat, network_builder("mlp", [8], flat), CONFIG, 1, PruningRates(0.5, 0.5), 5, ARMS, 0)


def test_conv_nets_prune_convolutions_fc_layers_and_the_output_at_their_own_rates():
    """Frankle & Carbin's Conv-2 / Conv-4 rates: 10 % of each convolution, 20 % of each FC layer, 10 % of the output."""
    model = ConvFC((8, 8, 3), 10, CONV_STAGES["conv4"])
    kinds = [type(layer).__name__ for layer in model.layers]
    assert kinds == ["Conv2d"] * 4 + ["Linear"] * 3
    # Conv-4 on 8x8: two poolings leave 128 x 2 x 2 features for FC 256, 256, 10
    sizes = [layer.weight.numel() for layer in model.layers]
    assert sizes == [3 * 64 * 9, 64 * 64 * 9, 64 * 128 * 9, 128 * 128 * 9, 512 * 256, 256 * 256, 256 * 10]
    rates = PruningRates(fc=0.2, output=0.1, conv=0.1)
    for round_ in (1, 2):
        prune_magnitude(model, rates)
        kept = [float(mask.mean()) for mask in masks_of(model)]
        expected = [0.9**round_] * 4 + [0.8**round_] * 2 + [0.9**round_]
        assert kept == pytest.approx(expected, abs=2 / 1728)  # a weight's rounding in the smallest layer
    with pytest.raises(ValueError, match="need images of at least 4 px"):
        ConvFC((2, 2, 1), 10, CONV_STAGES["conv4"])


def test_a_conv2_trial_runs_on_channels_first_images(tmp_path):
    images = torch.randint(0, 255, (40, 4, 4, 3), generator=torch.Generator().manual_seed(1)).numpy().astype("uint8")
    labels = (images[:, 0, 0, 0] > 127).astype(int)
    write_dataset(tmp_path / "d", images, labels, ["train"] * 30 + ["test"] * 10, ["a", "b"])
    data = load_images(tmp_path / "d", None, 0.2, 0, flatten=False)
    assert data.train[0].shape == (24, 3, 4, 4) and data.image_shape == (4, 4, 3)
    # the channels-first tensor holds the same pixels as the image
    assert data.train[0][0, 2, 1, 3] * 255 == pytest.approx(float(images[load_order(0, 30)[0], 1, 3, 2]), abs=1e-3)
    rows = pd.DataFrame(imp_trial(data, network_builder("conv2", [], data), CONFIG, 1,
                                  PruningRates(0.2, 0.1, 0.1), 0, ["random_reinit"], 0))
    assert list(rows["arm"]) == ["winning_ticket", "winning_ticket", "random_reinit"]
    # Conv-2 on 4x4 x 3: convolutions of 1,728 and 36,864 weights keep 90 %; one pooling leaves 64 x 2 x 2 = 256
    # features, so both FC layers are 256 x 256 and keep 80 %; the output layer (2 classes) keeps 90 %
    total = 1728 + 36864 + 2 * 256 * 256 + 512
    kept = round(0.9 * 1728) + round(0.9 * 36864) + 2 * round(0.8 * 256 * 256) + round(0.9 * 512)
    assert rows["remaining"].iloc[1] == pytest.approx(kept / total)


def load_order(seed, n_train):
    """The training rows ``load_images`` keeps: a seeded permutation less the validation part, sorted."""
    import numpy as np
    order = np.random.default_rng(seed).permutation(n_train)
    return np.sort(order[max(1, round(0.2 * n_train)):])
