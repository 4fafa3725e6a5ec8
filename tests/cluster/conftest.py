"""A real one-node SLURM cluster on this host for the session (tests/cluster/slurm.sh)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

SLURM_SH = Path(__file__).with_name("slurm.sh")
CANNOT_START = 3  # slurm.sh's exit status when this host cannot run a test cluster


@pytest.fixture(scope="session")
def slurm_cluster(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Start munged, slurmctld and slurmd; skip, with slurm.sh's reason, where that cannot be done."""
    folder = tmp_path_factory.mktemp("slurm")
    started = subprocess.run(["bash", SLURM_SH, "start", folder], capture_output=True, text=True)
    if started.returncode == CANNOT_START:
        pytest.skip(f"no SLURM test cluster: {started.stderr.strip()}")
    assert started.returncode == 0, f"SLURM did not start:\n{started.stdout}{started.stderr}"
    yield folder
    subprocess.run(["bash", SLURM_SH, "stop", folder], check=True)
