import numpy as np
import pandas as pd
import pytest
import torch

from dlrepro.data.dataset import write_dataset
from dlrepro.train.engine import TrainConfig, train
from dlrepro.train.finetune import build_finetune_model, finetune, head_inputs, imagenet_transform, train_val_test


def toy_dataset(folder, n=42):
    rng = np.random.default_rng(0)
    labels = np.arange(n) % 3
    images = rng.integers(0, 60, size=(n, 8, 8, 1), dtype=np.uint8)
    images[np.arange(n), 2 * labels, :, 0] = 250
    write_dataset(folder, images, labels, np.where(np.arange(n) < 30, "train", "test"), ["a", "b", "c"])
    return folder


def fit_one_epoch(folder, mode, tmp_path):
    data, classes = train_val_test(folder, val_fraction=0.2, seed=0)
    model = build_finetune_model("resnet18", "random", len(classes), mode, seed=0)
    before = {k: v.clone() for k, v in model.state_dict().items()}
    config = TrainConfig(epochs=1, batch_size=8, lr=0.05, progress=False)
    train(model, data, config, tmp_path / f"{mode}.parquet", transform=imagenet_transform(32))
    after = model.state_dict()
    changed = {k for k in before if not torch.equal(before[k], after[k])}
    return changed, data


def test_last_layer_mode_keeps_the_backbone_unchanged(tmp_path):
    changed, data = fit_one_epoch(toy_dataset(tmp_path / "toy"), "last_layer", tmp_path)
    assert changed == {"model.fc.weight", "model.fc.bias", "head.weight", "head.bias"}
    assert len(data["val"][1]) == 6 and len(data["train"][1]) == 24


def test_full_mode_changes_the_backbone(tmp_path):
    changed, _ = fit_one_epoch(toy_dataset(tmp_path / "toy"), "full", tmp_path)
    assert {"conv1.weight", "layer1.0.conv1.weight", "fc.weight"} <= changed


def test_transform_makes_normalised_rgb_of_the_requested_size():
    batch = torch.full((2, 8, 8, 1), 255, dtype=torch.uint8)
    out = imagenet_transform(16)(batch)
    assert out.shape == (2, 3, 16, 16)
    assert out[0, :, 0, 0].tolist() == pytest.approx([(1 - 0.485) / 0.229, (1 - 0.456) / 0.224, (1 - 0.406) / 0.225])


def test_the_same_finetuning_twice_gives_identical_curves(tmp_path):
    folder = toy_dataset(tmp_path / "toy")
    config = TrainConfig(epochs=2, batch_size=8, lr=0.05, progress=False)
    curves = []
    for run, unrelated_seed in enumerate((1, 2)):
        torch.manual_seed(unrelated_seed)  # whatever ran before in the process must not matter
        out = tmp_path / f"run{run}"
        finetune(folder, "resnet18", "random", "last_layer", 32, config, out / "curves.parquet", out)
        curves.append(pd.read_parquet(out / "curves.parquet").drop(columns="time_s"))
        assert not list(out.glob("checkpoint-*"))  # a finished run leaves no state to resume
    pd.testing.assert_frame_equal(curves[0], curves[1], check_exact=True)


def test_last_layer_trains_its_head_on_vectors_computed_once_as_if_through_the_network(tmp_path):
    folder = toy_dataset(tmp_path / "toy")
    config = TrainConfig(epochs=3, batch_size=8, lr=0.05, progress=False)
    data, classes = train_val_test(folder, val_fraction=0.1, seed=0)
    model = build_finetune_model("resnet18", "random", len(classes), "last_layer", seed=0)
    vectors, labels = head_inputs(model, data["test"], config, imagenet_transform(32))
    assert vectors.shape == (len(labels), 512)
    logits = model(imagenet_transform(32)(data["test"][0])).detach()  # predict left it in eval mode
    torch.testing.assert_close(model.head(vectors).detach(), logits, rtol=1e-4, atol=1e-5)
    # the same epochs trained through the frozen network give the same curves
    train(model, data, config, tmp_path / "through.parquet", transform=imagenet_transform(32))
    metrics = finetune(folder, "resnet18", "random", "last_layer", 32, config, tmp_path / "once.parquet", tmp_path)
    once, through = (pd.read_parquet(tmp_path / f"{name}.parquet").drop(columns="time_s") for name in ("once", "through"))
    pd.testing.assert_frame_equal(once, through, rtol=1e-4, atol=1e-5)
    assert metrics["epochs"] == 3
