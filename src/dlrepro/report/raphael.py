"""S2 summary: accuracy and ROC-AUC per extractor x classifier, disputed-drawing predictions, section."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from dlrepro.authentication.drawings import DISPUTED
from dlrepro.io import read_json

REFERENCE = (
    "The course project (Raphael drawings, leave-one-out over the known drawings, disputed drawings "
    "1, 7, 10, 20, 23, 25, 26) publishes no reference accuracy to compare with; on generated drawings "
    "(the embedded default) the two styles are separable and accuracy near 1 is expected."
)


def read_evaluations(metrics_files: list[str | Path]) -> list[dict]:
    """Metrics records, each with its drawing-decisions table loaded (decisions.csv beside it)."""
    runs = []
    for path in metrics_files:
        record = read_json(path)
        record["decisions"] = pd.read_csv(Path(path).with_name("decisions.csv"))
        runs.append(record)
    if not runs:
        raise ValueError("no S2 metrics given")
    return runs


def metrics_table(runs: list[dict]) -> pd.DataFrame:
    """One row per extractor x classifier, best accuracy (then ROC-AUC) first."""
    columns = ["extractor", "classifier", "accuracy", "roc_auc", "patch_accuracy", "known_drawings", "patches"]
    table = pd.DataFrame([{key: run[key] for key in columns} for run in runs])
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


def raphael_section(runs: list[dict], table_path: str, disputed_path: str, figures: dict[tuple[str, str], str],
                    patch_settings: str) -> dict:
    """The report section: intro with data, settings and headline; tables; one vote figure per model."""
    best = metrics_table(runs).iloc[0]
    first = runs[0]
    auc = "undefined" if pd.isna(best["roc_auc"]) else f"{best['roc_auc']:.2f}"
    intro = (
        f"Authentication of drawings by patch votes. Data: {first['known_drawings']} known drawings "
        f"({first['raphael_drawings']} Raphael, {first['not_raphael_drawings']} Not Raphael) and "
        f"{first['disputed_drawings']} disputed ones from {first['drawings']}, cut into patches ({patch_settings}). "
        "Each known drawing is held out once: a classifier fit on the other known drawings' patches votes on its "
        "patches, and the drawing is called Raphael when more than half of the votes say so; the vote share is "
        f"the ROC score and the confidence. Best: {best['extractor']} features + {best['classifier']}, "
        f"accuracy {best['accuracy']:.2f}, ROC-AUC {auc}. {REFERENCE}"
    )
    figure_entries = [
        {"path": figures[(run["extractor"], run["classifier"])],
         "caption": (f"Patch votes of {run['classifier']} on {run['extractor']} features over each drawing "
                     "(red: Raphael, blue: Not Raphael; known drawings voted on while held out, disputed ones by "
                     f"the model fit on all known drawings). Leave-one-out accuracy {run['accuracy']:.2f}.")}
        for run in runs
    ]
    return {
        "title": "S2. Raphael drawings authentication",
        "intro": intro,
        "tables": [
            {"path": table_path, "caption": (
                "Leave-one-drawing-out accuracy and ROC-AUC (score: share of Raphael votes) over the known "
                "drawings, and held-out patch accuracy, per extractor x classifier. " + REFERENCE)},
            {"path": disputed_path, "caption": (
                "Prediction for each disputed drawing by each extractor x classifier, with its confidence "
                "(share of patch votes for the decision). No ground truth exists for these drawings.")},
        ],
        "figures": figure_entries,
    }


def patch_settings_in_words(patches: dict) -> str:
    """The s2.patches settings as the captions give them."""
    colour = "grayscale" if patches["grayscale"] else "RGB"
    return (f"{patches['size']} px {colour} patches every {patches['stride']} px after scaling by "
            f"{patches['scale']}, patches with pixel std < {patches['min_std']} dropped as background")
