"""The scorecard rule: the run's S1 and S6 outputs next to the published numbers, in the report."""

import subprocess
from pathlib import Path

import pandas as pd
import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.workflow
def test_scorecard_puts_a_small_mnist_run_next_to_the_published_numbers(tmp_path, idx_mirror):
    mirror, manifest = idx_mirror
    config = {
        "seed": 0, "mirror": mirror.as_uri(), "checksums": str(manifest),
        "datasets": {"mnist": {"source": "mnist"}},
        "s1": {"datasets": ["mnist"], "extractors": {"pixels": {"kind": "pixels"}},
               "embeddings": {"methods": ["pca"], "max_points": 40},
               "classifiers": {"knn": {"kind": "knn", "n_neighbors": 5, "p": 1, "weights": "distance"}}},
        "s6": {"dataset": "mnist", "n_train": 100, "widths": [1, 2, 4], "epochs": 2},
    }
    (tmp_path / "config.yaml").write_text(yaml.safe_dump(config))
    command = ["snakemake", "--snakefile", str(REPO / "Snakefile"), "--directory", str(tmp_path),
               "--cores", "2", "--resources", "gpu=1"]
    subprocess.run(command, check=True, capture_output=True)

    card = pd.read_csv(tmp_path / "results" / "references.csv")
    knn = card[card["source"].str.contains("KNeighborsClassifier") & (card["dataset"] == "mnist")].iloc[0]
    accuracy = pd.read_csv(tmp_path / "results" / "s1" / "table.csv")["accuracy"].iloc[0]
    assert knn["ours"] == pytest.approx(accuracy) and knn["run"] == "pixels + knn (120 train)"
    assert knn["verdict"] == "not run at this scale (n_train 120 vs 60000)"
    s6 = card[card["study"] == "S6"]
    assert len(s6) == 2 and s6["verdict"].str.startswith("not run at this scale (n_train 100 vs 4000)").all()
    assert (card.loc[card["study"] == "S5", "verdict"] == "not run").all()
    report = (tmp_path / "results" / "report" / "index.html").read_text()
    assert "Reference scorecard" in report and "not run at this scale (n_train 120 vs 60000)" in report
