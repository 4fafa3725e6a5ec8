"""S5 summary: training curves per model, time-to-fit table, corruption and width-sweep figures,
and the report section that states data, settings and the reference result."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from dlrepro.io import read_json, write_csv, write_json
from dlrepro.plots.curves import plot_curves
from dlrepro.plots.generalization import plot_corruption, plot_width_sweep
from dlrepro.report.captions import S5_REFERENCE, s5_corruption_caption, s5_curves_caption, s5_width_sweep_caption
from dlrepro.train.generalization import fit_table

def read_runs(fit_files: list[str | Path]) -> list[dict]:
    """Run summaries (fit.json) with the path of their metrics table added."""
    runs = []
    for path in fit_files:
        run = read_json(path)
        run["metrics_path"] = str(Path(path).with_name("metrics.parquet"))
        runs.append(run)
    return runs


def curve_figures(runs: list[dict], figures_dir: Path) -> list[dict]:
    """One figure per (model, regularisation): training loss and error vs epoch, a line per variant."""
    figures = []
    frame = pd.DataFrame(runs)
    for (model, regularisation), group in frame.groupby(["model", "regularisation"], sort=True):
        curves = {
            run["variant"]: pd.read_parquet(run["metrics_path"], columns=["epoch", "train_loss", "train_error"])
            for run in group.sort_values("variant").to_dict("records")
        }
        path = figures_dir / f"curves_{model}_{regularisation}.png"
        plot_curves(curves, path, title=f"S5 {model} ({regularisation}): fitting each data variant",
                    loss_label="training cross-entropy")
        first = group.iloc[0]
        figures.append({
            "path": str(path),
            "caption": s5_curves_caption(
                f"the {model} ({first['kind']}, {first['parameters']:,} parameters, regularisation "
                f"'{regularisation}': weight decay {first['weight_decay']}, dropout {first['dropout']}, shifts "
                f"{first['shift']} px, flips {first['flip']}) on {first['n_train']} training images per data variant"
            ),
        })
    return figures


def epochs_text(epochs: float) -> str:
    return "not reached" if pd.isna(epochs) else f"{int(epochs)}"


def headline(table: pd.DataFrame) -> str:
    """Measured epochs to zero training error, true vs random labels, per model and setting."""
    sentences = []
    for (model, regularisation), group in table.groupby(["model", "regularisation"], sort=True):
        epochs = group.set_index("variant")["epochs_to_zero_error"]
        if {"true_labels", "random_labels"} <= set(epochs.index):
            sentences.append(
                f"{model}/{regularisation}: true labels {epochs_text(epochs['true_labels'])}, "
                f"random labels {epochs_text(epochs['random_labels'])}"
            )
    return "Measured epochs to zero training error: " + "; ".join(sentences) + "." if sentences else ""


def baseline_setting(frame: pd.DataFrame) -> str:
    """The regularisation setting without any regulariser, else the one with the most runs."""
    off = frame[(frame["weight_decay"] == 0) & (frame["dropout"] == 0) & (frame["shift"] == 0) & ~frame["flip"]]
    return str((off if len(off) else frame)["regularisation"].value_counts().idxmax())


def summarise_study(
    fit_files: list[str | Path], sweep_files: list[str | Path], figures_dir: str | Path, out_dir: str | Path,
    dataset: str,
) -> dict:
    """Write the S5 figures, tables and ``section.json``; returns the section."""
    figures_dir, out_dir = Path(figures_dir), Path(out_dir)
    runs = read_runs(fit_files)
    if not runs:
        raise ValueError("no fit.json files given: nothing to summarise")
    figures = curve_figures(runs, figures_dir)
    frame = pd.DataFrame(runs)
    table = fit_table(runs)
    fit_csv = out_dir / "time_to_fit.csv"
    write_csv(table, fit_csv)
    setting = baseline_setting(frame)
    plain = frame[frame["regularisation"] == setting]
    corruption_png = figures_dir / "label_corruption.png"
    plot_corruption(plain, corruption_png, f"S5: label corruption (regularisation '{setting}')")
    figures.append({
        "path": str(corruption_png),
        "caption": s5_corruption_caption(f"'{setting}'", str(plain["n_train"].iloc[0]), dataset),
    })
    tables = [{
        "path": str(fit_csv),
        "caption": (
            "Epochs and seconds (training plus per-epoch evaluation, one CPU thread or one GPU) to zero "
            "training error per model, regularisation and data variant; slowdown = epochs / epochs of "
            "true labels. Empty: not reached within the epoch limit. Reference: random labels fit "
            "a small constant factor slower than true labels."
        ),
    }]
    if sweep_files:
        figures.append(width_sweep(read_runs(sweep_files), figures_dir, out_dir, dataset, tables))
    train_config = runs[0]["train_config"]
    section = {
        "title": "S5. Rethinking generalization (Zhang et al. 2017)",
        "intro": (
            f"Over-parameterised networks trained on {runs[0]['n_train']} training images of {dataset} "
            f"(tested on {runs[0]['n_test']}) in randomised variants: true labels, labels resampled with "
            "probability p (training labels only; test labels stay true), random labels, one fixed pixel "
            "permutation, a pixel permutation per image, and Gaussian noise with the data's per-channel "
            "mean and standard deviation (pixel variants applied to training and test images). "
            f"{train_config['optimizer'].upper()} with learning rate {train_config['lr']}, momentum "
            f"{train_config['momentum']}, batch size {train_config['batch_size']}, until zero training error "
            f"or {train_config['epochs']} epochs. {headline(table)} {S5_REFERENCE}"
        ),
        "figures": figures,
        "tables": tables,
    }
    write_json(section, out_dir / "section.json")
    return section


def width_sweep(runs: list[dict], figures_dir: Path, out_dir: Path, dataset: str, tables: list[dict]) -> dict:
    """Width-sweep table (appended to ``tables``) and figure entry."""
    table = pd.DataFrame(runs)[["kind", "width", "parameters", "epochs_to_zero_error", "train_error",
                                 "test_error", "test_loss"]].sort_values("parameters")
    sweep_csv = out_dir / "width_sweep.csv"
    write_csv(table, sweep_csv)
    png = figures_dir / "width_sweep.png"
    kind = table["kind"].iloc[0]
    plot_width_sweep(table, png, f"S5: {kind} width sweep on {dataset}")
    tables.append({"path": str(sweep_csv), "caption": f"Width sweep of the {kind} on true labels: final errors and test cross-entropy per width."})
    return {
        "path": str(png),
        "caption": s5_width_sweep_caption(kind, ", ".join(str(w) for w in table["width"]), str(runs[0]["n_train"]),
                                          dataset),
    }

