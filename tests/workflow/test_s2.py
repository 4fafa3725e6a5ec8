"""S2 through the real snakemake: generated drawings, a user folder with its manifest, real drawings."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
import yaml

from dlrepro.authentication.drawings import DISPUTED, read_drawing_labels
from dlrepro.authentication.generate import write_generated_drawings
from tests.conftest import SHARED_DATA

REPO = Path(__file__).resolve().parents[2]
RAPHAEL = SHARED_DATA / "raphael"
pytestmark = pytest.mark.workflow

TINY_S2 = {
    "generate": {"count": 6, "disputed": 1, "size": 48},
    "patches": {"size": 16, "stride": 16},
    "extractors": {"pixels": {"kind": "pixels"}, "scattering": {"kind": "scattering", "J": 1, "L": 4}},
    "classifiers": {"knn": {"kind": "knn", "n_neighbors": 1}, "rbf_svm": {"kind": "rbf_svm", "C": 10.0}},
}


def snakemake(folder: Path, s2: dict, *targets: str, check: bool = True) -> subprocess.CompletedProcess:
    # s5.smk reads its section while the workflow is parsed, so an empty one (schema defaults) is given
    config = {"seed": 0, "datasets": {"digits": {"source": "digits"}}, "s5": {}, "s2": s2}
    (folder / "config.yaml").write_text(yaml.safe_dump(config))
    command = [sys.executable, "-m", "snakemake", "-s", str(REPO / "Snakefile"), "--directory", str(folder),
               "--cores", "2", "--", *targets]
    done = subprocess.run(command, capture_output=True, text=True, timeout=600)
    if check:
        assert done.returncode == 0, done.stderr[-3000:]
    return done


def test_s2_on_generated_drawings(tmp_path):
    snakemake(tmp_path, TINY_S2, "results/s2/section.json")
    table = pd.read_csv(tmp_path / "results/s2/table.csv")
    assert len(table) == 4 and table["known_drawings"].eq(5).all()
    assert table["accuracy"].between(0, 1).all() and table["roc_auc"].between(0, 1).all()
    disputed = pd.read_csv(tmp_path / "results/s2/disputed.csv")
    assert disputed["drawing"].tolist() == [4] and disputed.shape[1] == 5
    section = json.loads((tmp_path / "results/s2/section.json").read_text())
    assert len(section["figures"]) == 4
    assert all((tmp_path / entry["path"]).stat().st_size > 5_000 for entry in section["figures"])
    log = (tmp_path / "results/logs/s2/verify_drawings.log").read_text()
    assert "ignored (name ends in a letter): 1A.png" in log
    assert "Nothing to be done" in snakemake(tmp_path, TINY_S2, "results/s2/section.json").stderr


def test_s2_records_then_checks_the_manifest_of_a_user_folder(tmp_path):
    folder = tmp_path / "my drawings"
    write_generated_drawings(folder, tmp_path / "labels.csv", count=6, disputed=1, size=32)
    (folder / "SHA256SUMS").unlink()
    s2 = {"drawings": str(folder), "labels": str(tmp_path / "labels.csv"), "patches": {"size": 16, "stride": 16}}
    snakemake(tmp_path, s2, "results/s2/drawings.csv")
    manifest = tmp_path / "results/s2/drawings.sha256"
    assert len(manifest.read_text().splitlines()) == 6

    (folder / "5.png").write_bytes((folder / "3.png").read_bytes())
    failed = snakemake(tmp_path, s2, "results/s2/drawings.csv", check=False)
    assert failed.returncode != 0
    log = (tmp_path / "results/logs/s2/verify_drawings.log").read_text()
    assert "5.png: SHA-256" in log and f"delete {manifest.relative_to(tmp_path)}" in log


@pytest.mark.skipif(not (RAPHAEL / "labels.csv").is_file(),
                    reason=f"{RAPHAEL} has no drawings and labels.csv: the Raphael drawings are not public")
def test_s2_on_the_real_drawings(tmp_path):
    shipped = (RAPHAEL / "SHA256SUMS").is_file()
    s2 = {"drawings": str(RAPHAEL), "labels": str(RAPHAEL / "labels.csv"),
          "manifest": None if shipped else str(tmp_path / "raphael.sha256"),
          "patches": {"size": 32, "stride": 32, "scale": 0.1},
          "extractors": {"scattering": {"kind": "scattering", "J": 2}},
          "classifiers": {"rbf_svm": {"kind": "rbf_svm", "C": 10.0}}}
    snakemake(tmp_path, s2, "results/s2/section.json")
    labels = read_drawing_labels(RAPHAEL / "labels.csv")
    table = pd.read_csv(tmp_path / "results/s2/table.csv")
    assert table["known_drawings"].item() == (labels["label"] != DISPUTED).sum()
    print(table.to_string())
    disputed = pd.read_csv(tmp_path / "results/s2/disputed.csv")
    assert sorted(disputed["drawing"]) == sorted(labels.loc[labels["label"] == DISPUTED, "number"])
