"""S14's time-series models, fitted by rolling origin: each fold sees only dates before its test block.

Ridge, gradient boosting and random forests are scikit-learn fits; the MLP trains through the one
engine (``train.engine.train``) with a squared-error objective and evaluation hook, since the
engine's own losses are for classes. Features and the target are standardised with the fold's
training rows only. Each model's out-of-sample prediction is also given residualised: its least-
squares fit on the existing linear prediction removed, within each date when every date has several
rows (a panel: nothing of another date is used), else within each 20-day block of the score.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import torch
from torch import nn

from dlrepro.data.timeseries import read_series, rolling_origin_folds
from dlrepro.data.manifest import record_or_check
from dlrepro.io import atomic_output, sha256_file
from dlrepro.metrics.timeseries import BLOCK_DAYS, date_blocks, residualise
from dlrepro.train.engine import TrainConfig, train

KINDS = ("ridge", "gradient_boosting", "random_forest", "mlp")
PANEL_ROWS_PER_DATE = 3  # below this a date's cross-section is too small to fit a slope in


def sklearn_model(settings: dict[str, Any], seed: int):
    from sklearn.ensemble import HistGradientBoostingRegressor, RandomForestRegressor
    from sklearn.linear_model import Ridge

    kind = settings["kind"]
    if kind == "ridge":
        return Ridge(alpha=settings["alpha"])
    if kind == "gradient_boosting":
        return HistGradientBoostingRegressor(max_iter=settings["n_estimators"], max_depth=settings["max_depth"],
                                             learning_rate=settings["learning_rate"], random_state=seed)
    return RandomForestRegressor(n_estimators=settings["n_estimators"], max_depth=settings["max_depth"],
                                 min_samples_leaf=settings["min_samples_leaf"], random_state=seed, n_jobs=1)


def mlp_network(features: int, hidden: list[int], seed: int) -> nn.Sequential:
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        layers, width = [], features
        for units in hidden:
            layers += [nn.Linear(width, units), nn.ReLU()]
            width = units
        return nn.Sequential(*layers, nn.Linear(width, 1))


def squared_error(model: nn.Module, inputs: torch.Tensor, targets: torch.Tensor):
    loss = (model(inputs).squeeze(1) - targets).pow(2).mean()
    return loss, {"loss": loss.item()}


def fit_mlp(x: np.ndarray, y: np.ndarray, test: np.ndarray, settings: dict[str, Any], seed: int,
            curves: Path) -> np.ndarray:
    """Train the MLP on (x, y) through the engine; its predictions on ``test``."""
    config = TrainConfig(epochs=settings["epochs"], batch_size=settings["batch_size"], optimizer="adam",
                         lr=settings["lr"], weight_decay=settings["weight_decay"], seed=seed, progress=False)
    model = mlp_network(x.shape[1], settings["hidden"], seed)

    def evaluation(network, split):
        inputs, targets = split.tensors
        with torch.no_grad():
            return {"loss": (network(inputs).squeeze(1) - targets).pow(2).mean().item()}

    data = {"train": (torch.as_tensor(x, dtype=torch.float32), torch.as_tensor(y, dtype=torch.float32))}
    train(model, data, config, curves, objective=squared_error, evaluation=evaluation)
    model.eval()
    with torch.no_grad():
        return model(torch.as_tensor(test, dtype=torch.float32)).squeeze(1).numpy()


def standardise(train: np.ndarray, *others: np.ndarray) -> list[np.ndarray]:
    mean, scale = train.mean(0), train.std(0)
    scale = np.where(scale > 0, scale, 1.0)
    return [(a - mean) / scale for a in (train, *others)]


def residual_groups(dates: pd.Series) -> tuple[np.ndarray, str]:
    """The groups residualisation works within: the dates of a panel, else the score's blocks."""
    if dates.value_counts().min() >= PANEL_ROWS_PER_DATE:
        return pd.factorize(dates)[0], "date"
    return date_blocks(dates, BLOCK_DAYS), f"{BLOCK_DAYS}-day block"


def rolling_predictions(table: pd.DataFrame, features: list[str], columns: dict[str, str],
                        models: dict[str, dict], split: dict[str, int], seed: int,
                        curves_dir: Path) -> tuple[pd.DataFrame, list[dict]]:
    """Out-of-sample predictions of every model on every test block, and one record per fold."""
    folds = rolling_origin_folds(table[columns["date"]], split["min_train_days"], split["test_days"],
                                 split["gap_days"])
    x_all = table[features].to_numpy(np.float64)
    y_all = table[columns["target"]].to_numpy(np.float64)
    tested = np.concatenate([test for _, test in folds])
    out = pd.DataFrame({"date": table[columns["date"]].to_numpy()[tested], "target": y_all[tested],
                        "linear_prediction": table[columns["linear"]].to_numpy(np.float64)[tested]})
    records = []
    for name, settings in models.items():
        predictions = []
        for number, (train_rows, test_rows) in enumerate(folds):
            x_train, x_test = standardise(x_all[train_rows], x_all[test_rows])
            y_mean, y_scale = y_all[train_rows].mean(), y_all[train_rows].std() or 1.0
            y_train = (y_all[train_rows] - y_mean) / y_scale
            if settings["kind"] == "mlp":
                predicted = fit_mlp(x_train, y_train, x_test, settings, seed, curves_dir / f"{name}_{number}.parquet")
            else:
                predicted = sklearn_model(settings, seed).fit(x_train, y_train).predict(x_test)
            predictions.append(predicted * y_scale + y_mean)
        out[name] = np.concatenate(predictions)
    dates = table[columns["date"]]
    for number, (train_rows, test_rows) in enumerate(folds):
        records.append({"fold": number, "train_rows": len(train_rows), "test_rows": len(test_rows),
                        "last_train_date": str(dates.iloc[train_rows].max().date()),
                        "first_test_date": str(dates.iloc[test_rows].min().date()),
                        "last_test_date": str(dates.iloc[test_rows].max().date())})
    return out, records


def run_timeseries(csv: str | Path, settings: dict[str, Any], seed: int, out_dir: str | Path,
                   manifest: str | Path) -> dict[str, Any]:
    """Rolling-origin predictions of ``settings["models"]`` on the CSV, plain and residualised.

    The CSV's SHA-256 is recorded in ``manifest`` on first use and checked against it afterwards.

    Writes ``predictions.parquet`` (date, target, linear_prediction, <model>, <model>_residualised)
    and ``curves.parquet`` (the MLPs' per-epoch training loss per fold); returns the run record.
    """
    out_dir = Path(out_dir)
    record_or_check({Path(csv).name: sha256_file(csv)}, manifest, "table")
    columns = {key: settings[key] for key in ("date", "target", "linear")}
    table, features = read_series(csv, columns["date"], columns["target"], columns["linear"], settings["exclude"])
    with tempfile.TemporaryDirectory() as scratch:
        predictions, folds = rolling_predictions(table, features, columns, settings["models"], settings["split"],
                                                 seed, Path(scratch))
        curves = [pd.read_parquet(path).assign(model=path.stem.rsplit("_", 1)[0], fold=int(path.stem.rsplit("_", 1)[1]))
                  for path in sorted(Path(scratch).glob("*.parquet"))]
    groups, within = residual_groups(predictions["date"])
    for name in settings["models"]:
        predictions[f"{name}_residualised"] = residualise(groups, predictions[name], predictions["linear_prediction"])
    with atomic_output(out_dir / "predictions.parquet") as tmp:
        predictions.to_parquet(tmp, index=False)
    curves = pd.concat(curves, ignore_index=True) if curves else pd.DataFrame(columns=["model", "fold", "epoch"])
    with atomic_output(out_dir / "curves.parquet") as tmp:
        curves.to_parquet(tmp, index=False)
    return {"csv": str(csv), "rows": len(table), "dates": int(table[columns["date"]].nunique()),
            "features": len(features), "test_rows": len(predictions), "folds": folds,
            "residualised_within": within, "models": settings["models"], "split": settings["split"]}
