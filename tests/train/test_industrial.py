import numpy as np
import pandas as pd
import pytest

from dlrepro.data.dataset import write_dataset
from dlrepro.data.industrial import add_defects, render_die
from dlrepro.io import InputError
from dlrepro.train.industrial import knn_scores, pca_scores, run_images

SETTINGS = {"positive_class": "bad", "arch": "resnet18", "weights": "random", "mode": "full", "image_size": 32,
            "val_fraction": 0.2, "train": {"epochs": 2, "batch_size": 8, "optimizer": "adam", "lr": 0.001},
            "gradcam": {"layer": "layer2", "examples": 2}, "outlier": {"k": 3, "components": 5}}


def dies(tmp_path, classes=("bad", "good")):
    rng = np.random.default_rng(0)
    images, labels = [], []
    for number in range(32):
        die = render_die(32, rng)
        bad = number % 2 == 0
        images.append((add_defects(die, rng)[0] if bad else die)[..., None])
        labels.append(0 if bad else 1)  # the defective dies are the first class
    split = np.array(["train"] * 20 + ["test"] * 12)
    write_dataset(tmp_path / "dies", np.stack(images), np.array(labels), split, list(classes))
    return tmp_path / "dies"


def test_images_run_scores_every_test_image_and_maps_have_the_image_size(tmp_path):
    run = run_images(dies(tmp_path), SETTINGS, 0, tmp_path / "out")
    scores = pd.read_parquet(tmp_path / "out" / "scores.parquet")
    assert len(scores) == 12 == run["n_test"] and scores["defect"].sum() == 6
    assert scores["classifier"].between(0, 1).all() and (scores[["knn", "pca"]] >= 0).all().all()
    assert run["n_train_good"] == 10  # the outlier scores see the good images of the train split only
    examples = np.load(tmp_path / "out" / "gradcam.npz")
    assert examples["maps"].shape == (4, 32, 32) and examples["labels"].tolist() == [1, 1, 0, 0]
    assert np.array(run["confusion_matrix"]).sum() == 12


def test_a_dataset_without_the_defect_class_is_refused(tmp_path):
    with pytest.raises(InputError, match="s14.images.positive_class"):
        run_images(dies(tmp_path, ("scratched", "good")), SETTINGS, 0, tmp_path / "out")


def test_outlier_scores_grow_away_from_the_good_images():
    rng = np.random.default_rng(1)
    good = rng.normal(size=(50, 6)) @ np.diag([3, 2, 1, 0.01, 0.01, 0.01])
    near, far = good[:5] + 0.01, good[:5] + np.array([0, 0, 0, 2, 2, 2])
    assert (knn_scores(good, far, 3) > knn_scores(good, near, 3)).all()
    assert (pca_scores(good, far, 3, 0) > pca_scores(good, near, 3, 0)).all()
