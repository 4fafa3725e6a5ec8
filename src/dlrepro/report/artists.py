"""S4 summary: the configuration chosen on validation accuracy, scored once on test; the
robustness table; curves, summary chart, heat map and misclassified paintings; the report section."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from dlrepro.io import read_json, write_csv, write_json
from dlrepro.plots.artists import plot_experiment_summary, plot_misclassified, plot_robustness
from dlrepro.plots.curves import plot_curves
from dlrepro.report.captions import (
    S4_REFERENCE, S4_STANDIN, s4_curves_caption, s4_data, s4_misclassified_caption, s4_robustness_caption,
    s4_summary_caption,
)
from dlrepro.train.artists import load_network, load_splits, predictions, robustness_row

MAX_MISCLASSIFIED = 18


def read_runs(run_files: list[str | Path]) -> list[dict]:
    """Run summaries (run.json) with their folder added, in the order given."""
    return [read_json(path) | {"folder": str(Path(path).parent)} for path in run_files]


def changes(run: dict, base: dict) -> str:
    """What a run changes from the base settings, as ``key=value`` words ("none" for the base itself)."""
    words = [f"{key}={'-'.join(map(str, value)) if isinstance(value, list) else value}"
             for part in ("network", "train") for key, value in run[part].items() if base[part].get(key) != value]
    return " ".join(words + (["augment=true"] if run["augment"] else [])) or "none"


def choose_best(runs: list[dict]) -> dict:
    """Highest validation accuracy; ties go to the lower validation loss, then to the earlier run."""
    return min(runs, key=lambda run: (-round(run["val_accuracy"], 9), run["val_loss"]))


def experiments_table(runs: list[dict], base: dict) -> pd.DataFrame:
    return pd.DataFrame([{
        "name": run["name"], "group": run["group"], "changes": changes(run, base),
        "parameters": run["parameters"], "receptive_field": run["receptive_field"],
        "epochs_run": run["epochs_run"], "stop_reason": run["stop_reason"],
        "train_accuracy": round(run["train_accuracy"], 4), "val_accuracy": round(run["val_accuracy"], 4),
    } for run in runs])


def sweep_table(runs: list[dict]) -> pd.DataFrame:
    """Architectures: their shape, parameters and the receptive field of the last conv layer."""
    return pd.DataFrame([{
        "name": run["name"], "channels": "-".join(str(c) for c in run["network"]["channels"]),
        "depth": len(run["network"]["channels"]), "filter": run["network"]["kernel"],
        "stride": run["network"]["stride"], "pool": run["network"]["pool"], "parameters": run["parameters"],
        "receptive_field": run["receptive_field"], "val_accuracy": round(run["val_accuracy"], 4),
    } for run in runs])


def summarise_study(run_files: list[str | Path], dataset_dir: str | Path, base: dict, robustness: dict,
                    robustness_runs: list[str], figures_dir: str | Path, out_dir: str | Path, dataset: str) -> dict:
    """Write the S4 tables, figures and ``section.json`` from the runs' run.json files; returns the section.

    ``base``: the s4 network and train settings the experiments change; ``robustness``: the image
    changes' strengths; ``robustness_runs``: the experiments scored on the changed test images.
    """
    figures_dir, out_dir = Path(figures_dir), Path(out_dir)
    runs = read_runs(run_files)
    if not runs:
        raise ValueError("no run.json files given: nothing to summarise")
    by_name = {run["name"]: run for run in runs}
    missing = [name for name in robustness_runs if name not in by_name]
    if missing or not robustness_runs:
        raise ValueError(f"s4.robustness.runs names {missing}, which are not among the runs {sorted(by_name)}")
    data = s4_data(dataset, dataset == S4_STANDIN)
    splits = load_splits(dataset_dir)
    chance, majority = 1 / len(splits.classes), splits.majority_rate("test")
    majority_val = splits.majority_rate("val")

    best = choose_best(runs)
    network = load_network(best["folder"], best)
    test = splits.data["test"]
    predicted = predictions(network, test)
    truth = test[1].numpy()
    test_accuracy = float((predicted == truth).mean())

    figures, tables = [], []
    for run in runs:
        path = figures_dir / f"curves_{run['name']}.png"
        plot_curves(Path(run["folder"]) / "metrics.parquet", path, title=f"S4 {run['name']}: train vs validation",
                    loss_label="cross-entropy")
        figures.append({"path": str(path), "caption": s4_curves_caption(f"{run['name']} ({changes(run, base)})", data)})

    table = experiments_table(runs, base)
    write_csv(table, out_dir / "experiments.csv")
    baselines = (f"Chance {100 * chance:.1f}% ({len(splits.classes)} artists); majority-class rate "
                 f"{100 * majority_val:.1f}% on validation, {100 * majority:.1f}% on test.")
    summary_png = figures_dir / "summary.png"
    plot_experiment_summary(table, chance, majority_val, best["name"], summary_png,
                            f"S4: accuracy of every experiment ({best['name']} chosen on validation: "
                            f"test {100 * test_accuracy:.1f}%)")
    figures.append({"path": str(summary_png), "caption": s4_summary_caption(data, baselines)})
    tables.append({"path": str(out_dir / "experiments.csv"), "caption": (
        f"S4 experiments on {data}: what each changes from the base settings, parameters, receptive field of "
        f"the last conv layer (pixels), epochs, and train and validation accuracy (of the best-validation epoch "
        f"when early stopping). {baselines}")})

    architectures = [run for run in runs if run["group"] == "architectures"]
    if architectures:
        write_csv(sweep_table(architectures), out_dir / "sweep.csv")
        tables.append({"path": str(out_dir / "sweep.csv"), "caption": (
            "S4 architecture sweep (trained with the base training settings): channel widths per conv layer "
            "(pyramidal, flat, inverted), filter size, stride, pooling, parameters and the receptive field of the "
            "last conv layer, r = 1 + sum of (k - 1) x the product of the earlier strides, pooling layers "
            "before it included.")})

    strengths = (f"translated by {robustness['shift']} px down and right, brightened and darkened by "
                 f"{robustness['brightness']}, contrast times and divided by {robustness['contrast']}, flipped "
                 "left-right, inverted")
    rows = {name: robustness_row(load_network(by_name[name]["folder"], by_name[name]), test, robustness)
            for name in robustness_runs}
    robust = pd.DataFrame.from_dict(rows, orient="index")
    robust.index.name = "network"
    write_csv(robust.round(4).reset_index(), out_dir / "robustness.csv")
    robust_png = figures_dir / "robustness.png"
    plot_robustness(robust, robust_png, "S4: test accuracy on changed test images")
    figures.append({"path": str(robust_png), "caption": s4_robustness_caption(data, strengths)})
    tables.append({"path": str(out_dir / "robustness.csv"),
                   "caption": f"S4 robustness: test accuracy on {data}, original and changed ({strengths})."})

    wrong = np.flatnonzero(predicted != truth)[:MAX_MISCLASSIFIED]
    misclassified_png = figures_dir / "misclassified.png"
    plot_misclassified(splits.images["test"][wrong], [splits.classes[i] for i in truth[wrong]],
                       [splits.classes[i] for i in predicted[wrong]], misclassified_png,
                       f"S4: misclassified test paintings of {best['name']} "
                       f"({int((predicted != truth).sum())} of {len(truth)})")
    figures.append({"path": str(misclassified_png), "caption": s4_misclassified_caption(data, best["name"])})

    result = {"best": best["name"], "val_accuracy": best["val_accuracy"], "test_accuracy": test_accuracy,
              "chance": chance, "majority_val": majority_val, "majority_test": majority,
              "n_train": best["n_train"], "n_val": best["n_val"], "n_test": len(truth), "classes": splits.classes,
              "robustness": {name: row for name, row in rows.items()}}
    write_json(result, out_dir / "best.json")
    train = base["train"]
    momentum = f" and momentum {train['momentum']}" if train["optimizer"] == "sgd" and train["momentum"] else ""
    section = {
        "title": "S4. Artist classification CNN",
        "intro": (
            f"A small CNN classifies {data} ({len(splits.classes)} classes; {best['n_train']} training, "
            f"{best['n_val']} validation and {len(truth)} test images, 50x50 RGB scaled to [-0.5, 0.5]). "
            f"Base network: conv layers of {base['network']['channels']} channels, {base['network']['kernel']}x"
            f"{base['network']['kernel']} filters, stride {base['network']['stride']}, a hidden layer of "
            f"{base['network']['hidden']} units; {train['optimizer'].upper()} with learning rate {train['lr']}"
            f"{momentum}, batch size {train['batch_size']}, {train['epochs']} epochs. Each experiment changes one "
            "thing (pooling, dropout, weight decay per optimizer, early stopping, learning-rate schedules), then they are combined; "
            "the architecture sweep varies filter size, stride, depth and the channel shape. The configuration with "
            f"the best validation accuracy, {best['name']} ({100 * best['val_accuracy']:.1f}% on validation), scores "
            f"{100 * test_accuracy:.1f}% on test (scored once). {baselines} {S4_REFERENCE}"
        ),
        "figures": figures,
        "tables": tables,
    }
    write_json(section, out_dir / "section.json")
    return section

