"""S12 generalization bounds measured on S5's and S6's trained MLPs: norms, margins and the gap of each network.

Each S5 run folder holds ``fit.json`` (the run's summary), ``init.pt`` and ``weights.pt`` (its initial and
trained weights). S6's sweep keeps every width's initial and trained weights in one file, with the size and
seed of its training subset, and its errors in its table. The training inputs are rebuilt exactly as each
study trained on them (S5: same variant, subset and seed, normalised per channel; S6: the seeded subset,
centred), so the margins are those of the labels the network fitted. A reused S6 width (below nK) starts
from the grown smaller network: its distance from initialisation is measured from that start.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import torch

from dlrepro.io import InputError, read_csv_table, read_json
from dlrepro.metrics.bounds import complexity_measures
from dlrepro.models.factory import build_model
from dlrepro.models.mlp import count_parameters
from dlrepro.train.checkpoint import load_weights
from dlrepro.train.double_descent import load_network, load_subset, read_weights
from dlrepro.train.generalization import Normalise, load_variant


@torch.no_grad()
def measure_fit(fit_json: str | Path, dataset_dir: str | Path, max_train: int | None, seed: int,
                margin_quantile: float) -> dict:
    """The complexity measures, train and test error and gap of one S5 MLP run."""
    folder = Path(fit_json).parent
    fit = read_json(fit_json)
    if fit["kind"] != "mlp":
        raise ValueError(f"{fit_json}: a {fit['kind']} network; the bounds are measured on S5's MLPs only")
    data = load_variant(dataset_dir, fit["variant"], max_train, seed)
    fix = "rerun its S5 fit (`dlrepro generalization fit` keeps init.pt and weights.pt)"
    networks = []
    for name in ("init.pt", "weights.pt"):
        model = build_model("mlp", data.image_shape, data.n_classes, fit["width"])
        networks.append(load_weights(model, folder / name, f"an S5 MLP of width {fit['width']}", fix).eval())
    initial, trained = networks
    inputs = Normalise(data.mean, data.std)(data.train[0]).flatten(1)
    measures = complexity_measures([layer.weight for layer in trained.layers],
                                   [layer.weight for layer in initial.layers],
                                   trained(inputs), data.train[1], inputs, margin_quantile)
    return {"run": str(folder), "family": "S5", "dataset": Path(dataset_dir).name, "variant": fit["variant"],
            "corruption": fit["corruption"], "width": fit["width"], "parameters": count_parameters(trained),
            "train_error": fit["train_error"], "test_error": fit["test_error"],
            "gap": fit["test_error"] - fit["train_error"], **measures}


@torch.no_grad()
def measure_sweep(weights: str | Path, table: str | Path, dataset_dir: str | Path, margin_quantile: float) -> list[dict]:
    """The complexity measures, errors (from S6's table) and gap of every width of an S6 sweep."""
    sweep = read_weights(weights)
    subset = load_subset(dataset_dir, sweep["n_train"], sweep["seed"])
    if subset.digest() != sweep["data"]:
        raise InputError(f"{dataset_dir}: not the data {weights} was trained on; give S6's dataset")
    errors = read_csv_table(table, ["width", "parameters", "train_error", "test_error"], "`dlrepro double-descent run`")
    missing = sorted(set(errors["width"]) ^ set(sweep["widths"]))
    if missing:
        raise InputError(f"{table} and {weights} differ in widths {missing}; rerun `dlrepro double-descent run`")
    inputs, targets = subset.train
    rows = []
    for row in errors.sort_values("width").itertuples():
        initial, trained = (load_network(sweep, row.width, which, subset.in_features, subset.n_classes)
                            for which in ("initial", "final"))
        measures = complexity_measures([layer.weight for layer in trained.layers],
                                       [layer.weight for layer in initial.layers],
                                       trained(inputs), targets, inputs, margin_quantile)
        rows.append({"run": f"{weights}:{row.width}", "family": "S6", "dataset": Path(dataset_dir).name,
                     "variant": "true_labels", "corruption": 0.0, "width": row.width, "parameters": row.parameters,
                     "threshold": subset.threshold, "train_error": row.train_error, "test_error": row.test_error,
                     "gap": row.test_error - row.train_error, **measures})
    return rows


def measure_runs(sweep_fits: list[str | Path], corruption_fits: list[str | Path], dataset_dir: str | Path | None,
                 max_train: int | None, seed: int, margin_quantile: float,
                 s6_sweep: tuple[str | Path, str | Path, str | Path] | None = None) -> pd.DataFrame:
    """One row per network: S5's width sweep labelled by width, its corruption runs by their corruption
    level, and S6's double-descent widths (``s6_sweep``: its weights, table and dataset) by H."""
    if (sweep_fits or corruption_fits) and dataset_dir is None:
        raise ValueError("S5's runs need the dataset S5 trained on")
    rows = [measure_fit(path, dataset_dir, max_train, seed, margin_quantile) | {"series": "width sweep"}
            for path in sweep_fits]
    rows += [measure_fit(path, dataset_dir, max_train, seed, margin_quantile) | {"series": "label corruption"}
             for path in corruption_fits]
    if s6_sweep is not None:
        rows += [row | {"series": "double descent"} for row in measure_sweep(*s6_sweep, margin_quantile)]
    table = pd.DataFrame(rows)
    labels = {"width sweep": "w{width}", "label corruption": "p{corruption:g}", "double descent": "H{width}"}
    table["label"] = [labels[row["series"]].format(**row) for row in table.to_dict("records")]
    return table
