"""`dlrepro bench plan`: per-job estimates of an S1 config, measured on this machine."""

import yaml
from click.testing import CliRunner

from dlrepro.cli import main
from dlrepro.features.plan import SCALING, classifier_cost, load_config, merge, plan_s1, work
from dlrepro.models.classifiers import CLASSIFIERS

CONFIG = {
    "resources": {"default": {"runtime": 60, "mem_mb": 4000}, "s1_fit_classifier": {"runtime": 1, "mem_mb": 1}},
    "datasets": {"digits": {"source": "digits"}, "mnist": {"source": "mnist", "max_train": 2000, "max_test": 500}},
    "s1": {
        "datasets": ["digits", "mnist"],
        "extractors": {"pixels": {"kind": "pixels"}},
        "classifiers": {"lda": {"kind": "lda"}, "knn": {"kind": "knn", "n_neighbors": 5}},
    },
}


def test_every_classifier_kind_has_a_scaling():
    assert set(SCALING) == set(CLASSIFIERS)


def test_a_preset_is_merged_key_by_key(tmp_path):
    (tmp_path / "base.yaml").write_text(yaml.safe_dump(CONFIG))
    (tmp_path / "preset.yaml").write_text(yaml.safe_dump({"s1": {"classifiers": {"knn": {"n_neighbors": 3}}}}))
    config = load_config([tmp_path / "base.yaml", tmp_path / "preset.yaml"])
    assert config["s1"]["classifiers"] == {"lda": {"kind": "lda"}, "knn": {"kind": "knn", "n_neighbors": 3}}
    assert merge({"a": {"b": 1}}, {"a": 2}) == {"a": 2}


def test_one_estimate_per_job_with_the_datasets_sizes_and_limits():
    jobs = plan_s1(CONFIG, device="cpu", calibration=200)
    assert [(j.rule, j.dataset, j.classifier) for j in jobs] == [
        ("extract_features", "digits", ""), ("s1_fit_classifier", "digits", "lda"), ("s1_fit_classifier", "digits", "knn"),
        ("extract_features", "mnist", ""), ("s1_fit_classifier", "mnist", "lda"), ("s1_fit_classifier", "mnist", "knn"),
    ]
    assert [j.images for j in jobs[:3]] == [1797] * 3 and [j.images for j in jobs[3:]] == [2500] * 3
    assert [j.dim for j in jobs] == [64] * 3 + [784] * 3
    assert all(j.seconds > 0 for j in jobs)
    # s1_fit_classifier gets 1 MB here: every fit is over it, extraction is not
    assert [j.fits for j in jobs] == [True, False, False] * 2


def test_a_quadratic_solver_is_scaled_by_the_square_of_the_size():
    """Both timed on 100 images; the first is scaled to 10,000 images by (10,000 / 100)^2."""
    knn = classifier_cost({"kind": "knn"}, 16, 10_000, 1000, calibration=100)
    knn_small = classifier_cost({"kind": "knn"}, 16, 100, 10, calibration=100)
    assert knn / knn_small > 100


def test_the_command_prints_each_job_and_marks_those_over_budget(tmp_path):
    (tmp_path / "config.yaml").write_text(yaml.safe_dump(CONFIG))
    result = CliRunner().invoke(main, ["bench", "plan", "--configfile", str(tmp_path / "config.yaml"),
                                       "--device", "cpu", "--calibration", "100"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert sum(line.endswith("OVER") for line in lines) == 4
    assert [line.split()[:2] for line in lines[1:7]] == [["extract_features", "digits"]] + \
        [["s1_fit_classifier", "digits"]] * 2 + [["extract_features", "mnist"]] + [["s1_fit_classifier", "mnist"]] * 2
    # the S1 study's total, then all studies' (no training job: s1.finetune has no modes here)
    assert lines[-2].split()[-5:-2] == ["classifiers", "6", lines[-2].split()[-3]] and lines[-2].endswith(" 4")
    assert lines[-1].split()[:2] == ["all", "6"] and lines[-1].split()[4] == "4"


def test_a_config_without_a_study_to_plan_is_refused(tmp_path):
    (tmp_path / "config.yaml").write_text(yaml.safe_dump({"datasets": {}}))
    result = CliRunner().invoke(main, ["bench", "plan", "--configfile", str(tmp_path / "config.yaml")])
    assert result.exit_code == 1 and "no study to plan" in result.output


def test_the_nystroem_map_grows_quadratically_until_its_components_then_linearly():
    settings = {"kind": "nystroem_svm", "n_components": 100}
    assert work(settings, 50) / work(settings, 25) == 4
    assert work(settings, 400) / work(settings, 200) == 2


def test_a_source_of_unknown_size_is_named(tmp_path):
    config = CONFIG | {"datasets": {"digits": {"source": "faces"}}}
    (tmp_path / "config.yaml").write_text(yaml.safe_dump(config | {"s1": CONFIG["s1"] | {"datasets": ["digits"]}}))
    result = CliRunner().invoke(main, ["bench", "plan", "--configfile", str(tmp_path / "config.yaml")])
    assert result.exit_code == 1
    assert "datasets.digits: the plan knows the sizes of digits, mnist" in result.output
    assert "not of source 'faces'" in result.output
