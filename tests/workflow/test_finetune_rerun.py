"""Fine-tuning rerun by the real snakemake after its dataset changed: it trains again, from scratch."""

import json

import pandas as pd
import pytest

from tests.workflow.conftest import Workflow

TARGET = "results/s1/digits/finetune/last_layer/metrics.json"


def config(max_train: int | None) -> dict:
    return {
        "seed": 0,
        "datasets": {"digits": {"source": "digits", "max_train": max_train}},
        "s1": {
            "datasets": ["digits"],
            "extractors": {"pixels": {"kind": "pixels"}},
            "classifiers": {"lda": {"kind": "lda"}},
            "finetune": {"arch": "resnet18", "weights": "random", "modes": ["last_layer"], "image_size": 16,
                         "epochs": 1, "batch_size": 64},
        },
    }


@pytest.mark.workflow
def test_a_changed_dataset_retrains_instead_of_resuming_the_old_checkpoint(tmp_path):
    workflow = Workflow(tmp_path, config(None))
    workflow.run(TARGET)
    folder = tmp_path / "results/s1/digits/finetune/last_layer"
    before = pd.read_parquet(folder / "curves.parquet")

    workflow.write_config(config(600))
    workflow.run(TARGET)
    after = pd.read_parquet(folder / "curves.parquet")
    metrics = json.loads((folder / "metrics.json").read_text())
    # 600 training images, a tenth of them carved out for validation
    assert metrics["n_train"] == 540 and metrics["epochs"] == 1
    assert len(after) == 1 and not after["train_loss"].equals(before["train_loss"])
    assert not list(folder.glob("checkpoint-*"))
