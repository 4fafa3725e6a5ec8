"""S10 and S11 by the real snakemake at a tiny size: one palindrome job per cell, the row LSTM beside
S11's MLPs and VGG nets on the same digits, the figures, tables and both report sections."""

import json

import pandas as pd
import pytest

from tests.workflow.conftest import Workflow

TRAIN = {"epochs": 2, "batch_size": 32, "optimizer": "adam", "lr": 0.01}
CONFIG = {
    "seed": 0,
    "datasets": {"digits": {"source": "digits", "max_train": 200, "max_test": 60}},
    "s10": {
        "dataset": "digits",
        "palindromes": {"lengths": [3, 6], "cells": ["rnn", "lstm"], "hidden": 8, "clipping": [False, True],
                        "max_norm": 1.0, "seeds": 2, "n_train": 100, "n_test": 50, "train": TRAIN},
        "row_lstm": {"hidden": 8, "train": TRAIN},
    },
    "s11": {
        "datasets": ["digits"],
        "mlp": {"depths": [1, 2], "widths": [4, 8], "activations": ["relu", "linear"], "train": TRAIN},
        "vgg": {"widths": [4, 8], "depths": [1, 2], "train": TRAIN},
    },
}


@pytest.mark.workflow
def test_s10_and_s11_write_their_sections_from_one_job_per_sweep(tmp_path):
    workflow = Workflow(tmp_path, CONFIG)
    assert workflow.planned_jobs("results/s10/section.json", "results/s11/section.json") == {
        "prepare_dataset": 1, "s10_palindromes": 2, "s10_row_lstm": 1, "s10_summarise": 1, "s11_sweep": 2,
        "s11_summarise": 1}
    workflow.run("results/s10/section.json", "results/s11/section.json")

    sweep = pd.read_csv(tmp_path / "results/s10/palindromes.csv")
    assert sweep[["cell", "length", "seed", "clipping"]].values.tolist() == [
        [cell, length, seed, clip]
        for cell in ("rnn", "lstm") for length in (3, 6) for seed in (0, 1) for clip in (False, True)]
    assert sweep["test_accuracy"].between(0, 1).all() and (sweep["grad_first_init"] > 0).all()
    intro = json.loads((tmp_path / "results/s10/section.json").read_text())["intro"]
    assert "100 training sequences per T, 2 epochs, LSTM forget-gate bias 1 at init" in intro  # the schema's default
    comparison = pd.read_csv(tmp_path / "results/s10/row_lstm.csv")
    assert comparison["family"].tolist() == ["lstm", "mlp", "vgg"]

    table = pd.read_csv(tmp_path / "results/s11/table_digits.csv")
    assert len(table) == 2 * 2 * 2 + 2 and set(table["family"]) == {"mlp", "vgg"}
    assert (table["n_train"] == 200).all() and (table["epochs"] == 2).all()
    linear = table[table["activation"] == "linear"]
    assert (linear["parameters"].to_numpy() == table[table["activation"] == "relu"].query("family == 'mlp'")
            ["parameters"].to_numpy()).all()

    for study, title, figures in (("s10", "S10. Sequence models", 3), ("s11", "S11. MLP and VGG baselines", 2)):
        section = json.loads((tmp_path / f"results/{study}/section.json").read_text())
        assert section["title"] == title and "STAND-IN" in json.dumps(section)
        assert len(section["figures"]) == figures
        assert all((tmp_path / figure["path"]).stat().st_size > 3_000 for figure in section["figures"])
