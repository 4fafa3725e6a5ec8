"""The workflow's tiny config through workflow/profiles/slurm, on the real test cluster."""

from __future__ import annotations

import re
import subprocess

import pytest

from dlrepro.data.dataset import load_dataset

TARGETS = ["results/datasets/digits/index.parquet", "results/report/index.html"]
# No slurmdbd on the test cluster: job states come from squeue, and there are no accounts.
NO_ACCOUNTING = ["--slurm-status-command", "squeue", "--slurm-no-account"]


def scontrol_job(job_id: str) -> str:
    return subprocess.run(
        ["scontrol", "show", "job", job_id], capture_output=True, text=True, check=True
    ).stdout


@pytest.mark.workflow
def test_tiny_workflow_runs_as_slurm_jobs(slurm_cluster, workflow_copy):
    """Every job goes through sbatch with the runtime and memory from the config, and GPU jobs
    ask SLURM for a GPU without the `--resources gpu=1` of a local run throttling them to one
    at a time (both rules are made GPU rules here; the test cluster's GPUs are stand-ins)."""
    run = subprocess.run(
        ["snakemake", "--profile", "workflow/profiles/slurm", *NO_ACCOUNTING,
         "--slurm-init-seconds-before-status-checks", "1",
         "--set-resources", "prepare_dataset:gpu=1", "report:gpu=1", "--resources", "gpu=1",
         "--verbose", "--", *TARGETS],
        cwd=workflow_copy, capture_output=True, text=True, timeout=600,
    )
    log = run.stdout + run.stderr
    assert run.returncode == 0, log

    submitted = dict(re.findall(r"Job \d+ has been submitted with SLURM jobid (\d+) \(log: .*?/rule_(\w+?)/", log))
    assert sorted(submitted.values()) == ["prepare_dataset", "report"], log
    for job_id in submitted:
        record = scontrol_job(job_id)
        assert "JobState=COMPLETED" in record, record
        assert "TimeLimit=00:10:00" in record and "MinMemoryNode=500M" in record, record
        assert "TresPerJob=gres:gpu:1" in record, record
    sbatch_calls = re.findall(r"^sbatch call: (.*)$", log, flags=re.MULTILINE)
    assert len(sbatch_calls) == 2 and all("--gpus=1" in call for call in sbatch_calls), log
    assert log.rindex("has been submitted") < log.index("Finished jobid"), "GPU jobs ran one at a time"

    dataset = load_dataset(workflow_copy / "results" / "datasets" / "digits")
    assert len(dataset.index) == 1797
    assert "<html" in (workflow_copy / TARGETS[1]).read_text()
