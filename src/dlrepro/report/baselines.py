"""S11 summary: one table of every MLP and VGG run, accuracy against parameters and training
curves per dataset, the report section."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from dlrepro.io import read_csv_table, write_csv, write_json
from dlrepro.plots.baselines import plot_accuracy_vs_parameters
from dlrepro.plots.curves import plot_curves
from dlrepro.report.captions import (
    S11_REFERENCE, image_data, s11_accuracy_caption, s11_curves_caption, s11_table_caption,
)

RUN_COLUMNS = ("model", "family", "activation", "depth", "width", "parameters", "test_accuracy")


def read_runs_table(path: str | Path) -> pd.DataFrame:
    """A runs.csv of `dlrepro baselines mlp|vgg`, or one line naming the file."""
    return read_csv_table(path, RUN_COLUMNS, "`dlrepro baselines`")


def best_of(runs: pd.DataFrame, **where) -> pd.Series | None:
    """The run with the highest test accuracy among those matching ``where`` (None if none do)."""
    for column, value in where.items():
        runs = runs[runs[column] == value]
    return None if runs.empty else runs.loc[runs["test_accuracy"].idxmax()]


def curve_runs(runs: pd.DataFrame) -> dict[str, Path]:
    """Label -> metrics file: the best ReLU MLP, the best linear MLP and every VGG net."""
    chosen = [best_of(runs, family="mlp", activation=a) for a in ("relu", "linear")]
    chosen += [row for _, row in runs[runs["family"] == "vgg"].iterrows()]
    return {row["model"]: Path(row["folder"]) / f"{row['model']}.parquet" for row in chosen if row is not None}


def summarise_study(run_tables: dict[str, list[str | Path]], figures_dir: str | Path, out_dir: str | Path) -> dict:
    """Write table.csv, the figures and section.json from each dataset's runs tables; returns the section."""
    figures_dir, out_dir = Path(figures_dir), Path(out_dir)
    if not run_tables:
        raise ValueError("no runs tables given: nothing to summarise")
    figures, tables = [], []
    for dataset, paths in run_tables.items():
        runs = pd.concat([read_runs_table(path).assign(folder=str(Path(path).parent)) for path in paths],
                         ignore_index=True)
        data = image_data(dataset)
        accuracy_png, curves_png = figures_dir / f"accuracy_{dataset}.png", figures_dir / f"curves_{dataset}.png"
        plot_accuracy_vs_parameters(runs, f"S11 on {dataset} ({runs['n_train'].iloc[0]} training images)",
                                    accuracy_png)
        plot_curves(curve_runs(runs), curves_png, title=f"S11 on {dataset}")
        table_csv = out_dir / f"table_{dataset}.csv"
        write_csv(runs.drop(columns="folder"), table_csv)
        figures += [{"path": str(accuracy_png), "caption": s11_accuracy_caption(data)},
                    {"path": str(curves_png), "caption": s11_curves_caption(data)}]
        tables.append({"path": str(table_csv), "caption": s11_table_caption(data)})
    section = {
        "title": "S11. MLP and VGG baselines",
        "intro": (f"Fully connected networks of each depth and width, with ReLU and without it (a purely linear "
                  f"network: its layers compose into one matrix, so it can only be a linear classifier), and "
                  f"VGG-style CNNs (stages of 3x3 convolutions closed by 2x2 max pooling), trained by the shared "
                  f"engine on {', '.join(image_data(d) for d in run_tables)} and scored on the test split. "
                  f"{S11_REFERENCE}"),
        "figures": figures,
        "tables": tables,
    }
    write_json(section, out_dir / "section.json")
    return section
