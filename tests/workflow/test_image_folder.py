"""Image-folder datasets through the real snakemake: a tree the test writes, and CIFAR-10 as a JPEG archive."""

import numpy as np
import pandas as pd
import pytest
from PIL import Image

from dlrepro.data.dataset import load_dataset
from tests.conftest import SHARED_DATA
from tests.workflow.conftest import Workflow

CIFAR = SHARED_DATA / "cifar-10-jpeg" / "cifar10-jpeg.tar.gz"
CLASSES = {"Café Müller": (220, 60, 60), "j. m. w. turner": (60, 220, 60), "plain": (60, 60, 220)}


def s1_config(dataset: dict, classifier: dict) -> dict:
    return {
        "seed": 0,
        "datasets": {"images": {"source": "folder", **dataset}},
        "s1": {
            "datasets": ["images"],
            "extractors": {"pixels": {"kind": "pixels"}},
            "embeddings": {"methods": ["pca"], "max_points": 100},
            "classifiers": {"classifier": classifier},
        },
    }


def write_tree(root, per_class=10, size=(20, 14)):
    """Noisy images of one colour per class, a hidden file and a text file."""
    rng = np.random.default_rng(0)
    for name, colour in CLASSES.items():
        (root / name).mkdir(parents=True)
        for i in range(per_class):
            pixels = np.clip(rng.normal(colour, 40, size=(size[1], size[0], 3)), 0, 255).astype(np.uint8)
            Image.fromarray(pixels).save(root / name / f"{i:02d}.png")
    (root / "plain" / ".DS_Store").write_bytes(b"\0")
    (root / "README.txt").write_text("three colours")


@pytest.mark.workflow
def test_an_image_folder_runs_through_s1_and_an_added_image_reruns_it(tmp_path):
    write_tree(tmp_path / "my images")
    (tmp_path / "wf").mkdir()
    workflow = Workflow(tmp_path / "wf", s1_config({"images": str(tmp_path / "my images"), "size": 8},
                                                   {"kind": "knn", "n_neighbors": 3}))
    workflow.run("results/s1/table.csv")

    dataset = load_dataset(tmp_path / "wf/results/datasets/images")
    assert dataset.classes == sorted(CLASSES) and dataset.images.shape == (30, 8, 8, 3)
    table = pd.read_csv(tmp_path / "wf/results/s1/table.csv")
    assert table.loc[0, "accuracy"] > 0.9 and table.loc[0, "n_test"] == 9
    manifest = tmp_path / "wf/results/datasets/images.sha256"
    assert "Café Müller/00.png" in manifest.read_text()
    assert "skipped 1 hidden, 1 not an image" in (tmp_path / "wf/results/logs/prepare_image_folder/images.log").read_text()

    Image.new("RGB", (20, 14), CLASSES["plain"]).save(tmp_path / "my images/plain/new.png")
    assert workflow.planned_jobs().get("prepare_image_folder") == 1
    failed = workflow.run("results/datasets/images/images.npy", check=False)
    assert failed.returncode != 0
    log = (tmp_path / "wf/results/logs/prepare_image_folder/images.log").read_text()
    assert "plain/new.png: not in the manifest results/datasets/images.sha256" in log
    manifest.unlink()  # the documented fix: record the images as they are now
    workflow.run("results/datasets/images/images.npy")
    assert len(load_dataset(tmp_path / "wf/results/datasets/images").index) == 31


@pytest.mark.workflow
def test_images_in_one_folder_take_their_classes_from_a_labels_csv_and_an_edit_reruns_them(tmp_path):
    write_tree(tmp_path / "tree", per_class=4)
    flat = tmp_path / "all images"
    flat.mkdir()
    rows = ["file,label"]
    for image in sorted((tmp_path / "tree").glob("*/*.png")):
        image.rename(flat / f"{image.parent.name.replace(' ', '_')}-{image.name}")
        rows.append(f"{image.parent.name.replace(' ', '_')}-{image.name},{image.parent.name}")
    (tmp_path / "labels.csv").write_text("\n".join(rows) + "\n")
    (tmp_path / "wf").mkdir()
    config = s1_config({"images": str(flat), "labels": str(tmp_path / "labels.csv"), "size": 8},
                       {"kind": "knn", "n_neighbors": 1})
    workflow = Workflow(tmp_path / "wf", config)
    workflow.run("results/datasets/images/images.npy")
    assert load_dataset(tmp_path / "wf/results/datasets/images").classes == sorted(CLASSES)
    assert workflow.planned_jobs().get("prepare_image_folder") is None
    (tmp_path / "labels.csv").write_text("\n".join(rows[:-1]) + "\n")  # one image fewer
    assert workflow.planned_jobs().get("prepare_image_folder") == 1
    assert workflow.run("results/datasets/images/images.npy", check=False).returncode != 0
    log = (tmp_path / "wf/results/logs/prepare_image_folder/images.log").read_text()
    assert "labels.csv: SHA-256" in log and "results/datasets/images.sha256" in log


@pytest.mark.workflow
@pytest.mark.skipif(not CIFAR.is_file(), reason=f"{CIFAR} (CIFAR-10 as a JPEG tree) is absent")
def test_cifar10_from_its_jpeg_archive_pixels_and_logistic_regression_beat_35_percent(tmp_path):
    config = s1_config({"images": str(CIFAR), "max_train": 5000, "max_test": 1000},
                       {"kind": "logistic_regression", "C": 0.001})
    workflow = Workflow(tmp_path, config)
    workflow.run("results/s1/table.csv")

    index = load_dataset(tmp_path / "results/datasets/images").index
    assert index.groupby(["split", "label"]).size().unstack().values.tolist() == [[100] * 10, [500] * 10]
    accuracy = pd.read_csv(tmp_path / "results/s1/table.csv").loc[0, "accuracy"]
    # raw-pixel linear models reach about 40% on full CIFAR-10; 5,000 training images give about 37%
    assert accuracy > 0.35


@pytest.mark.workflow
def test_folder_settings_on_another_source_and_a_missing_folder_fail_with_the_key(tmp_path):
    config = s1_config({"images": str(tmp_path / "absent")}, {"kind": "knn"})
    config["datasets"]["digits"] = {"source": "digits", "size": 8}
    workflow = Workflow(tmp_path, config)
    output = workflow.run("--dry-run", check=False).stdout
    assert "config key datasets.digits: Unevaluated properties are not allowed ('size' was unexpected)" in output
    del config["datasets"]["digits"]
    workflow.write_config(config)
    result = workflow.run("--dry-run", check=False)
    assert result.returncode != 0
    assert f"datasets.images.images: {tmp_path / 'absent'} is neither a folder nor an archive" in result.stdout
