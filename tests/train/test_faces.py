"""S3's runs through the engine: MLPs on face pixels, a classifier on features, fine-tuned AlexNet."""

import numpy as np
import pandas as pd
import pytest
import torch

from dlrepro.data.dataset import write_dataset
from dlrepro.data.faces import stand_in_faces
from dlrepro.features.store import write_features
from dlrepro.io import InputError
from dlrepro.models.torchvision_nets import load_cnn
from dlrepro.train.engine import TrainConfig
from dlrepro.train.faces import fine_tune_alexnet, fit_feature_classifier, fit_pixel_mlp


@pytest.fixture(scope="module")
def faces(tmp_path_factory):
    root = tmp_path_factory.mktemp("faces")
    for name, size, channels in (("faces-28", 28, 1), ("faces-63", 63, 3)):
        images, labels, split, classes = stand_in_faces(size, channels, seed=0)
        write_dataset(root / name, images, labels, split, classes)
    return root


def test_pixel_mlp_learns_the_stand_in_faces(faces, tmp_path):
    config = TrainConfig(epochs=30, batch_size=32, optimizer="adam", lr=1e-3, weight_decay=0.01, progress=False)
    summary = fit_pixel_mlp(faces / "faces-28", 300, config, tmp_path)
    assert summary["test_accuracy"] > 0.6 > 1 / 6, summary
    assert summary["image_shape"] == [28, 28, 1] and summary["n_train"] == 144 and summary["weight_decay"] == 0.01
    metrics = pd.read_parquet(tmp_path / "metrics.parquet")
    assert len(metrics) == 30 and summary["test_accuracy"] == pytest.approx(1 - metrics["test_error"].iloc[-1])
    state = torch.load(tmp_path / "model.pt", weights_only=True)
    assert state["1.weight"].shape == (300, 784) and state["3.weight"].shape == (6, 300)


def test_feature_classifier_standardises_on_train(tmp_path):
    rng = np.random.default_rng(0)
    labels = np.repeat([0, 1], 30)
    features = rng.normal(size=(60, 5)) * 1000 + 5000  # large offset and scale: unusable unless standardised
    features[:, 0] += labels * 3000
    split = np.array((["train"] * 20 + ["test"] * 10) * 2)
    index = pd.DataFrame({"id": np.arange(60), "split": split, "label": labels, "group": np.arange(60)})
    write_features(tmp_path / "f.parquet", [(index, features)])
    config = TrainConfig(epochs=20, batch_size=8, optimizer="adam", lr=1e-2, progress=False)
    summary = fit_feature_classifier(tmp_path / "f.parquet", ["a", "b"], 8, config, tmp_path / "run")
    assert summary["test_accuracy"] > 0.9 and np.isnan(summary["val_accuracy"]), summary
    assert summary["input"] == "5 conv4 activations"
    with pytest.raises(InputError, match="needs train and test rows"):
        write_features(tmp_path / "g.parquet", [(index.assign(split="train"), features)])
        fit_feature_classifier(tmp_path / "g.parquet", ["a", "b"], 8, config, tmp_path / "run2")


def test_fine_tuned_alexnet_is_saved_as_a_six_way_alexnet(faces, tmp_path):
    config = TrainConfig(epochs=1, batch_size=48, optimizer="adam", lr=1e-4, schedule="cosine", progress=False)
    summary = fine_tune_alexnet(faces / "faces-63", "random", "last_layer", 63, config, tmp_path)
    assert summary["kind"] == "alexnet_last_layer" and summary["n_test"] == 48 and summary["epochs"] == 1
    model = load_cnn("alexnet", str(tmp_path / "model.pt"))
    assert model.classifier[-1].out_features == 6
    frozen = load_cnn("alexnet", "random", seed=0)
    assert torch.equal(model.features[0].weight, frozen.features[0].weight), "last_layer trains only the head"
    assert not list(tmp_path.glob("checkpoint-*.pt")), "the resumable state is removed on success"
