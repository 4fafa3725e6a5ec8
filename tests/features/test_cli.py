"""The ``dlrepro features`` and ``dlrepro bench features`` commands, run through click."""

import numpy as np
from click.testing import CliRunner

from dlrepro.cli import main
from dlrepro.features.store import read_features


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def test_extract_writes_the_table(dataset_dir, tmp_path):
    out = tmp_path / "scattering.parquet"
    result = run("features", "extract", "--dataset", dataset_dir, "--settings",
                 '{"kind": "scattering", "J": 1, "L": 4, "max_order": 1}', "--batch-size", 4, "--device", "cpu", "--out", out)
    assert result.exit_code == 0, result.output
    assert f"{out}: 10 rows" in result.output
    features, _ = read_features(out)
    assert features.shape == (10, 5 * 8 * 8) and np.isfinite(features).all()


def test_a_setting_of_another_kind_is_refused(dataset_dir, tmp_path):
    result = run("features", "extract", "--dataset", dataset_dir, "--settings", '{"kind": "pixels", "J": 3}',
                 "--out", tmp_path / "x.parquet")
    assert result.exit_code == 1
    assert result.output.strip() == (
        "Error: config key s1.extractors.<name>: Additional properties are not allowed ('J' was unexpected); "
        "fix it in the config (or in --settings)"
    )
    assert not (tmp_path / "x.parquet").exists()


def test_a_missing_weights_file_is_named(dataset_dir, tmp_path):
    result = run("features", "extract", "--dataset", dataset_dir, "--settings",
                 f'{{"kind": "torchvision", "weights": "{tmp_path / "missing.pt"}", "image_size": 32}}', "--device", "cpu", "--out", tmp_path / "x.parquet")
    assert result.exit_code == 1
    assert f"Error: weights file {tmp_path / 'missing.pt'} not found" in result.output


def test_an_unknown_layer_lists_the_choices(dataset_dir, tmp_path):
    result = run("features", "extract", "--dataset", dataset_dir, "--settings",
                 '{"kind": "torchvision", "arch": "vgg19", "layer": "conv4"}', "--out", tmp_path / "x.parquet")
    assert result.exit_code == 1
    assert "vgg19 has no layer 'conv4'; choose one of ['fc6', 'fc7', 'features']" in result.output


def test_bench_prints_one_row_per_extractor():
    result = run("bench", "features", "--n-images", 8, "--image-size", 16, "--batch-size", 4,
                 "--extractor", "pixels", "--extractor", "scattering")
    assert result.exit_code == 0, result.output
    rows = [line.split() for line in result.output.splitlines()[2:]]
    assert [(r[0], r[1], int(r[2])) for r in rows] == [("pixels", "cpu", 256), ("scattering", "cpu", 81 * 16)]
    assert all(float(value) > 0 for r in rows for value in r[4:])


def test_bench_refuses_an_unknown_extractor():
    result = run("bench", "features", "--extractor", "sift")
    assert result.exit_code == 1 and "unknown extractor ['sift']" in result.output
