"""Run the real snakemake on a copy of the workflow in a temporary folder."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]


class Workflow:
    """A copy of the workflow with its own config.yaml, driven through the snakemake CLI."""

    def __init__(self, folder: Path, config: dict):
        self.folder = folder
        shutil.copy(REPO / "Snakefile", folder / "Snakefile")
        shutil.copytree(REPO / "workflow", folder / "workflow")
        shutil.copytree(REPO / "envs", folder / "envs")
        self.write_config(config)

    def write_config(self, config: dict) -> None:
        self.config = config
        (self.folder / "config.yaml").write_text(yaml.safe_dump(config, sort_keys=False))

    def run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        # the venv's bin holds both snakemake and dlrepro, which the rules call; "--resources=gpu=1"
        # takes one value, so targets may follow it
        env = dict(os.environ, PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}")
        result = subprocess.run(
            [sys.executable, "-m", "snakemake", "--cores", "2", "--resources=gpu=1", *args],
            cwd=self.folder, env=env, capture_output=True, text=True,
        )
        if check and result.returncode != 0:
            raise AssertionError(f"snakemake failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")
        return result

    def planned_jobs(self, *targets: str) -> dict[str, int]:
        """Rule name -> job count of a dry run of ``targets`` (default: rule all), what a real run would execute."""
        out = self.run(*targets, "--dry-run", "--quiet", "rules").stdout
        jobs = {}
        for line in out.splitlines():
            parts = line.split()
            if len(parts) == 2 and parts[1].isdigit() and parts[0] not in ("total", "job"):
                jobs[parts[0]] = int(parts[1])
        return jobs


def tiny_config(mirror: Path, checksums: Path) -> dict:
    config = yaml.safe_load((Path(__file__).parent / "tiny.yaml").read_text())
    config["mirror"] = mirror.as_uri()
    config["checksums"] = str(checksums)
    return config


@pytest.fixture
def workflow(tmp_path, idx_mirror) -> Workflow:
    mirror, manifest = idx_mirror
    folder = tmp_path / "wf"
    folder.mkdir()
    return Workflow(folder, tiny_config(mirror, manifest))
