"""S12's report section: teacher-student success rates, lottery-ticket sparsity table, measured bounds."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from dlrepro.io import read_parquet_table, require_columns, write_csv, write_json
from dlrepro.plots.landscape import plot_bounds, plot_lottery, plot_teacher_student
from dlrepro.report.captions import (s12_bounds_caption, s12_data, s12_lottery_caption,
                                     s12_teacher_student_caption)
from dlrepro.train.lottery import lottery_table
from dlrepro.train.teacher_student import success_table

BOUND_MEASURES = {"bartlett": "Bartlett et al. spectral bound term", "frobenius_over_margin": "prod ||W||_F / margin",
                  "path_norm_over_margin": "l2 path norm / margin", "distance_from_init": "||W - W0||_F",
                  "normalised_margin": "margin / (prod ||W||_2 RMS||x||)"}


def read_runs(path: str | Path, wanted: list[str]) -> pd.DataFrame:
    """A runs table (Parquet) written by ``dlrepro landscape``; one line naming the file when it is not one."""
    table = read_parquet_table(path).to_pandas()
    require_columns(path, list(table.columns), wanted)
    return table


def teacher_student_part(runs: pd.DataFrame, settings: dict[str, Any], figures: Path, out_dir: Path) -> dict:
    table = success_table(runs)
    write_csv(table, out_dir / "teacher_student.csv")
    text = (f"teacher of {settings['teacher_width']} {settings['activation']} units on d = {settings['inputs']} "
            f"Gaussian inputs, n = {settings['n_train']} training points, {table['seeds'].iloc[0]} seeds per "
            f"width, {settings['train']['optimizer']} lr {settings['train']['lr']}, up to "
            f"{settings['train']['max_epochs']} epochs")
    plot_teacher_student(table, figures / "teacher_student.png", "Teacher-student: over-parameterisation")
    rates = ", ".join(f"{w}: {r:.0%}" for w, r in zip(table["width"], table["success_rate"]))
    return {"sentence": f"Teacher-student ({text}): zero-training-error rate by student width {rates}.",
            "figure": {"path": str(figures / "teacher_student.png"), "caption": s12_teacher_student_caption(text)},
            "table": {"path": str(out_dir / "teacher_student.csv"),
                      "caption": f"Per student width: success rate, epochs to zero training error, errors; {text}."}}


def lottery_part(runs: pd.DataFrame, settings: dict[str, Any], figures: Path, out_dir: Path) -> dict:
    table = lottery_table(runs)
    write_csv(table, out_dir / "lottery.csv")
    data = s12_data(settings["dataset"])
    text = (f"MLP {'-'.join(map(str, settings['hidden']))}, {settings['prune_fraction']:.0%} of each layer's weights "
            f"pruned per round ({settings['output_fraction']:.0%} of the output layer's), {settings['rounds']} rounds, "
            f"rewound to epoch {settings['rewind_epoch']}, {settings['trials']} trial(s), "
            f"{settings['train']['optimizer']} lr {settings['train']['lr']}, {settings['train']['epochs']} epochs")
    plot_lottery(table, figures / "lottery.png", f"Lottery tickets ({settings['dataset']})")
    tickets = table[table["arm"] == "winning_ticket"].sort_values("round")
    dense, last = tickets.iloc[0], tickets.iloc[-1]
    others = table[(table["round"] == last["round"]) & (table["arm"] != "winning_ticket")]
    controls = "; ".join(f"{arm.replace('_', ' ')} {acc:.3f}" for arm, acc in zip(others["arm"], others["test_accuracy"]))
    sentence = (f"Lottery tickets on {data}: dense test accuracy {dense['test_accuracy']:.3f}; the winning ticket at "
                f"{last['remaining_percent']:.1f} % of the weights {last['test_accuracy']:.3f}"
                + (f" ({controls})" if controls else "") + ".")
    return {"sentence": sentence,
            "figure": {"path": str(figures / "lottery.png"), "caption": s12_lottery_caption(data, text)},
            "table": {"path": str(out_dir / "lottery.csv"),
                      "caption": f"Test accuracy (mean and std over trials) and early-stopping iteration per arm "
                                 f"and pruning round, {data}; {text}."}}


def bounds_part(measures: pd.DataFrame, dataset: str, figures: Path) -> dict:
    plot_bounds(measures, BOUND_MEASURES, figures / "bounds.png", f"Complexity measures vs gap (S5 networks, {dataset})")
    sweep = measures[measures["series"] == "width sweep"].sort_values("width")
    tracking = []
    for column in BOUND_MEASURES:
        correlation = measures[[column, "gap"]].corr(method="spearman").iloc[0, 1]
        tracking.append(f"{column} {correlation:+.2f}")
    # complexity grows with the measures and falls with the normalised margin
    grows = [column for column in BOUND_MEASURES if len(sweep) > 1 and sweep["gap"].iloc[-1] <= sweep["gap"].iloc[0]
             and (sweep[column].iloc[-1] < sweep[column].iloc[0] if column == "normalised_margin"
                  else sweep[column].iloc[-1] > sweep[column].iloc[0])]
    sentence = ("Measured bounds: Spearman correlation with the gap over all S5 networks: " + ", ".join(tracking)
                + ("; complexity growing with width while the gap does not: " + ", ".join(grows) if grows else "")
                + ".")
    return {"sentence": sentence,
            "figure": {"path": str(figures / "bounds.png"), "caption": s12_bounds_caption(dataset)}}


def summarise_study(teacher_runs: str | Path | None, lottery_runs: str | Path | None, bounds: str | Path | None,
                    settings: dict[str, Any], bounds_dataset: str, figures: str | Path, out_dir: str | Path) -> dict:
    """Tables, figures and ``section.json`` in ``out_dir`` from the parts that ran."""
    figures, out_dir = Path(figures), Path(out_dir)
    parts = []
    if teacher_runs:
        parts.append(teacher_student_part(read_runs(teacher_runs, ["width", "seed", "success"]), settings["teacher_student"], figures, out_dir))
    if lottery_runs:
        parts.append(lottery_part(read_runs(lottery_runs, ["arm", "round", "remaining"]), settings["lottery"], figures, out_dir))
    if bounds:
        parts.append(bounds_part(read_runs(bounds, ["series", "gap", *BOUND_MEASURES]), bounds_dataset, figures))
    section = {"title": "S12. Teacher-student, lottery tickets, generalization bounds",
               "intro": " ".join(part["sentence"] for part in parts),
               "figures": [part["figure"] for part in parts],
               "tables": [part["table"] for part in parts if "table" in part] + (
                   [{"path": str(bounds), "caption": "Complexity measures and generalization gap of each S5 network."}]
                   if bounds else [])}
    write_json(section, out_dir / "section.json")
    return section
