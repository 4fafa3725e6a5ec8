"""S2 summary: accuracy and ROC-AUC per extractor x classifier, disputed-drawing predictions, section."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from dlrepro.authentication.drawings import DISPUTED
from dlrepro.io import read_json, write_csv, write_json
from dlrepro.report.captions import s2_reference, s2_votes_caption

# decimals kept in the tables
ROUNDING = {"accuracy": 4, "roc_auc": 4, "patch_accuracy": 4}


def read_evaluations(metrics_files: list[str | Path]) -> list[dict]:
    """Metrics records, each with the drawing-decisions table it names loaded."""
    runs = []
    for path in metrics_files:
        record = read_json(path)
        if not {"decisions", "figure", "disputed_numbers"} <= set(record):
            raise ValueError(f"{path}: metrics lack decisions, figure or disputed_numbers; rerun `dlrepro raphael evaluate`")
        record["decisions"] = pd.read_csv(record["decisions"])
        runs.append(record)
    if not runs:
        raise ValueError("no S2 metrics given")
    return runs


def metrics_table(runs: list[dict]) -> pd.DataFrame:
    """One row per extractor x classifier, best accuracy (then ROC-AUC) first."""
    columns = ["extractor", "classifier", "accuracy", "roc_auc", "patch_accuracy", "known_drawings",
               "undecided_drawings", "patches"]
    table = pd.DataFrame([{key: run[key] for key in columns} for run in runs]).round(ROUNDING)
    return table.sort_values(["accuracy", "roc_auc"], ascending=False, kind="stable").reset_index(drop=True)


def disputed_table(runs: list[dict]) -> pd.DataFrame:
    """Disputed drawings x (extractor / classifier): decision and its confidence (share of votes)."""
    rows = {}
    for run in runs:
        decisions = run["decisions"][run["decisions"]["label"] == DISPUTED]
        column = f"{run['extractor']} / {run['classifier']}"
        for drawing in decisions.itertuples():
            rows.setdefault(drawing.number, {"drawing": drawing.number})[column] = (
                f"{drawing.decision} ({drawing.confidence:.2f})"
            )
    if not rows:
        return pd.DataFrame({"drawing": []})
    return pd.DataFrame(list(rows.values())).sort_values("drawing").reset_index(drop=True)


def numbers(values: list[int]) -> str:
    return ", ".join(str(v) for v in values) or "none"


def raphael_section(runs: list[dict], table_path: str, disputed_path: str, patch_settings: str) -> dict:
    """The report section: intro with data, settings and headline; tables; one vote figure per model."""
    best = metrics_table(runs).iloc[0]
    first = runs[0]
    reference = s2_reference(first["disputed_numbers"])
    auc = "undefined" if pd.isna(best["roc_auc"]) else f"{best['roc_auc']:.2f}"
    intro = (
        f"Authentication of drawings by patch votes. Data: {first['known_drawings']} known drawings "
        f"({first['raphael_drawings']} Raphael, {first['not_raphael_drawings']} Not Raphael) and "
        f"{first['disputed_drawings']} disputed ones (numbers {numbers(first['disputed_numbers'])}) from "
        f"{first['drawings']}, cut into patches ({patch_settings}). Each known drawing is held out once: a "
        "classifier fit on the other known drawings' patches votes on its patches; the drawing is called Raphael "
        "when more than half of the votes say so, Not Raphael when fewer than half do, and Undecided on a tie "
        "(counted as not correct); the vote share is the ROC score. "
        f"Best: {best['extractor']} features + {best['classifier']}, accuracy {best['accuracy']:.2f}, "
        f"ROC-AUC {auc}, {best['undecided_drawings']} undecided. {reference}"
    )
    figure_entries = [
        {"path": run["figure"],
         "caption": s2_votes_caption(run["classifier"], run["extractor"],
                                     f" Leave-one-out accuracy {run['accuracy']:.2f}, "
                                     f"{run['undecided_drawings']} known drawing(s) undecided.")}
        for run in runs
    ]
    return {
        "title": "S2. Raphael drawings authentication",
        "intro": intro,
        "tables": [
            {"path": table_path, "caption": (
                "Leave-one-drawing-out accuracy (undecided drawings count as not correct) and ROC-AUC (score: share "
                "of Raphael votes) over the known drawings, held-out patch accuracy and the number of undecided "
                f"known drawings, per extractor x classifier. {reference}")},
            {"path": disputed_path, "caption": (
                f"Prediction for each disputed drawing ({numbers(first['disputed_numbers'])}) by each extractor x "
                "classifier, with its confidence (share of patch votes for the decision; Undecided at 0.50). "
                "No ground truth exists for these drawings.")},
        ],
        "figures": figure_entries,
    }


def patch_settings_in_words(patches: dict) -> str:
    """The s2.patches settings as the captions give them."""
    colour = "grayscale" if patches["grayscale"] else "RGB"
    return (f"{patches['size']} px {colour} patches every {patches['stride']} px after scaling by "
            f"{patches['scale']}, patches with pixel std < {patches['min_std']} dropped as background")


def summarise_s2(metrics: list[Path], patch_settings: str, table: Path, disputed: Path, section: Path) -> list[dict]:
    """Write the S2 tables and report section from the evaluate outputs; returns the runs read."""
    runs = read_evaluations(metrics)
    write_csv(metrics_table(runs), table)
    write_csv(disputed_table(runs), disputed)
    write_json(raphael_section(runs, str(table), str(disputed), patch_settings), section)
    return runs
