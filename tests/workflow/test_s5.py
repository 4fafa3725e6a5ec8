"""S5 by the real snakemake at a tiny size: every variant fitted to zero training error, a width sweep,
the summary; then a changed regularisation setting reruns only its own fits."""

import json
import re

import pandas as pd
import pytest

from dlrepro.device import cuda_device_present
from tests.workflow.conftest import Workflow

PLAIN = {"weight_decay": 0.0, "dropout": 0.0, "shift": 0, "flip": False, "variants": None}
CONFIG = {
    "seed": 0,
    "datasets": {"digits": {"source": "digits", "max_train": 200, "max_test": 100}},
    "s5": {
        "dataset": "digits",
        "max_train": 100,
        "variants": ["true_labels", "random_labels", "random_pixels"],
        "corruption": [0.5],
        "models": {"mlp": {"kind": "mlp", "width": 128}},
        "regularisation": {
            "plain": PLAIN,
            "regularised": {**PLAIN, "weight_decay": 5e-4, "dropout": 0.2, "shift": 1, "variants": ["true_labels"]},
        },
        "train": {"optimizer": "sgd", "lr": 0.05, "momentum": 0.9, "batch_size": 25, "max_epochs": 200},
        "sweep": {"kind": "mlp", "widths": [4, 64]},
    },
}


@pytest.mark.workflow
def test_s5_fits_every_variant_to_zero_training_error(tmp_path):
    workflow = Workflow(tmp_path, CONFIG)
    run = workflow.run("results/s5/section.json")
    # `--resources gpu=1` limits GPU jobs to one at a time only where a GPU serves them
    assert s5_fits_overlapped(run.stdout + run.stderr) == (not cuda_device_present())

    table = pd.read_csv(tmp_path / "results/s5/time_to_fit.csv")
    plain = table[table["regularisation"] == "plain"].set_index("variant")
    assert set(plain.index) == {"true_labels", "random_labels", "random_pixels", "corrupt-0.5"}
    assert plain["epochs_to_zero_error"].notna().all(), plain
    # Zhang et al.: noise is memorised, but more slowly than the true labels are learnt
    assert plain.loc["random_labels", "epochs_to_zero_error"] > plain.loc["true_labels", "epochs_to_zero_error"]
    assert plain.loc["random_labels", "test_error"] > 0.7 > 0.3 > plain.loc["true_labels", "test_error"]

    sweep = pd.read_csv(tmp_path / "results/s5/width_sweep.csv")
    assert list(sweep["width"]) == [4, 64] and sweep["parameters"].is_monotonic_increasing
    section = json.loads((tmp_path / "results/s5/section.json").read_text())
    assert all((tmp_path / figure["path"]).stat().st_size > 10_000 for figure in section["figures"])

    changed = json.loads(json.dumps(CONFIG))
    changed["s5"]["regularisation"]["regularised"]["dropout"] = 0.5
    workflow.write_config(changed)
    plan = workflow.run("results/s5/section.json", "--dry-run", "--quiet", "rules").stdout
    jobs = dict(re.findall(r"^(\w+) +(\d+)$", plan, flags=re.MULTILINE))
    assert jobs == {"s5_fit": "1", "s5_summarise": "1", "total": "2"}


def s5_fits_overlapped(log: str) -> bool:
    """Whether a second s5_fit job started before the first one finished, in snakemake's output."""
    running = 0
    for line in log.splitlines():
        if re.match(r"(local)?rule s5_fit:", line):  # snakemake says localrule for a job it runs itself
            running += 1
            if running > 1:
                return True
        elif re.match(r"Finished jobid: \d+ \(Rule: s5_fit\)", line):
            running -= 1
    return False
