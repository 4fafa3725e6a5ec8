"""S14's report section: defect-detection ROC-AUCs, Grad-CAM examples, the time-series score table."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from sklearn.metrics import roc_auc_score, roc_curve

from dlrepro.io import InputError, read_json, read_parquet_table, require_columns, write_csv, write_json
from dlrepro.metrics.timeseries import block_correlations
from dlrepro.plots.industrial import plot_block_correlations, plot_gradcam, plot_roc
from dlrepro.report.captions import (S14_STANDIN_DIES, s14_correlations_caption, s14_gradcam_caption,
                                     s14_image_data, s14_roc_caption, s14_series_data)

SCORES = {"classifier": "fine-tuned CNN", "knn": "k-NN distance (good only)", "pca": "PCA error (good only)"}
THRESHOLD = 0.3  # the wanted bound on the correlation with the existing linear prediction


def images_part(run_dir: Path, settings: dict[str, Any], figures: Path, out_dir: Path) -> dict:
    run = read_json(run_dir / "run.json")
    scores = read_parquet_table(run_dir / "scores.parquet").to_pandas()
    require_columns(run_dir / "scores.parquet", list(scores.columns), ["defect", *SCORES])
    if scores["defect"].nunique() < 2:
        raise InputError(f"{run_dir / 'scores.parquet'}: the test split holds one class only; ROC-AUC needs both")
    curves, rows = {}, []
    for column, label in SCORES.items():
        fpr, tpr, _ = roc_curve(scores["defect"], scores[column])
        auc = float(roc_auc_score(scores["defect"], scores[column]))
        curves[label] = (fpr, tpr, auc)
        rows.append({"score": label, "roc_auc": auc, "uses_defect_labels": column == "classifier"})
    table = pd.DataFrame(rows)
    write_csv(table, out_dir / "images.csv")
    data = s14_image_data(run["dataset"], run["dataset"] == S14_STANDIN_DIES)
    text = (f"{settings['arch']} ({settings['weights']} weights, {settings['mode']}) at {settings['image_size']} px, "
            f"{run['epochs']} epochs, {run['n_train']} training images ({run['n_train_good']} good for the outlier "
            f"scores, k = {settings['outlier']['k']}, {settings['outlier']['components']} PCA components), "
            f"{run['n_test']} test images")
    plot_roc(curves, np.array(run["confusion_matrix"]), run["classes"], figures / "roc.png",
             f"Defect detection ({run['dataset']})")
    examples = np.load(run_dir / "gradcam.npz")
    classes = run["classes"]
    titles = [f"{classes[label]} {score:.2f}" for label, score in zip(examples["labels"], examples["scores"])]
    plot_gradcam(examples["images"], examples["maps"], titles, figures / "gradcam.png",
                 f"Grad-CAM of the defect score ({run['dataset']}, {settings['gradcam']['layer']})")
    aucs = ", ".join(f"{row['score']} {row['roc_auc']:.3f}" for row in rows)
    return {"sentence": f"Defect detection on {data}: test ROC-AUC {aucs}; classifier accuracy {run['accuracy']:.3f}.",
            "figures": [{"path": str(figures / "roc.png"), "caption": s14_roc_caption(data, text)},
                        {"path": str(figures / "gradcam.png"),
                         "caption": s14_gradcam_caption(data, settings["gradcam"]["layer"])}],
            "table": {"path": str(out_dir / "images.csv"),
                      "caption": f"Test ROC-AUC (defect = positive) of each score, {data}; {text}."}}


def score_table(predictions: pd.DataFrame, models: list[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(per model and variant: mean 20-day correlation with the target and with the linear prediction;
    every block's correlation with the target)."""
    dates = pd.to_datetime(predictions["date"])
    rows, blocks = [], []
    columns = [("linear_prediction", "linear_prediction", False)] + [
        (name, column, residualised) for name in models
        for column, residualised in ((name, False), (f"{name}_residualised", True))]
    for name, column, residualised in columns:
        with_target = block_correlations(dates, predictions[column], predictions["target"])
        with_linear = block_correlations(dates, predictions[column], predictions["linear_prediction"])
        rows.append({"model": name, "residualised": residualised,
                     "mean_20d_correlation": with_target["correlation"].mean(),
                     "std_20d_correlation": with_target["correlation"].std(),
                     "blocks": len(with_target),
                     "correlation_with_linear": with_linear["correlation"].mean(),
                     "below_threshold": bool(abs(with_linear["correlation"].mean()) < THRESHOLD)})
        blocks.append(with_target.assign(model=name, residualised=residualised))
    return pd.DataFrame(rows), pd.concat(blocks, ignore_index=True)


def timeseries_part(run_dir: Path, settings: dict[str, Any], figures: Path, out_dir: Path) -> dict:
    run = read_json(run_dir / "run.json")
    predictions = read_parquet_table(run_dir / "predictions.parquet").to_pandas()
    models = list(run["models"])
    require_columns(run_dir / "predictions.parquet", list(predictions.columns),
                    ["date", "target", "linear_prediction", *models])
    table, blocks = score_table(predictions, models)
    write_csv(table, out_dir / "timeseries.csv")
    data = s14_series_data(settings["csv"])
    split = run["split"]
    text = (f"{run['rows']} rows over {run['dates']} dates, {run['features']} features; {len(run['folds'])} "
            f"rolling-origin folds (first {split['min_train_days']} dates for training, test blocks of "
            f"{split['test_days']} dates, gap {split['gap_days']}); residualised within each "
            f"{run['residualised_within']}")
    plot_block_correlations(blocks, figures / "correlations.png", "20-day correlation with the target")
    best = table[table["model"] != "linear_prediction"].sort_values("mean_20d_correlation").iloc[-1]
    kept = table[table["residualised"]].sort_values("mean_20d_correlation").iloc[-1]
    sentence = (f"Time series ({data}): mean 20-day correlation of the linear prediction "
                f"{table['mean_20d_correlation'].iloc[0]:.3f}; best model {best['model']}"
                f"{' residualised' if best['residualised'] else ''} {best['mean_20d_correlation']:.3f} (correlation "
                f"with the linear prediction {best['correlation_with_linear']:.2f}); best residualised "
                f"{kept['model']} {kept['mean_20d_correlation']:.3f} at {kept['correlation_with_linear']:.2f}.")
    return {"sentence": sentence,
            "figures": [{"path": str(figures / "correlations.png"), "caption": s14_correlations_caption(data, text)}],
            "table": {"path": str(out_dir / "timeseries.csv"),
                      "caption": f"Per model, plain and residualised: mean (and std) over 20-day blocks of the "
                                 f"correlation with the target, and of the correlation with the existing linear "
                                 f"prediction (wanted below {THRESHOLD}); {data}; {text}."}}


def summarise_study(images_dir: str | Path, timeseries_dir: str | Path, settings: dict[str, Any],
                    figures: str | Path, out_dir: str | Path) -> dict:
    """Tables, figures and ``section.json`` in ``out_dir`` from the images and time-series runs."""
    figures, out_dir = Path(figures), Path(out_dir)
    parts = [images_part(Path(images_dir), settings["images"], figures, out_dir),
             timeseries_part(Path(timeseries_dir), settings["timeseries"], figures, out_dir)]
    section = {"title": "S14. Industrial and financial data",
               "intro": " ".join(part["sentence"] for part in parts),
               "figures": [figure for part in parts for figure in part["figures"]],
               "tables": [part["table"] for part in parts]}
    write_json(section, out_dir / "section.json")
    return section
