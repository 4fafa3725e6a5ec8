"""S3 outputs into figures, the comparison table and the report section.

``explain_faces`` runs a fine-tuned AlexNet on the test faces (predictions, guided backprop);
``summarise_faces`` reads every run's summary and weights and writes the section.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import torch

from dlrepro.data.dataset import load_dataset
from dlrepro.io import InputError, read_json, write_csv, write_json
from dlrepro.models.mlp import hidden_unit_images
from dlrepro.models.saliency import guided_backprop, saliency_image
from dlrepro.models.torchvision_nets import load_cnn
from dlrepro.plots.curves import plot_curves
from dlrepro.plots.faces import plot_hidden_units, plot_predictions, plot_saliency
from dlrepro.report.captions import (
    S3_REFERENCE,
    s3_data,
    s3_hidden_units_caption,
    s3_mlp_curves_caption,
    s3_predictions_caption,
    s3_saliency_caption,
    s3_table_caption,
    s3_transfer_curves_caption,
)
from dlrepro.train.checkpoint import load_weights
from dlrepro.train.engine import TrainConfig, as_tensors, predict
from dlrepro.train.faces import seeded_mlp
from dlrepro.train.finetune import imagenet_transform

EXAMPLES_PER_PERSON = 3
TABLE_COLUMNS = ["model", "input", "hidden", "weight_decay", "epochs", "n_train", "train_accuracy", "val_accuracy",
                 "test_accuracy"]


def explain_faces(dataset_dir: str | Path, model_path: str | Path, image_size: int, predictions_png: str | Path,
                  saliency_png: str | Path) -> dict[str, Any]:
    """Predictions of a fine-tuned AlexNet on the first test faces of each person, and the guided-backprop
    saliency of its true person's score for each person's first test face; returns what was shown."""
    dataset = load_dataset(dataset_dir)
    images, index = dataset.split("test")
    if len(index) == 0:
        raise InputError(f"{dataset_dir}: no test split to explain")
    labels = index["label"].to_numpy()
    model = load_cnn("alexnet", str(model_path))
    if model.classifier[-1].out_features != len(dataset.classes):
        raise InputError(f"{model_path}: a {model.classifier[-1].out_features}-way AlexNet, but {dataset_dir} "
                         f"has {len(dataset.classes)} people; give the model fine-tuned on it")
    transform = imagenet_transform(image_size)
    outputs, _ = predict(model, as_tensors(images, labels), TrainConfig(progress=False), transform)
    predicted = outputs.argmax(dim=1).numpy()
    shown = np.concatenate([np.flatnonzero(labels == k)[:EXAMPLES_PER_PERSON] for k in np.unique(labels)])
    plot_predictions(np.asarray(images[shown]), labels[shown], predicted[shown], dataset.classes, predictions_png)

    chosen = np.array([np.flatnonzero(labels == k)[0] for k in np.unique(labels)])
    inputs = transform(as_tensors(images[chosen], labels[chosen])[0])
    gradients = guided_backprop(model, inputs, torch.as_tensor(labels[chosen]))
    maps = torch.stack([saliency_image(g) for g in gradients]).numpy()
    plot_saliency(np.asarray(images[chosen]), maps, [dataset.classes[k] for k in labels[chosen]], saliency_png)
    return {"test_accuracy": float((predicted == labels).mean()), "shown": len(shown),
            "wrong_shown": int((predicted[shown] != labels[shown]).sum())}


def read_run(path: str | Path) -> dict[str, Any]:
    """A run's summary (fit.json) with the folder holding its metrics.parquet and model.pt."""
    run = read_json(path)
    for key in ("kind", "test_accuracy", "classes"):
        if key not in run:
            raise InputError(f"{path}: no '{key}': not the fit.json of a `dlrepro faces` run")
    return run | {"folder": str(Path(path).parent)}


def run_label(run: dict[str, Any]) -> str:
    if run["kind"] == "mlp":
        decay = f", L2 {run['weight_decay']:g}" if run["weight_decay"] else ""
        return f"{run['name']}: MLP, {run['hidden']} hidden{decay}"
    if run["kind"] == "features_fc":
        return f"conv4 + FC {run['hidden']} hidden"
    return f"AlexNet fine-tuned ({run['mode'].replace('_', ' ')})"


def accuracy_table(runs: list[dict[str, Any]]) -> pd.DataFrame:
    frame = pd.DataFrame([{**run, "model": run_label(run)} for run in runs])
    for column in TABLE_COLUMNS:
        if column not in frame:
            frame[column] = None
    return frame[TABLE_COLUMNS]


def hidden_units_figure(without: dict[str, Any], with_l2: dict[str, Any], png: Path) -> None:
    panels = {}
    for run in (without, with_l2):
        height, width, channels = run["image_shape"]
        model = seeded_mlp(height * width * channels, run["hidden"], len(run["classes"]), 0)
        load_weights(model, Path(run["folder"]) / "model.pt", f"MLP {run['name']}", "retrain it with `dlrepro faces mlp`")
        decay = f"L2 weight decay {run['weight_decay']:g}" if run["weight_decay"] else "no weight decay"
        panels[f"{run['name']}: {run['hidden']} hidden units, {decay}"] = hidden_unit_images(model, (height, width,
                                                                                                       channels))
    plot_hidden_units(panels, without["classes"], png)


def train_words(config: dict[str, Any]) -> str:
    decay = f", weight decay {config['weight_decay']:g}" if config["weight_decay"] else ""
    return (f"{config['optimizer'].upper()} at learning rate {config['lr']:g}, batch size {config['batch_size']}, "
            f"{config['epochs']} epochs{decay}")


def summarise_faces(mlp_fits: list[str | Path], transfer_fits: list[str | Path], hidden_units: tuple[str, str],
                    predictions_png: str | Path | None, saliency_png: str | Path | None, source: str, weights: str,
                    figures_dir: str | Path, out_dir: str | Path) -> dict[str, Any]:
    """Write S3's curves, hidden-unit figure, accuracy table and ``section.json``; returns the section.

    ``hidden_units``: names of the two MLP runs (without, with L2) whose units are drawn side by side.
    """
    figures_dir, out_dir = Path(figures_dir), Path(out_dir)
    mlps = [read_run(path) for path in mlp_fits]
    transfer = [read_run(path) for path in transfer_fits]
    if not mlps:
        raise ValueError("no MLP fit.json given: nothing to summarise")
    data = s3_data(source)
    by_name = {run["name"]: run for run in mlps}
    missing = [name for name in hidden_units if name not in by_name]
    if missing:
        raise ValueError(f"hidden_units names {missing}, which are not among the MLP runs {sorted(by_name)}")

    figures = []
    curves_png = figures_dir / "mlp_curves.png"
    plot_curves({run["name"]: Path(run["folder"]) / "metrics.parquet" for run in mlps}, curves_png,
                title="S3: one-hidden-layer networks on 28x28 faces", loss_label="cross-entropy")
    settings = "; ".join(f"{run['name']}: {run['hidden']} hidden units, {train_words(run['train_config'])}"
                         for run in mlps)
    figures.append({"path": str(curves_png), "caption": s3_mlp_curves_caption(data, settings)})
    units_png = figures_dir / "hidden_units.png"
    without, with_l2 = (by_name[name] for name in hidden_units)
    hidden_units_figure(without, with_l2, units_png)
    figures.append({"path": str(units_png), "caption": s3_hidden_units_caption(
        data, f"{without['name']} (weight decay {without['weight_decay']:g})",
        f"{with_l2['name']} (weight decay {with_l2['weight_decay']:g})")})
    if transfer:
        transfer_png = figures_dir / "transfer_curves.png"
        plot_curves({run_label(run): Path(run["folder"]) / "metrics.parquet" for run in transfer}, transfer_png,
                    title="S3: AlexNet conv4 features + FC, and fine-tuned AlexNet", loss_label="cross-entropy")
        figures.append({"path": str(transfer_png), "caption": s3_transfer_curves_caption(data, weights)})
    explained = "the fine-tuned AlexNet"
    if predictions_png:
        figures.append({"path": str(predictions_png), "caption": s3_predictions_caption(data, explained)})
    if saliency_png:
        figures.append({"path": str(saliency_png), "caption": s3_saliency_caption(data, explained)})

    table = accuracy_table(mlps + transfer)
    table_csv = out_dir / "accuracy.csv"
    write_csv(table, table_csv)
    best = table.loc[table["test_accuracy"].idxmax()]
    section = {
        "title": "S3. FaceScrub transfer learning",
        "intro": (
            f"Face recognition of {len(mlps[0]['classes'])} people ({', '.join(mlps[0]['classes'])}) on {data}: "
            f"one-hidden-layer networks on 28x28 grayscale pixels ({mlps[0]['n_train']} training faces, "
            f"{mlps[0]['n_test']} test faces), a fully connected classifier on frozen AlexNet conv4 activations, "
            f"and AlexNet fine-tuned with a new head (AlexNet weights: {weights}). Chance is "
            f"{1 / len(mlps[0]['classes']):.1%}; the best test accuracy here is {best['test_accuracy']:.1%} "
            f"({best['model']}). {S3_REFERENCE}"
        ),
        "figures": figures,
        "tables": [{"path": str(table_csv), "caption": s3_table_caption(data, weights)}],
    }
    write_json(section, out_dir / "section.json")
    return section
