"""S8 by the real snakemake at a tiny size: the classifier and each model on the digits, then the
metric table (real data first), sample grids over training, interpolations and the section;
editing one model family's settings retrains only those models."""

import json

import numpy as np
import pandas as pd
import pytest

from tests.workflow.conftest import Workflow

CONFIG = {
    "seed": 0,
    "datasets": {"digits": {"source": "digits", "max_train": 200, "max_test": 60}},
    "s8": {
        "datasets": ["digits"],
        "size": 16,
        "models": ["vae", "minimax", "nonsaturating", "wgan-gp"],
        "vae": {"latent": 4, "width": 4},
        "gan": {"latent": 4, "width": 4},
        "wgan_gp": {"n_critic": 2},
        "train": {"vae": {"epochs": 2, "batch_size": 50}, "gan": {"epochs": 2, "batch_size": 50},
                  "wgan_gp": {"epochs": 2, "batch_size": 50}},
        "classifier": {"width": 4, "hidden": 8, "epochs": 1, "batch_size": 50},
        "grid": 4,
        "grid_epochs": 2,
        "interpolation_steps": 3,
        "samples": 60,
        "metrics": {"splits": 2, "ms_ssim_pairs": 20},
    },
}


@pytest.mark.workflow
def test_s8_trains_every_model_scores_its_samples_and_writes_its_section(tmp_path):
    workflow = Workflow(tmp_path, CONFIG)
    workflow.run("results/s8/section.json")

    table = pd.read_csv(tmp_path / "results/s8/metrics.csv")
    assert table["model"].tolist() == ["real data", "vae", "minimax", "nonsaturating", "wgan-gp"]
    assert table["inception_score"].between(1, 10).all()  # at most the class count
    assert table["diversity"].between(0, 1).all() and table["ms_ssim"].between(-1, 1).all()
    assert table["fid"].iloc[1:].gt(table["fid"].iloc[0]).all()  # two epochs of training are not the real digits
    assert table["test_nelbo"].notna().tolist() == [False, True, False, False, False]
    with np.load(tmp_path / "results/s8/runs/digits/wgan-gp/snapshots.npz") as saved:
        assert saved["epochs"].tolist() == [1, 2] and saved["images"].shape == (2, 4, 16, 16, 1)
    assert not (tmp_path / "results/s8/runs/digits/wgan-gp/snapshots").exists()

    section = json.loads((tmp_path / "results/s8/section.json").read_text())
    assert section["title"] == "S8. Generative models"
    assert "STAND-IN" in section["intro"] and "11.24" in section["intro"]
    assert [figure["path"] for figure in section["figures"]] == [
        "results/figures/s8/grids_digits.png", "results/figures/s8/interpolations_digits.png"]
    assert all((tmp_path / figure["path"]).stat().st_size > 3_000 for figure in section["figures"])

    changed = json.loads(json.dumps(CONFIG))
    changed["s8"]["train"]["wgan_gp"]["epochs"] = 3
    workflow.write_config(changed)
    assert workflow.planned_jobs("results/s8/section.json") == {"s8_train": 1, "s8_summarise": 1}
