"""The S1 rules run by the real snakemake on digits pixels written by the test (no extractor needed)."""

import json
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from dlrepro.features.store import write_features

SNAKEFILE = Path(__file__).resolve().parents[2] / "Snakefile"
CONFIG = {
    "seed": 0,
    "datasets": {"digits": {"source": "digits"}},
    "s1": {
        "datasets": ["digits"],
        "extractors": {"pixels": {"kind": "pixels"}},
        "embeddings": {"methods": ["pca", "isomap"], "max_points": 80},
        "classifiers": {"lda": {"kind": "lda"}, "knn": {"kind": "knn", "n_neighbors": 5}},
    },
}


def snakemake(workdir: Path, *args: str) -> str:
    command = [str(Path(sys.executable).parent / "snakemake"), "-s", str(SNAKEFILE), "--cores", "1", *args]
    done = subprocess.run(command, cwd=workdir, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout + done.stderr


@pytest.mark.workflow
def test_s1_summary_builds_and_one_parameter_reruns_only_its_classifier(tmp_path, digits_features):
    features, dataset = digits_features
    for name in ("images.npy", "index.parquet"):
        (tmp_path / "results/datasets/digits").mkdir(parents=True, exist_ok=True)
        (tmp_path / "results/datasets/digits" / name).write_bytes((dataset / name).read_bytes())
    table = pd.read_parquet(features)
    matrix = np.stack(table.pop("features").to_numpy())
    write_features(tmp_path / "results/features/digits/pixels.parquet", [(table, matrix)])
    (tmp_path / "config.yaml").write_text(yaml.safe_dump(CONFIG, sort_keys=False))

    snakemake(tmp_path, "results/s1/section.json")
    summary = pd.read_csv(tmp_path / "results/s1/table.csv")
    assert list(summary["classifier"]) == ["lda", "knn"] and summary["accuracy"].gt(0.8).all()
    section = json.loads((tmp_path / "results/s1/section.json").read_text())
    paths = [figure["path"] for figure in section["figures"]]
    assert "results/figures/s1/digits/pixels/embedding_isomap.png" in paths
    assert all((tmp_path / path).is_file() for path in paths)

    CONFIG["s1"]["classifiers"]["knn"]["n_neighbors"] = 3
    (tmp_path / "config.yaml").write_text(yaml.safe_dump(CONFIG, sort_keys=False))
    plan = snakemake(tmp_path, "--dry-run", "results/s1/section.json")
    jobs = dict(re.findall(r"^(\w+) +(\d+)$", plan, flags=re.MULTILINE))
    assert jobs == {"s1_fit_classifier": "1", "s1_summarise": "1", "total": "2"}
    assert "classifier=knn" in plan and "classifier=lda" not in plan
