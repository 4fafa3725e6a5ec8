import json
import subprocess
from pathlib import Path

import pandas as pd
import pytest

REPO = Path(__file__).resolve().parents[2]
TINY = """
seed: 0
datasets:
  digits: {source: digits}
s6:
  n_train: 60
  widths: [40, 2, 6]
  epochs: 3
"""


@pytest.mark.workflow
def test_s6_runs_end_to_end_on_a_tiny_config(tmp_path):
    (tmp_path / "config.yaml").write_text(TINY)
    command = ["snakemake", "results/s6/section.json", "--snakefile", str(REPO / "Snakefile"),
               "--directory", str(tmp_path), "--cores", "2", "--resources", "gpu=1"]
    subprocess.run(command, check=True, capture_output=True)
    table = pd.read_csv(tmp_path / "results/s6/table.csv")
    # digits: d = 64, K = 10, nK = 600: H = 2, 6 lie below (reused from the smaller one), H = 40 above
    assert list(table["width"]) == [2, 6, 40]
    assert list(table["reused"]) == [False, True, False]
    curves = pd.read_parquet(tmp_path / "results/s6/curves.parquet")
    assert sorted(curves["width"].unique()) == [2, 6, 40]
    assert not (tmp_path / "results/s6/runs").exists()
    section = json.loads((tmp_path / "results/s6/section.json").read_text())
    assert "nK = 600 parameters" in section["intro"]
    assert (tmp_path / section["figures"][0]["path"]).stat().st_size > 10_000
    rerun = subprocess.run(command, check=True, capture_output=True, text=True)
    assert "Nothing to be done" in rerun.stdout + rerun.stderr
