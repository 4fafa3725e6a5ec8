"""S12's report section: teacher-student success rates, lottery-ticket sparsity table, measured bounds
(S5's and S6's networks)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from dlrepro.io import read_parquet_table, require_columns, write_csv, write_json
from dlrepro.plots.landscape import PAPER_MARKS, plot_bounds, plot_bounds_sweep, plot_lottery, plot_teacher_student
from dlrepro.report.captions import (s12_bounds_caption, s12_bounds_s6_caption, s12_data, s12_lottery_caption,
                                     s12_teacher_student_caption, s12_ticket_reference)
from dlrepro.train.lottery import lottery_table
from dlrepro.train.teacher_student import success_table

CONV_NAMES = {"conv2": "Conv-2", "conv4": "Conv-4"}
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
            "figures": [{"path": str(figures / "teacher_student.png"), "caption": s12_teacher_student_caption(text)}],
            "table": {"path": str(out_dir / "teacher_student.csv"),
                      "caption": f"Per student width: success rate, epochs to zero training error, errors; {text}."}}


def lottery_part(runs: pd.DataFrame, settings: dict[str, Any], figures: Path, out_dir: Path) -> dict:
    table = lottery_table(runs)
    write_csv(table, out_dir / "lottery.csv")
    network = settings["network"]
    data = s12_data(settings["dataset"], network)
    if network == "mlp":
        pruned = (f"MLP {'-'.join(map(str, settings['hidden']))}, {settings['prune_fraction']:.0%} of each layer's "
                  "weights pruned per round")
    else:
        pruned = (f"{CONV_NAMES[network]}, {settings['conv_fraction']:.0%} of each convolution's and "
                  f"{settings['prune_fraction']:.0%} of each fully connected layer's weights pruned per round")
    text = (f"{pruned} ({settings['output_fraction']:.0%} of the output layer's), {settings['rounds']} rounds, "
            f"rewound to epoch {settings['rewind_epoch']}, {settings['trials']} trial(s), "
            f"{settings['train']['optimizer']} lr {settings['train']['lr']}, {settings['train']['epochs']} epochs")
    plot_lottery(table, figures / "lottery.png", f"Lottery tickets ({CONV_NAMES.get(network, 'MLP')}, "
                 f"{settings['dataset']})", marks=PAPER_MARKS if network == "mlp" else ())
    tickets = table[table["arm"] == "winning_ticket"].sort_values("round")
    dense, last = tickets.iloc[0], tickets.iloc[-1]
    others = table[(table["round"] == last["round"]) & (table["arm"] != "winning_ticket")]
    controls = "; ".join(f"{arm.replace('_', ' ')} {acc:.3f}" for arm, acc in zip(others["arm"], others["test_accuracy"]))
    sentence = (f"Lottery tickets on {data}: dense test accuracy {dense['test_accuracy']:.3f}; the winning ticket at "
                f"{last['remaining_percent']:.1f} % of the weights {last['test_accuracy']:.3f}"
                + (f" ({controls})" if controls else "") + ".")
    return {"sentence": sentence,
            "figures": [{"path": str(figures / "lottery.png"),
                         "caption": s12_lottery_caption(data, text, s12_ticket_reference(network))}],
            "table": {"path": str(out_dir / "lottery.csv"),
                      "caption": f"Test accuracy (mean and std over trials) and early-stopping iteration per arm "
                                 f"and pruning round, {data}; {text}."}}


def gap_correlations(rows: pd.DataFrame) -> str:
    """Each measure's Spearman correlation with the gap over ``rows``."""
    return ", ".join(f"{column} {rows[[column, 'gap']].corr(method='spearman').iloc[0, 1]:+.2f}"
                     for column in BOUND_MEASURES)


def grow_while_gap_does_not(rows: pd.DataFrame) -> list[str]:
    """Measures whose complexity rises from the narrowest to the widest of ``rows`` while the gap does
    not (complexity grows with the measures and falls with the normalised margin)."""
    rows = rows.sort_values("width")
    if len(rows) < 2 or rows["gap"].iloc[-1] > rows["gap"].iloc[0]:
        return []
    first, last = rows.iloc[0], rows.iloc[-1]
    return [column for column in BOUND_MEASURES
            if (last[column] < first[column] if column == "normalised_margin" else last[column] > first[column])]


def bounds_part(measures: pd.DataFrame, figures: Path) -> dict:
    families = {family: rows for family, rows in measures.groupby("family")}
    data = ", ".join(f"{family} on {rows['dataset'].iloc[0]}" for family, rows in families.items())
    plot_bounds(measures, BOUND_MEASURES, figures / "bounds.png", f"Complexity measures vs gap ({data})")
    sentences, figure_list = [], [{"path": str(figures / "bounds.png"), "caption": s12_bounds_caption(data)}]
    if "S5" in families:
        grows = grow_while_gap_does_not(families["S5"][families["S5"]["series"] == "width sweep"])
        sentences.append(f"Spearman correlation with the gap over S5's networks: {gap_correlations(families['S5'])}"
                         + (f"; growing with width while the gap does not: {', '.join(grows)}" if grows else ""))
    if "S6" in families:
        sweep = families["S6"]
        dataset = sweep["dataset"].iloc[0]
        plot_bounds_sweep(sweep, BOUND_MEASURES, figures / "bounds_s6.png",
                          f"Complexity measures along S6's double descent ({dataset})")
        figure_list.append({"path": str(figures / "bounds_s6.png"), "caption": s12_bounds_s6_caption(dataset)})
        fresh = sweep[sweep["parameters"] >= sweep["threshold"]]  # fresh initialisations, none reused
        grows = grow_while_gap_does_not(fresh)
        sentences.append(f"Spearman correlation with the gap over S6's {len(sweep)} double-descent widths: "
                         f"{gap_correlations(sweep)}; over the {len(fresh)} from nK on: {gap_correlations(fresh)}"
                         + (f"; growing past nK while the gap does not: {', '.join(grows)}" if grows else ""))
    return {"sentence": "Measured bounds: " + "; ".join(sentences) + ".", "figures": figure_list}


def summarise_study(teacher_runs: str | Path | None, lottery_runs: str | Path | None, bounds: str | Path | None,
                    settings: dict[str, Any], figures: str | Path, out_dir: str | Path) -> dict:
    """Tables, figures and ``section.json`` in ``out_dir`` from the parts that ran."""
    figures, out_dir = Path(figures), Path(out_dir)
    parts = []
    if teacher_runs:
        parts.append(teacher_student_part(read_runs(teacher_runs, ["width", "seed", "success"]), settings["teacher_student"], figures, out_dir))
    if lottery_runs:
        parts.append(lottery_part(read_runs(lottery_runs, ["arm", "round", "remaining"]), settings["lottery"], figures, out_dir))
    if bounds:
        parts.append(bounds_part(read_runs(bounds, ["family", "dataset", "series", "gap", *BOUND_MEASURES]), figures))
    section = {"title": "S12. Teacher-student, lottery tickets, generalization bounds",
               "intro": " ".join(part["sentence"] for part in parts),
               "figures": [figure for part in parts for figure in part["figures"]],
               "tables": [part["table"] for part in parts if "table" in part] + (
                   [{"path": str(bounds), "caption": "Complexity measures and generalization gap of each S5 and S6 network."}]
                   if bounds else [])}
    write_json(section, out_dir / "section.json")
    return section
