import pandas as pd
import pytest
import torch

from dlrepro.data.dataset import write_dataset
from dlrepro.models.mlp import MLP
from dlrepro.train.engine import TrainConfig, train
from dlrepro.train.lottery import (ARMS, imp_trial, layer_weights, load_flat, lottery_table, masks_of,
                                   prune_magnitude, random_masks, rewind)

CONFIG = TrainConfig(epochs=2, batch_size=16, optimizer="adam", lr=0.01, progress=False)


def data(n=64, d=12, classes=3):
    generator = torch.Generator().manual_seed(0)
    x = torch.randn(n, d, generator=generator)
    return x, (x[:, 0] > 0).long() + (x[:, 1] > 0).long() * (classes - 2)


def test_pruning_removes_the_requested_fraction_of_the_remaining_weights_per_layer():
    model = MLP(12, [20, 10], 3)
    sizes = [layer.weight.numel() for layer in model.layers]  # 240, 200, 30
    prune_magnitude(model, 0.5, 0.2)
    assert [int(m.sum()) for m in masks_of(model)] == [120, 100, 24]
    prune_magnitude(model, 0.5, 0.2)  # of what remains: 60, 50, 24 - round(4.8) = 19
    assert [int(m.sum()) for m in masks_of(model)] == [60, 50, 19]
    kept = model.layers[0].weight_orig.abs()[masks_of(model)[0].bool()]
    dropped = model.layers[0].weight_orig.abs()[~masks_of(model)[0].bool()]
    assert kept.min() >= dropped.max() and sum(sizes) == 470


def test_the_mask_survives_retraining():
    model = MLP(12, [20], 3)
    prune_magnitude(model, 0.6, 0.3)
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
    prune_magnitude(model, 0.5, 0.5)
    rewind(model, initial)
    for layer, (weight, bias) in zip(model.layers, initial):
        survivors = layer.weight_mask.bool()
        assert torch.equal(layer.weight[survivors], weight[survivors]) and torch.equal(layer.bias, bias)


def test_random_masks_keep_each_layers_count_elsewhere():
    model = MLP(12, [20], 3)
    prune_magnitude(model, 0.7, 0.4)
    masks = masks_of(model)
    shuffled = random_masks(masks, torch.Generator().manual_seed(0))
    assert [int(m.sum()) for m in shuffled] == [int(m.sum()) for m in masks]
    assert not torch.equal(shuffled[0], masks[0])


def test_a_trial_trains_the_ticket_and_both_controls_each_round(tmp_path):
    images = torch.randint(0, 255, (90, 4, 4, 1), generator=torch.Generator().manual_seed(1)).numpy().astype("uint8")
    labels = images.reshape(90, -1)[:, 0] > 127
    write_dataset(tmp_path / "d", images, labels.astype(int), ["train"] * 60 + ["test"] * 30, ["a", "b"])
    flat = load_flat(tmp_path / "d", None, 0.2, 0)
    assert (len(flat.train[1]), len(flat.val[1]), len(flat.test[1]), flat.in_features) == (48, 12, 30, 16)
    rows = pd.DataFrame(imp_trial(flat, [8], CONFIG, 2, 0.5, 0.5, 1, ARMS, 0))
    assert list(rows["arm"]) == ["winning_ticket"] + list(ARMS) * 2
    assert list(rows["round"]) == [0, 1, 1, 1, 2, 2, 2]
    assert rows.groupby("round")["remaining"].nunique().eq(1).all()
    assert rows["remaining"].iloc[-1] == pytest.approx(0.25)
    table = lottery_table(rows)
    assert len(table) == 3 * 3 and (table.loc[table["round"] == 0, "remaining_percent"] == 100).all()
    with pytest.raises(ValueError, match="rewind_epoch=5"):
        imp_trial(flat, [8], CONFIG, 1, 0.5, 0.5, 5, ARMS, 0)
