"""The extract_features rule run by the real snakemake on a tiny config."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from dlrepro.features.store import read_features

ROOT = Path(__file__).resolve().parents[2]
TARGETS = ["results/features/digits/pixels.parquet", "results/features/digits/scattering.parquet"]


def tiny_config(scattering_L: int) -> dict:
    return {
        "seed": 0,
        "datasets": {"digits": {"source": "digits", "max_train": 30, "max_test": 10}},
        "s1": {
            "datasets": ["digits"],
            "extractors": {
                "pixels": {"kind": "pixels"},
                "scattering": {"kind": "scattering", "J": 1, "L": scattering_L, "max_order": 1},
            },
        },
    }


def snakemake(workdir: Path, *args: str) -> subprocess.CompletedProcess:
    env = os.environ | {"PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    return subprocess.run(
        [sys.executable, "-m", "snakemake", "-s", str(ROOT / "Snakefile"), "-d", str(workdir), "--cores", "2", *args],
        capture_output=True, text=True, env=env, check=False,
    )


@pytest.mark.workflow
def test_features_build_and_a_changed_extractor_reruns_alone(tmp_path):
    (tmp_path / "config.yaml").write_text(yaml.safe_dump(tiny_config(scattering_L=4)))
    run = snakemake(tmp_path, *TARGETS)
    assert run.returncode == 0, run.stderr
    pixels, index = read_features(tmp_path / TARGETS[0])
    scattering, _ = read_features(tmp_path / TARGETS[1])
    assert pixels.shape == (40, 64) and scattering.shape == (40, (1 + 4) * 4 * 4)
    assert sorted(index["split"].unique()) == ["test", "train"]
    assert (tmp_path / "results/benchmarks/extract_features/digits/pixels.tsv").exists()

    (tmp_path / "config.yaml").write_text(yaml.safe_dump(tiny_config(scattering_L=2)))
    dry = snakemake(tmp_path, "--dry-run", *TARGETS)
    assert dry.returncode == 0, dry.stderr
    assert "output: results/features/digits/scattering.parquet" in dry.stdout
    assert "output: results/features/digits/pixels.parquet" not in dry.stdout
