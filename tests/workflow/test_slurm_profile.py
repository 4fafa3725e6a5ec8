"""The tiny config through workflow/profiles/slurm, on a real one-node SLURM started here."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from dlrepro.data.dataset import load_dataset

SLURM_SH = Path(__file__).with_name("slurm.sh")
CANNOT_START = 3  # slurm.sh's exit status when this host cannot run a test cluster
TARGETS = ["results/datasets/digits/index.parquet", "results/datasets/mnist/index.parquet",
           "results/report/index.html"]
# No slurmdbd on the test cluster: job states come from squeue, and there are no accounts.
NO_ACCOUNTING = ["--slurm-status-command", "squeue", "--slurm-no-account"]


@pytest.fixture(scope="session")
def slurm_cluster(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """munged, slurmctld and slurmd for the session; skipped, with slurm.sh's reason, where they cannot run."""
    folder = tmp_path_factory.mktemp("slurm")
    started = subprocess.run(["bash", SLURM_SH, "start", folder], capture_output=True, text=True)
    if started.returncode == CANNOT_START:
        pytest.skip(f"no SLURM test cluster: {started.stderr.strip().splitlines()[-1]}")
    assert started.returncode == 0, f"SLURM did not start:\n{started.stdout}{started.stderr}"
    yield folder
    subprocess.run(["bash", SLURM_SH, "stop", folder], check=True)


def tiny_s5(config: dict) -> dict:
    """The tiny config's datasets plus two short S5 fits: real GPU rules, which SLURM should run side by side."""
    plain = {"weight_decay": 0.0, "dropout": 0.0, "shift": 0, "flip": False, "variants": None}
    s5 = {
        "dataset": "digits", "max_train": 50, "variants": ["true_labels", "random_labels"], "corruption": [],
        "models": {"mlp": {"kind": "mlp", "width": 8}}, "regularisation": {"plain": plain},
        "train": {"optimizer": "sgd", "lr": 0.01, "momentum": 0.9, "batch_size": 50, "max_epochs": 2},
        "sweep": {"kind": "mlp", "widths": []},
    }
    datasets_only = {key: value for key, value in config.items() if key != "s1"}  # S1 is tested locally
    return datasets_only | {"resources": {"default": {"runtime": 10, "mem_mb": 500}}, "s5": s5}


def scontrol_job(job_id: str) -> dict[str, str]:
    record = subprocess.run(["scontrol", "show", "job", job_id], capture_output=True, text=True, check=True).stdout
    return dict(re.findall(r"(\w+)=(\S*)", record))


@pytest.mark.workflow
def test_tiny_workflow_runs_as_slurm_jobs(slurm_cluster, workflow):
    """Every job but the downloads goes through sbatch with the runtime and memory of the config's
    resources; GPU rules (S5 fits) ask SLURM for a GPU, and the `--resources gpu=1` of a local run
    does not throttle them to one at a time (the test cluster's two GPUs are stand-ins)."""
    workflow.write_config(tiny_s5(workflow.config))
    run = workflow.run(
        "--profile", "workflow/profiles/slurm", *NO_ACCOUNTING, "--slurm-init-seconds-before-status-checks", "1",
        "--verbose", "--", *TARGETS,
    )
    log = run.stdout + run.stderr

    submitted = dict(re.findall(r"Job \d+ has been submitted with SLURM jobid (\d+) \(log: .*?/rule_(\w+?)/", log))
    assert sorted(submitted.values()) == [
        "prepare_dataset", "prepare_dataset", "report", "s5_fit", "s5_fit", "s5_summarise", "scorecard"
    ], log
    jobs = {job_id: scontrol_job(job_id) for job_id in submitted}
    for job_id, job in jobs.items():
        assert job["JobState"] == "COMPLETED", job
        assert (job["TimeLimit"], job["MinMemoryNode"]) == ("00:10:00", "500M"), job
        assert (job.get("TresPerJob") == "gres:gpu:1") == (submitted[job_id] == "s5_fit"), job
    first, second = (job for job_id, job in jobs.items() if submitted[job_id] == "s5_fit")
    assert first["StartTime"] <= second["EndTime"] and second["StartTime"] <= first["EndTime"], \
        "the two GPU jobs ran one after the other"
    assert "localrule fetch_raw" in log, "downloads must run on the submit host"

    assert len(load_dataset(workflow.folder / "results/datasets/mnist").index) > 0
    assert (workflow.folder / "results/s5/section.json").exists()
    assert "<html" in (workflow.folder / TARGETS[-1]).read_text()
