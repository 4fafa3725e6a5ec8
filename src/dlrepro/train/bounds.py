"""S12 generalization bounds measured on S5's trained MLPs: norms, margins and the gap of each network.

Each S5 run folder holds ``fit.json`` (the run's summary), ``init.pt`` and ``weights.pt`` (its initial and
trained weights). The training inputs are rebuilt exactly as S5 trained on them (same variant, subset and
seed, normalised per channel), so the margins are those of the labels the network fitted.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import torch

from dlrepro.io import read_json
from dlrepro.metrics.bounds import complexity_measures
from dlrepro.models.factory import build_model
from dlrepro.train.checkpoint import load_weights
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
    return {"run": str(folder), "variant": fit["variant"], "corruption": fit["corruption"], "width": fit["width"],
            "train_error": fit["train_error"], "test_error": fit["test_error"],
            "gap": fit["test_error"] - fit["train_error"], **measures}


def measure_runs(sweep_fits: list[str | Path], corruption_fits: list[str | Path], dataset_dir: str | Path,
                 max_train: int | None, seed: int, margin_quantile: float) -> pd.DataFrame:
    """One row per network: the width sweep labelled by width, the corruption runs by their corruption level."""
    rows = [measure_fit(path, dataset_dir, max_train, seed, margin_quantile) | {"series": "width sweep"}
            for path in sweep_fits]
    rows += [measure_fit(path, dataset_dir, max_train, seed, margin_quantile) | {"series": "label corruption"}
             for path in corruption_fits]
    table = pd.DataFrame(rows)
    table["label"] = [f"w{w}" if s == "width sweep" else f"p{c:g}"
                      for s, w, c in zip(table["series"], table["width"], table["corruption"])]
    return table
