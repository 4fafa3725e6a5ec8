"""Config values that would only fail once their job runs stop the plan with one line naming the key;
a job that fails anyway prints its reason."""

from __future__ import annotations

import pytest
import yaml

from .conftest import REPO, Workflow

CASES = {
    "misspelt-key": ({"s6": {"n_trian": 30}}, "config key s6: Additional properties are not allowed ('n_trian'"),
    "missing-dataset": ({"s5": {"dataset": "nope"}}, "config key s5.dataset: no dataset 'nope'"),
    "layer-of-another-arch": (
        {"s1": {"extractors": {"resnet18": {"kind": "torchvision", "arch": "vgg19", "layer": "avgpool"}}}},
        "config key s1.extractors.resnet18: vgg19 has no layer 'avgpool'",
    ),
    "parameter-scikit-learn-rejects": (
        {"s2": {"classifiers": {"knn": {"kind": "knn", "weights": "nearest"}}}},
        "config key s2.classifiers.knn: knn: The 'weights' parameter of KNeighborsClassifier must be",
    ),
    "s3-missing-dataset": ({"s3": {"image_dataset": "faces-99"}}, "config key s3.image_dataset: no dataset 'faces-99'"),
    "s3-hidden-units-not-an-mlp": (
        {"s3": {"hidden_units": ["h300", "h999"]}},
        "config key s3.hidden_units: ['h999'] not among s3.mlps",
    ),
    "s4-robustness-of-no-experiment": (
        {"s4": {"robustness": {"runs": ["baseline", "nope"]}}},
        "config key s4.robustness.runs: no experiment nope",
    ),
    "s4-name-in-both-maps": (
        {"s4": {"architectures": {"baseline": {"kernel": 3}}}},
        "config key s4.architectures: baseline also named in s4.experiments",
    ),
    "s4-missing-dataset": ({"s4": {"dataset": "paintings"}}, "config key s4.dataset: no dataset 'paintings'"),
    "missing-weights-file": (
        {"s1": {"finetune": {"weights": "no/such/weights.pt"}}},
        "config key s1.finetune.weights: weights file no/such/weights.pt does not exist",
    ),
}


@pytest.mark.parametrize("case", CASES)
def test_a_value_that_would_fail_in_its_job_stops_the_plan(tmp_path, case):
    change, message = CASES[case]
    workflow = Workflow(tmp_path, yaml.safe_load((REPO / "config.yaml").read_text()))
    (tmp_path / "change.yaml").write_text(yaml.safe_dump(change))
    result = workflow.run("--configfile", "change.yaml", "--dry-run", check=False)
    assert result.returncode == 1
    lines = [line for line in (result.stdout + result.stderr).splitlines() if line.startswith("config key")]
    assert len(lines) == 1 and lines[0].startswith(message), result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr


def test_a_failed_job_prints_its_reason_not_only_its_log_file(tmp_path):
    """A plain `snakemake` (no profile) prints each failed job's one-line reason from its log."""
    workflow = Workflow(tmp_path, yaml.safe_load((REPO / "config.yaml").read_text()))
    result = workflow.run("--config", f"mirror={tmp_path / 'empty-mirror'}", "--",
                          "results/raw/mnist/t10k-labels-idx1-ubyte.gz", check=False)
    output = result.stdout + result.stderr
    reason = f"results/logs/fetch_raw/mnist/t10k-labels-idx1-ubyte.gz.log: Error: {tmp_path / 'empty-mirror'}"
    assert result.returncode == 1 and reason in output, output
