"""S9's dreams: with the trained Sketch-a-Net (photo inverted into ink) and with a torchvision CNN."""

import json

import pytest
import torch

from dlrepro.data.doodles import doodle_set
from dlrepro.settings import resolve_section
from dlrepro.train.sketches import train_sketch_networks
from dlrepro.visualise.study import dream_study, inverted, sketch_picture

NET = {"first_kernel": 7, "first_stride": 2, "widths": [8, 8, 16, 16, 16], "fc": 32, "dropout": 0.0, "scales": [1.0],
       "train": {"epochs": 5, "batch_size": 8, "optimizer": "adam", "lr": 0.003}}


@pytest.fixture(scope="module")
def sketch_run(tmp_path_factory):
    root = tmp_path_factory.mktemp("s9")
    doodle_set(["house", "star", "sun"], 12, 32, seed=0).save(root / "sketches.npz")
    train_sketch_networks(root / "sketches.npz", NET | {"train": NET["train"] | {"progress": False}}, 0, root / "run")
    return root


def test_sketch_network_dreams_every_part(sketch_run, tmp_path):
    settings = resolve_section("s9.dream", {"size": 40, "layers": ["conv1", "conv3"], "step_sizes": [0.02],
                                            "steps": 4, "jitter": 2, "octaves": 2, "class_steps": 15,
                                            "sketch_classes": ["star", "house"]})
    record = dream_study(settings, 0, tmp_path, sketch_run / "run", sketch_run / "sketches.npz")
    assert record["guide"] == "a test sketch of class star" and record["weights"] == "trained here"
    assert all(curve[-1] > curve[0] for curve in record["curves"].values())
    assert all(last > first for first, last in record["sketch_class_logits"].values())
    assert record["guided_curve"][-1] > record["guided_curve"][0]
    dreams = torch.load(tmp_path / "dreams.pt", weights_only=True)
    assert dreams["photo"].shape[0] == 1 and min(dreams["photo"].shape[1:]) == 40
    assert dreams["guided"].shape == dreams["photo"].shape and len(dreams["octaves"]) == 2
    assert dreams["sketch_classes"]["house"].shape == (1, 32, 32) and dreams["classes"] == {}
    assert json.loads((tmp_path / "dream.json").read_text())["settings"]["steps"] == 4


def test_the_guide_sketch_is_dark_ink_on_white(sketch_run):
    from dlrepro.data.sketches import SketchSet

    guide = sketch_picture(SketchSet.load(sketch_run / "sketches.npz"), "sun")
    assert guide.shape == (1, 32, 32) and guide.max() == 1.0 and guide.mean() > 0.8
    assert inverted(guide).mean() < 0.2


def test_torchvision_network_dreams_imagenet_classes(tmp_path):
    settings = resolve_section("s9.dream", {"network": "alexnet", "weights": "random", "size": 72,
                                            "layers": ["features.4"], "step_sizes": [0.02], "steps": 2, "jitter": 2,
                                            "octaves": 1, "classes": [3], "class_size": 72, "class_steps": 3})
    record = dream_study(settings, 0, tmp_path)
    assert record["guide"].startswith("Minduka") and record["class_logits"]["3"][1] > record["class_logits"]["3"][0]
    assert torch.load(tmp_path / "dreams.pt", weights_only=True)["classes"]["3"].shape == (3, 72, 72)


def test_the_sketch_network_takes_no_imagenet_classes(tmp_path):
    settings = resolve_section("s9.dream", {"classes": [1]})
    with pytest.raises(ValueError, match="sketch_classes"):
        dream_study(settings, 0, tmp_path)
