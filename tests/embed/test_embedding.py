import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

from dlrepro.cli import main
from dlrepro.embed.embedding import METHODS, embed_2d, embed_features, read_embedding_keys, stratified_subset


def test_subset_keeps_class_proportions_and_is_seeded():
    labels = np.repeat([0, 1, 2], [600, 300, 100])
    rows = stratified_subset(labels, 100, seed=3)
    assert len(rows) == 100 and len(np.unique(rows)) == 100
    assert np.bincount(labels[rows]).tolist() == [60, 30, 10]
    assert np.array_equal(rows, stratified_subset(labels, 100, seed=3))
    assert not np.array_equal(rows, stratified_subset(labels, 100, seed=4))
    assert np.array_equal(stratified_subset(labels[:50], 100, seed=0), np.arange(50))


@pytest.mark.parametrize("method", METHODS)
def test_each_method_gives_finite_2d_coordinates_deterministic_from_seed(digits_features, method):
    path, _ = digits_features
    first = embed_features(path, method, max_points=120, seed=1)
    assert list(first.columns) == ["id", "split", "label", "x", "y"]
    assert len(first) == 120 and first["id"].is_unique
    assert np.isfinite(first[["x", "y"]].to_numpy()).all()
    assert first[["x", "y"]].std().min() > 0
    pd.testing.assert_frame_equal(first, embed_features(path, method, max_points=120, seed=1))


def test_pca_separates_digit_classes_better_than_chance(digits_features):
    path, _ = digits_features
    frame = embed_features(path, "pca", max_points=400, seed=0)
    centres = frame.groupby("label")[["x", "y"]].mean()
    within = frame.groupby("label")[["x", "y"]].std().to_numpy().mean()
    assert centres.std().to_numpy().mean() > 0.5 * within


def test_unknown_method_and_too_few_rows_are_clear_errors():
    features = np.random.default_rng(0).normal(size=(20, 5))
    with pytest.raises(ValueError, match="unknown embedding method 'umap'"):
        embed_2d(features, "umap", seed=0)
    with pytest.raises(ValueError, match="at least 4 rows"):
        embed_2d(features[:3], "pca", seed=0)


def test_cli_writes_embedding_and_figure_with_class_names(digits_features, tmp_path):
    path, dataset = digits_features
    out, figure = tmp_path / "emb.parquet", tmp_path / "emb.png"
    result = CliRunner().invoke(
        main, ["embed", "--features", str(path), "--method", "pca", "--settings", '{"max_points": 50}',
               "--dataset-dir", str(dataset), "--out", str(out), "--figure", str(figure)]
    )
    assert result.exit_code == 0, result.output
    assert len(pd.read_parquet(out)) == 50
    assert figure.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert read_embedding_keys(out) == {"dataset": dataset.name, "extractor": "pixels", "method": "pca",
                                        "max_points": 50, "points": 50, "figure": str(figure)}


def test_files_without_keys_are_refused(digits_features):
    path, _ = digits_features
    with pytest.raises(ValueError, match="not an embedding written by `dlrepro embed`"):
        read_embedding_keys(path)
