from __future__ import annotations

import json

import numpy as np
import pandas as pd
from click.testing import CliRunner

from dlrepro.cli import main
from dlrepro.data.dataset import load_dataset
from dlrepro.features.pixels import pixels_extractor
from dlrepro.features.store import INDEX_COLUMNS, write_features


def invoke(*args: str):
    return CliRunner().invoke(main, ["raphael", *map(str, args)])


def test_generate_verify_evaluate_summarise(tmp_path):
    drawings, labels, table = tmp_path / "drawings", tmp_path / "labels.csv", tmp_path / "drawings.csv"
    done = invoke("generate", "--drawings", drawings, "--labels", labels, "--settings",
                  '{"count": 6, "disputed": 1, "size": 48}')
    assert done.exit_code == 0, done.output
    done = invoke("verify", "--drawings", drawings, "--labels", labels, "--manifest", drawings / "SHA256SUMS",
                  "--out", table)
    assert done.exit_code == 0, done.output
    assert "6 drawings, SHA-256 match" in done.output and "ignored (name ends in a letter): 1A.png" in done.output

    patches = tmp_path / "patches"
    settings = {"images": str(drawings), "labels": str(table), "size": 16, "stride": 16}
    done = CliRunner().invoke(main, ["patches", "--settings", json.dumps(settings), "--out", str(patches)])
    assert done.exit_code == 0, done.output
    dataset = load_dataset(patches)
    features = tmp_path / "pixels.parquet"
    write_features(features, [(dataset.index[list(INDEX_COLUMNS)], pixels_extractor()(np.asarray(dataset.images)))])

    out = tmp_path / "knn"
    done = invoke("evaluate", "--features", features, "--feature-kind", "pixels", "--patches", patches / "patches.parquet",
                  "--drawings-table", table, "--drawings", drawings, "--classifier", "knn",
                  "--settings", json.dumps({"classifiers": {"knn": {"kind": "knn", "n_neighbors": 1}},
                                            "patches": {"size": 16}}),
                  "--votes", out / "votes.parquet", "--decisions", out / "decisions.csv",
                  "--metrics", out / "metrics.json", "--figure", out / "votes.png")
    assert done.exit_code == 0, done.output
    metrics = json.loads((out / "metrics.json").read_text())
    assert (metrics["extractor"], metrics["classifier"], metrics["known_drawings"]) == ("pixels", "knn", 5)
    assert (metrics["scaling"], metrics["figure"], metrics["disputed_numbers"]) == ("none", str(out / "votes.png"), [4])
    decisions = pd.read_csv(out / "decisions.csv")
    assert decisions["number"].tolist() == [1, 2, 3, 4, 5, 6]
    assert metrics["accuracy"] == decisions["correct"].dropna().astype(bool).mean()
    assert (out / "votes.png").stat().st_size > 5_000

    summary = tmp_path / "summary"
    done = invoke("summarise", out / "metrics.json", "--table", summary / "t.csv",
                  "--disputed", summary / "d.csv", "--section", summary / "section.json")
    assert done.exit_code == 0, done.output
    section = json.loads((summary / "section.json").read_text())
    assert section["title"].startswith("S2") and section["figures"][0]["path"] == str(out / "votes.png")
    assert "5 known drawings" in section["intro"] and "(numbers 4)" in section["intro"]
    # generated drawings are not the course's: its disputed drawings are not quoted
    assert "none published for these drawings" in section["intro"] and "23" not in section["intro"]
    assert "32 px grayscale patches every 32 px" in json.dumps(section)  # s2.patches' defaults, worded
    disputed = pd.read_csv(summary / "d.csv")
    assert disputed["drawing"].tolist() == [4] and disputed["pixels / knn"].item().endswith(")")


def test_verify_names_the_changed_drawing(tmp_path):
    drawings, labels = tmp_path / "drawings", tmp_path / "labels.csv"
    assert invoke("generate", "--drawings", drawings, "--labels", labels, "--settings",
                  '{"count": 4, "disputed": 0, "size": 16}').exit_code == 0
    (drawings / "3.png").write_bytes((drawings / "2.png").read_bytes())
    done = invoke("verify", "--drawings", drawings, "--labels", labels, "--manifest", drawings / "SHA256SUMS",
                  "--out", tmp_path / "t.csv")
    assert done.exit_code == 1 and "Error: 3.png: SHA-256 " in done.output and "SHA256SUMS" in done.output
    assert not (tmp_path / "t.csv").exists()


def test_summarise_refuses_metrics_without_their_keys(tmp_path):
    old = tmp_path / "metrics.json"
    old.write_text(json.dumps({"extractor": "pixels", "classifier": "knn", "accuracy": 1.0}))
    done = invoke("summarise", old, "--table", tmp_path / "t", "--disputed", tmp_path / "d", "--section", tmp_path / "s")
    assert done.exit_code == 1 and "metrics lack decisions, figure or disputed_numbers" in done.output
    assert not (tmp_path / "t").exists()
