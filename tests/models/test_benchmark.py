import numpy as np
from click.testing import CliRunner

from dlrepro.cli import main
from dlrepro.models.benchmark import BENCH_CLASSIFIERS, benchmark_classifier, synthetic_features


def test_synthetic_features_are_pixel_like_with_a_constant_border():
    rows, labels = synthetic_features(200, 50, seed=1)
    assert rows.dtype == np.float32 and rows.min() >= 0 and rows.max() <= 1
    assert (rows.std(axis=0) == 0).any() and sorted(set(labels)) == list(range(10))


def test_benchmark_times_a_classifier_with_its_default_scaling():
    rows, labels = synthetic_features(300, 40)
    row = benchmark_classifier("knn", BENCH_CLASSIFIERS["knn"], "scattering", rows[:200], labels[:200], rows[200:],
                               labels[200:], threads=1)
    assert (row.classifier, row.scaling, row.n_train, row.n_test, row.dim) == ("knn", "min_max", 200, 100, 40)
    assert row.fit_s > 0 and row.predict_s > 0 and row.accuracy > 0.5


def test_bench_classifiers_prints_one_row_per_classifier():
    result = CliRunner().invoke(main, ["bench", "classifiers", "--n-train", "200", "--n-test", "50", "--dim", "30",
                                       "--classifier", "lda", "--classifier", "linear_svm", "--threads", "1"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("generated (pixels): 200 train / 50 test rows, 30 features")
    assert [line.split()[:2] for line in lines[2:]] == [["lda", "none"], ["linear_svm", "none"]]


def test_bench_classifiers_rejects_unknown_names():
    result = CliRunner().invoke(main, ["bench", "classifiers", "--classifier", "svm"])
    assert result.exit_code == 1 and f"choose from {sorted(BENCH_CLASSIFIERS)}" in result.output


def test_bench_classifiers_times_the_classifiers_of_merged_config_files(tmp_path):
    preset = tmp_path / "preset.yaml"
    preset.write_text("s1:\n  classifiers:\n    lda: null\n    forest: {kind: random_forest, n_estimators: 5}\n")
    result = CliRunner().invoke(main, ["bench", "classifiers", "--n-train", "200", "--n-test", "50", "--dim", "30",
                                       "--configfile", "config.yaml", "--configfile", str(preset), "--threads", "1"])
    assert result.exit_code == 0, result.output
    names = [line.split()[0] for line in result.output.splitlines()[2:]]
    assert "forest" in names and "lda" not in names and "knn" in names


def test_bench_classifiers_needs_classifiers_in_its_config_files(tmp_path):
    empty = tmp_path / "empty.yaml"
    empty.write_text("seed: 1\n")
    result = CliRunner().invoke(main, ["bench", "classifiers", "--configfile", str(empty)])
    assert result.exit_code == 1 and "no s1.classifiers to time" in result.output
