"""The real snakemake, end to end, on the tiny config."""

from __future__ import annotations

import os
import stat

import pandas as pd
import pytest

from dlrepro.data.dataset import load_dataset

pytestmark = pytest.mark.workflow


def test_full_run_then_nothing_to_do_then_corrupt_raw_refused(workflow):
    workflow.run()
    results = workflow.folder / "results"
    assert (results / "report" / "index.html").stat().st_size > 1000

    mnist = load_dataset(results / "datasets" / "mnist")
    assert mnist.images.shape == (160, 28, 28, 1)
    assert sorted(mnist.index["split"].unique()) == ["test", "train"]
    raw = results / "raw" / "mnist" / "t10k-labels-idx1-ubyte.gz"
    assert not os.access(raw, os.W_OK) or os.geteuid() == 0
    assert not raw.stat().st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH)  # protected()

    table = pd.read_csv(results / "s1" / "table.csv")
    frozen = table[~table["classifier"].str.contains("fine-tuned")]
    assert len(frozen) == 2 * 3 * 2 and frozen["accuracy"].between(0, 1).all()
    pixels = frozen[(frozen["dataset"] == "digits") & (frozen["extractor"] == "pixels")]
    assert pixels["accuracy"].min() > 0.85  # pixels + logistic regression / 3-NN on 300 digits
    assert (table["classifier"].str.contains("fine-tuned")).sum() == 2 * 2
    assert "resnet18 fine-tuned (full)" in (results / "report" / "index.html").read_text()

    again = workflow.run()
    assert "Nothing to be done" in again.stdout + again.stderr

    workflow.run("--report", "report.zip")
    assert (workflow.folder / "report.zip").stat().st_size > 10_000

    raw.chmod(0o644)
    raw.write_bytes(b"\x1f\x8b corrupted")
    refused = workflow.run(check=False)
    assert refused.returncode != 0
    log = (results / "logs" / "prepare_dataset" / "mnist.log").read_text()
    assert "t10k-labels-idx1-ubyte.gz: SHA-256 mismatch" in log
    assert raw.read_bytes() == b"\x1f\x8b corrupted"  # raw data is never deleted or replaced


def test_bad_config_fails_before_any_job(workflow):
    config = dict(workflow.config)
    config["datasets"] = {"digits": {"source": "nope"}}
    workflow.write_config(config)
    result = workflow.run(check=False)
    assert result.returncode != 0
    assert "config key datasets.digits.source: 'nope' is not one of" in result.stderr + result.stdout
    assert not (workflow.folder / "results").exists()
