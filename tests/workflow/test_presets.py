"""The paper-scale preset plans the full-size studies; config.yaml plans without any one study."""

import re
from pathlib import Path

import pytest
import yaml

from tests.conftest import SHARED_DATA
from tests.data.flickr8k_folder import make_flickr8k
from tests.workflow.conftest import REPO, Workflow


ART = SHARED_DATA / "art_data"


def art_data_at(path: Path) -> str:
    """A config file pointing S4's art_data at the shared copy of the paintings (or an empty tree)."""
    images = ART / "artists" if ART.is_dir() else path.parent / "artists"
    if not ART.is_dir():
        for artist in ("a. b", "c d"):
            (images / artist).mkdir(parents=True)
            (images / artist / "1.png").write_bytes(b"")
    path.write_text(yaml.safe_dump({"datasets": {"art_data": {"images": str(images)}}}))
    return str(path)


def tu_berlin_at(path: Path, classes: list[str]) -> str:
    """A config file pointing S9 at a TU-Berlin-style folder of one (empty) SVG per class: the presets
    name the user's copy, absent here."""
    folder = path.parent / "tu-berlin"
    for name in classes:
        (folder / name).mkdir(parents=True)
        (folder / name / "1.svg").write_bytes(b"")
    path.write_text(yaml.safe_dump({"s9": {"sketches": {"folder": str(folder)}}}))
    return str(path)


def preset_classes(preset: str) -> list[str]:
    classes = yaml.safe_load((REPO / "workflow" / "presets" / preset).read_text())["s9"]["sketches"]["classes"]
    return classes or ["airplane", "house"]


def flickr8k_at(path: Path) -> str:
    """A config file pointing S13 at a tiny folder in Flickr8K's layout (Flickr8K is not on this machine)."""
    make_flickr8k(path.parent / "Flickr8k", {"train": 2, "val": 1, "test": 1})
    path.write_text(yaml.safe_dump({"s13": {"data": {"flickr8k": str(path.parent / "Flickr8k")}}}))
    return str(path)


def s14_data_at(folder: Path) -> str:
    """A config file pointing S14 at a tiny Nexperia-style tree and a dated CSV (the real ones are not public)."""
    for label in ("bad", "good"):
        (folder / "nexperia" / label).mkdir(parents=True)
        (folder / "nexperia" / label / "1.png").write_bytes(b"")
    (folder / "series.csv").write_text("date,x,target,linear_prediction\n2021-01-04,1,0.1,0.2\n")
    path = folder / "s14.yaml"
    path.write_text(yaml.safe_dump({"datasets": {"nexperia": {"images": str(folder / "nexperia")}},
                                    "s14": {"timeseries": {"csv": str(folder / "series.csv")}}}))
    return str(path)


def test_paper_preset_plans_the_full_size_studies(tmp_path):
    workflow = Workflow(tmp_path, yaml.safe_load((REPO / "config.yaml").read_text()))
    plan = workflow.run("--configfile", "workflow/presets/paper.yaml", art_data_at(tmp_path / "art.yaml"),
                        tu_berlin_at(tmp_path / "s9.yaml", preset_classes("paper.yaml")),
                        flickr8k_at(tmp_path / "flickr8k.yaml"), s14_data_at(tmp_path / "s14"),
                        "--dry-run", "--quiet", "rules").stdout
    jobs = {rule: int(count) for rule, count in re.findall(r"^(\w+) +(\d+)$", plan, flags=re.MULTILINE)}
    # MNIST and Fashion-MNIST have 4 raw files each, CIFAR-10 one archive, FaceScrub its list;
    # config.yaml's digits is switched off
    assert jobs["fetch_raw"] == 10 and jobs["prepare_dataset"] == 3
    # 3 datasets x 6 extractors for S1; S2 is off (its drawings are not public)
    assert jobs["extract_features"] == 3 * 6 and jobs["s1_finetune_cnn"] == 3 * 2
    assert jobs["s1_fit_classifier"] == 3 * 6 * 6
    assert jobs["s6_sweep"] == 1 and jobs["s5_summarise"] == 1
    assert not any(rule.startswith("s2_") for rule in jobs)
    # the FaceScrub section builds the two datasets S3 runs on (ImageNet AlexNet on the 227 px one)
    assert jobs["facescrub_fetch"] == 1 and jobs["facescrub_dataset"] == 2
    assert jobs["s3_mlp"] == 3 and jobs["s3_finetune"] == 2 and jobs["s3_summarise"] == 1
    # S4 on the practical's paintings (a folder the user gives), not the generated stand-in
    # (the image folders: S4's paintings and S14's Nexperia images)
    assert jobs["s4_train"] == 17 and jobs["prepare_image_folder"] == 2 and "s4_generate_paintings" not in jobs
    # S7: Mnih et al.'s three canvases, each for the FC net, the conv net and RAM with 4, 6 and 8 glimpses
    assert jobs["s7_canvases"] == 3 and jobs["s7_train"] == 3 * 5
    # S8: per dataset the scoring classifier and the VAE and GAN with its three objectives
    assert jobs["s8_classifier"] == 3 and jobs["s8_train"] == 3 * 4 and jobs["s8_summarise"] == 1
    # S10: one palindrome sweep per cell and the row LSTM on MNIST; S11: MLPs and VGG nets on MNIST and Fashion-MNIST
    assert jobs["s10_palindromes"] == 2 and jobs["s10_row_lstm"] == 1 and jobs["s11_sweep"] == 2 * 2
    # S12: one job per part; the bounds measure S5's MLPs (CIFAR-10 here) and S6's widths (MNIST)
    assert jobs["s12_teacher_student"] == jobs["s12_lottery"] == jobs["s12_bounds"] == jobs["s12_summarise"] == 1
    # S9: TU-Berlin's sketches (the user's folder), Sketch-a-Net, dreams with ImageNet VGG-16
    assert jobs["s9_sketches"] == jobs["s9_sketch_a_net"] == jobs["s9_dream"] == jobs["s9_summarise"] == 1
    # S13: Flickr8K (the user's folder) read and verified, the captioner, its summary
    assert jobs["s13_dataset"] == jobs["s13_train"] == jobs["s13_summarise"] == 1
    # S14 on the user's images and table, not the generated stand-ins
    assert jobs["s14_images"] == jobs["s14_timeseries"] == jobs["s14_summarise"] == 1 and "s14_standins" not in jobs


def test_paper_preset_option_runs_the_lottery_on_conv4_and_cifar10(tmp_path):
    workflow = Workflow(tmp_path, yaml.safe_load((REPO / "config.yaml").read_text()))
    run = workflow.run("--configfile", "workflow/presets/paper.yaml", art_data_at(tmp_path / "art.yaml"),
                       "workflow/presets/paper-conv-lottery.yaml", "--dry-run", "--printshellcmds", "--",
                       "results/s12/lottery/runs.parquet")
    command = next(line for line in (run.stdout + run.stderr).splitlines() if "dlrepro landscape lottery" in line)
    assert "results/datasets/cifar10" in command
    assert all(f'"{key}": {value}' in command for key, value in
               [("network", '"conv4"'), ("conv_fraction", 0.1), ("prune_fraction", 0.2), ("output_fraction", 0.1)])


def test_null_switches_off_studies_and_entries_from_a_config_file_or_the_command_line(tmp_path):
    """S1 alone on MNIST, without the CNN features and the fine-tuning of config.yaml."""
    workflow = Workflow(tmp_path, yaml.safe_load((REPO / "config.yaml").read_text()))
    (tmp_path / "mnist.yaml").write_text(yaml.safe_dump({
        "datasets": {"mnist": {"source": "mnist"}},
        "s1": {"datasets": ["mnist"], "extractors": {"resnet18": None}, "finetune": None,
               "classifiers": {name: None for name in ("linear_svm", "rbf_svm", "random_forest", "knn")}},
        "s5": None,
        "s7": None,
        "s8": None,
        "s9": None,
        "s10": None,
        "s11": None,
        "s12": None,
        "s13": None,
        "s14": None,
    }))
    plan = workflow.run("--configfile", "mnist.yaml", "--config", "s2=null", "s3=null", "s4=null", "s6=null", "--dry-run",
                        "--quiet", "rules").stdout
    jobs = {rule: int(count) for rule, count in re.findall(r"^(\w+) +(\d+)$", plan, flags=re.MULTILINE)}
    assert jobs == {"fetch_raw": 4, "prepare_dataset": 1, "extract_features": 2, "s1_embed_features": 2 * 4,
                    "s1_fit_classifier": 2 * 2, "s1_summarise": 1, "scorecard": 1, "report": 1, "all": 1,
                    "total": 23}


@pytest.mark.parametrize("study", ["s1", "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9", "s10", "s11", "s12", "s13",
                                   "s14"])
def test_config_yaml_without_a_study_plans_the_others(tmp_path, study):
    config = yaml.safe_load((REPO / "config.yaml").read_text())
    del config[study]
    plan = Workflow(tmp_path, config).run("--dry-run", "--quiet", "rules").stdout
    rules = set(re.findall(r"^(\w+) +\d+$", plan, flags=re.MULTILINE))
    assert "report" in rules and not any(study in rule.split("_") for rule in rules)


def test_laptop_preset_plans_the_real_datasets_at_subset_size_and_the_scorecard(tmp_path):
    workflow = Workflow(tmp_path, yaml.safe_load((REPO / "config.yaml").read_text()))
    plan = workflow.run("--configfile", "workflow/presets/laptop.yaml", art_data_at(tmp_path / "art.yaml"),
                        tu_berlin_at(tmp_path / "s9.yaml", preset_classes("laptop.yaml")),
                        flickr8k_at(tmp_path / "flickr8k.yaml"), s14_data_at(tmp_path / "s14"),
                        "--dry-run", "--quiet", "rules").stdout
    jobs = {rule: int(count) for rule, count in re.findall(r"^(\w+) +(\d+)$", plan, flags=re.MULTILINE)}
    # MNIST and Fashion-MNIST (4 raw files each) and the FaceScrub list; the digits, the stand-in
    # faces, S2 and the CNN are switched off
    assert jobs["fetch_raw"] == 9 and jobs["prepare_dataset"] == 3  # and all of MNIST for S7
    assert jobs["facescrub_dataset"] == 2 and jobs["s3_mlp"] == 3 and jobs["s3_finetune"] == 2
    # 2 datasets x 2 extractors (pixels, scattering) x 6 classifiers, no fine-tuning
    assert jobs["s1_fit_classifier"] == 2 * 2 * 6 and "s1_finetune_cnn" not in jobs
    assert not any(rule.startswith("s2_") for rule in jobs)
    assert jobs["s6_sweep"] == 1 and jobs["scorecard"] == 1 and jobs["report"] == 1
    assert jobs["s4_train"] == 17 and "s4_generate_paintings" not in jobs  # the real paintings
    assert jobs["s7_canvases"] == 2 and jobs["s7_train"] == 2 * 4
    assert jobs["s8_classifier"] == 2 and jobs["s8_train"] == 2 * 4  # real MNIST and Fashion-MNIST
    assert jobs["s10_palindromes"] == 2 and jobs["s10_row_lstm"] == 1 and jobs["s11_sweep"] == 2 * 2
    assert jobs["s12_teacher_student"] == jobs["s12_lottery"] == jobs["s12_bounds"] == jobs["s12_summarise"] == 1
    assert jobs["s9_sketches"] == jobs["s9_sketch_a_net"] == jobs["s9_dream"] == jobs["s9_summarise"] == 1
    assert jobs["s13_dataset"] == jobs["s13_train"] == jobs["s13_summarise"] == 1  # on the user's Flickr8K
    assert jobs["s14_images"] == jobs["s14_timeseries"] == 1 and "s14_standins" not in jobs
    laptop = yaml.safe_load((REPO / "workflow" / "presets" / "laptop.yaml").read_text())
    assert laptop["datasets"]["art_data"]["images"] == "../shared/data/art_data/artists"
    assert laptop["s13"]["data"]["flickr8k"] == "Flickr8k"  # absent here: the test points it at a tiny copy
    assert all(entry["max_train"] <= 10_000 for name, entry in laptop["datasets"].items()
               if entry and entry["source"] != "folder" and name != laptop["s7"]["dataset"])
