"""S4 training: experiments are the base settings with their changes, the best run is chosen on
validation alone, and on the 451 real paintings the practical's network beats the majority class."""

import pytest

from dlrepro.data.folders import FolderSettings, prepare_image_folder
from dlrepro.report.artists import choose_best
from dlrepro.settings import resolve_section
from dlrepro.train.artists import experiment, load_network, load_splits, predictions, train_experiment
from tests.conftest import SHARED_DATA

ART = SHARED_DATA / "art_data" / "artists"


def test_an_experiment_is_the_base_with_its_changes():
    settings = resolve_section("s4", {
        "network": {"kernel": 3}, "train": {"lr": 0.05},
        "experiments": {"wd": {"train": {"weight_decay": 0.01}, "network": {"pool": True}}, "aug": {"augment": True}},
        "architectures": {"flat": {"channels": [8, 8, 8]}},
    })
    wd, aug, flat = experiment(settings, "wd"), experiment(settings, "aug"), experiment(settings, "flat")
    assert (wd.spec.kernel, wd.spec.pool, wd.train["lr"], wd.train["weight_decay"]) == (3, True, 0.05, 0.01)
    assert aug.augment and not wd.augment and aug.spec.kernel == 3
    assert (flat.group, flat.spec.channels, flat.spec.kernel) == ("architectures", (8, 8, 8), 3)
    assert flat.train == wd.train | {"weight_decay": 0.0}
    with pytest.raises(ValueError, match="no experiment or architecture 'nope'"):
        experiment(settings, "nope")


def test_the_best_run_is_chosen_on_validation_only():
    runs = [{"name": "a", "val_accuracy": 0.5, "val_loss": 1.0},
            {"name": "b", "val_accuracy": 0.7, "val_loss": 1.2},
            {"name": "c", "val_accuracy": 0.7, "val_loss": 0.9}]
    assert choose_best(runs)["name"] == "c"


@pytest.mark.skipif(not ART.is_dir(), reason=f"{ART} (the practical's 451 paintings) is absent")
def test_the_practicals_network_beats_the_majority_class_on_the_real_paintings(tmp_path):
    settings = FolderSettings(size=50, fit="pad", val_fraction=0.2, test_fraction=0.2)
    summary = prepare_image_folder(ART, tmp_path / "art", tmp_path / "SUMS", settings, {}, 0)
    assert summary.images == 451 and len(summary.classes) == 11 and "j. m. w. turner" in summary.classes
    s4 = resolve_section("s4", {"train": {"epochs": 15, "momentum": 0.9}})
    run = train_experiment(tmp_path / "art", experiment(s4, "baseline"), s4["robustness"]["strengths"], 0,
                           tmp_path / "run")
    splits = load_splits(tmp_path / "art")
    test = splits.data["test"]
    accuracy = float((predictions(load_network(tmp_path / "run", run), test) == test[1].numpy()).mean())
    majority = splits.majority_rate("test")
    assert 0.1 < majority < 0.2 and run["receptive_field"] == 13
    assert accuracy > majority + 0.1, (accuracy, majority)
