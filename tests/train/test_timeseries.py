import json

import pandas as pd
import pytest

from dlrepro.data.industrial import write_standin_panel
from dlrepro.data.manifest import ManifestError
from dlrepro.metrics.timeseries import mean_block_correlation
from dlrepro.train.timeseries import run_timeseries

SETTINGS = {"date": "date", "target": "target", "linear": "linear_prediction", "exclude": ["asset"],
            "split": {"min_train_days": 40, "test_days": 40, "gap_days": 0},
            "models": {"ridge": {"kind": "ridge", "alpha": 1.0},
                       "forest": {"kind": "random_forest", "n_estimators": 10, "max_depth": 4, "min_samples_leaf": 5},
                       "mlp": {"kind": "mlp", "hidden": [8], "epochs": 2, "batch_size": 64, "lr": 0.01,
                               "weight_decay": 0.0}}}


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    folder = tmp_path_factory.mktemp("ts")
    write_standin_panel(folder / "panel.csv", days=120, assets=10, features=12, linear_strength=0.5, seed=0)
    record = run_timeseries(folder / "panel.csv", SETTINGS, 0, folder / "out", folder / "SUMS")
    return folder, record, pd.read_parquet(folder / "out" / "predictions.parquet")


def test_every_model_predicts_every_test_row_out_of_sample(run):
    folder, record, predictions = run
    assert len(record["folds"]) == 2 and record["test_rows"] == 800 == len(predictions)
    assert all(fold["last_train_date"] < fold["first_test_date"] for fold in record["folds"])
    assert record["residualised_within"] == "date"
    json.dumps(record)  # the command writes it as run.json
    curves = pd.read_parquet(folder / "out" / "curves.parquet")
    assert sorted(curves.groupby("fold")["epoch"].max()) == [2, 2] and set(curves["model"]) == {"mlp"}


def test_residualised_models_stay_below_the_linear_threshold(run):
    _, _, predictions = run
    dates = pd.to_datetime(predictions["date"])
    assert mean_block_correlation(dates, predictions["ridge"], predictions["linear_prediction"]) > 0.3
    for name in SETTINGS["models"]:
        assert abs(mean_block_correlation(dates, predictions[f"{name}_residualised"],
                                          predictions["linear_prediction"])) < 0.3


def test_a_changed_csv_is_stopped_by_its_manifest(run):
    folder, _, _ = run
    text = (folder / "panel.csv").read_text()
    (folder / "panel.csv").write_text(text.replace(",0.", ",1.", 1))
    with pytest.raises(ManifestError, match="panel.csv"):
        run_timeseries(folder / "panel.csv", SETTINGS, 0, folder / "again", folder / "SUMS")
