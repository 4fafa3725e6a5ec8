"""S10 summary: palindrome accuracy and first-step gradients against T, the row LSTM beside S11's
networks, its curves, the report section."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from dlrepro.io import read_csv_table, read_json, write_csv, write_json
from dlrepro.plots.curves import plot_curves
from dlrepro.plots.sequences import plot_accuracy_vs_length, plot_first_step_gradient
from dlrepro.report.baselines import best_of, read_runs_table
from dlrepro.report.captions import (
    S10_REFERENCE, S10_ROW_REFERENCE, image_data, s10_accuracy_caption, s10_gradient_caption, s10_palindromes_caption,
    s10_row_caption, s10_row_curves_caption,
)

SWEEP_COLUMNS = ("cell", "length", "clipping", "seed", "max_norm", "hidden", "n_train", "epochs", "forget_bias",
                 "test_accuracy", "grad_first_init", "grad_first_trained")
TABLE_COLUMNS = ("cell", "length", "clipping", "seed", "max_norm", "train_accuracy", "test_accuracy", "grad_first_init",
                 "grad_first_trained", "cpu_seconds")


def read_sweep(path: str | Path) -> pd.DataFrame:
    return read_csv_table(path, SWEEP_COLUMNS, "`dlrepro sequences palindromes`")


def comparison_table(row_run: dict, baselines: list[str | Path]) -> pd.DataFrame:
    """The row LSTM, then the best ReLU MLP and the best VGG net of S11 on the same data."""
    rows = [{"model": row_run["model"], "family": "lstm", "parameters": row_run["parameters"],
             "epochs": row_run["epochs"], "test_accuracy": row_run["test_accuracy"]}]
    if baselines:
        runs = pd.concat([read_runs_table(path) for path in baselines], ignore_index=True)
        for best in (best_of(runs, family="mlp", activation="relu"), best_of(runs, family="vgg")):
            if best is not None:
                rows.append({key: best[key] for key in ("model", "family", "parameters", "epochs", "test_accuracy")})
    return pd.DataFrame(rows)


def summarise_study(sweeps: list[str | Path], row_run: str | Path | None, baselines: list[str | Path],
                    figures_dir: str | Path, out_dir: str | Path) -> dict:
    """Write the tables, figures and section.json of S10; returns the section."""
    figures_dir, out_dir = Path(figures_dir), Path(out_dir)
    figures, tables, intro = [], [], []
    if sweeps:
        sweep = pd.concat([read_sweep(path) for path in sweeps], ignore_index=True)
        first = sweep.iloc[0]
        seeds = sweep.groupby(["cell", "clipping", "length"]).size().max()
        forget_bias = sweep["forget_bias"].dropna()
        seen = "each seen once" if first["epochs"] == 1 else f"{first['epochs']} epochs"
        settings = (f"{first['hidden']} hidden units, {first['n_train']} training sequences per T, {seen}, "
                    + (f"LSTM forget-gate bias {forget_bias.iloc[0]:g} at init, " if len(forget_bias) else "")
                    + "clipping at norm "
                    f"{sweep['max_norm'].dropna().iloc[0] if sweep['max_norm'].notna().any() else '-'}, "
                    f"{seeds} seed{'s' if seeds > 1 else ''} per point")
        accuracy_png, gradient_png = figures_dir / "accuracy_vs_length.png", figures_dir / "gradient_vs_length.png"
        plot_accuracy_vs_length(sweep, accuracy_png)
        plot_first_step_gradient(sweep, gradient_png)
        write_csv(sweep[list(TABLE_COLUMNS)], out_dir / "palindromes.csv")
        figures += [{"path": str(accuracy_png), "caption": s10_accuracy_caption(settings)},
                    {"path": str(gradient_png), "caption": s10_gradient_caption(settings)}]
        tables.append({"path": str(out_dir / "palindromes.csv"), "caption": s10_palindromes_caption(settings)})
        intro.append(f"A vanilla tanh RNN and an LSTM of the same size ({settings}) read the first T - 1 digits of "
                     f"palindromes of length T = {', '.join(map(str, sorted(sweep['length'].unique())))} and "
                     f"predict the last, which equals the first. {S10_REFERENCE}")
    if row_run is not None:
        run = read_json(row_run)
        dataset = run["dataset"]
        data = image_data(dataset)
        write_csv(comparison_table(run, baselines), out_dir / "row_lstm.csv")
        curves_png = figures_dir / "row_lstm_curves.png"
        plot_curves(Path(row_run).parent / "metrics.parquet", curves_png, title=f"S10 row LSTM on {dataset}")
        figures.append({"path": str(curves_png), "caption": s10_row_curves_caption(data)})
        tables.append({"path": str(out_dir / "row_lstm.csv"), "caption": s10_row_caption(data)})
        intro.append(f"An LSTM of {run['hidden']} units reads each image row by row ({data}: {run['steps']} steps "
                     f"of {run['inputs']} pixels; {run['n_train']} training images). {S10_ROW_REFERENCE}")
    if not figures:
        raise ValueError("no palindrome sweep and no row-LSTM run given: nothing to summarise")
    section = {"title": "S10. Sequence models", "intro": " ".join(intro), "figures": figures, "tables": tables}
    write_json(section, out_dir / "section.json")
    return section
