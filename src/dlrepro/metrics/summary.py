"""The S1 summary: one table of dataset x extractor x classifier results and the report section.

Classifier metrics files carry their ``dataset``, ``extractor`` and ``classifier`` names;
fine-tuning metrics carry ``arch`` and ``mode`` and sit in the table under the extractor of
the same name as "<arch> fine-tuned (<mode>)". Figures are identified by their file names
(``<dataset>/<extractor>/embedding_<method>.png``, ``<dataset>/<extractor>/confusion_<classifier>.png``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from dlrepro.embed.embedding import METHOD_NAMES
from dlrepro.io import read_json

TABLE_COLUMNS = [
    "dataset", "extractor", "classifier", "accuracy", "top5",
    "fit_time_s", "predict_time_s", "n_train", "n_test", "n_features",
]

REFERENCE = (
    "Reference at paper scale (full MNIST, 60,000 training images; not the scale of the embedded "
    "default): scattering transform + SVM reaches about 99.4% test accuracy (Bruna & Mallat 2013), "
    "raw pixels + a linear classifier about 92% (LeCun et al. 1998)."
)


def read_metrics(path: str | Path) -> dict[str, Any]:
    record = read_json(path)
    missing = {"dataset", "extractor", "classifier", "accuracy"} - set(record)
    if missing:
        raise ValueError(f"{path}: metrics lack {', '.join(sorted(missing))}; write them with `dlrepro classify fit`")
    return record


def read_finetune_metrics(path: str | Path) -> dict[str, Any]:
    """A fine-tuning metrics file as a table record; the dataset defaults to results/s1/<dataset>/finetune/<mode>/."""
    path = Path(path)
    record = read_json(path)
    missing = {"arch", "mode", "accuracy"} - set(record)
    if missing:
        raise ValueError(f"{path}: fine-tuning metrics lack {', '.join(sorted(missing))}")
    return record | {
        "dataset": record.get("dataset") or path.parents[2].name,
        "extractor": record["arch"],
        "classifier": f"{record['arch']} fine-tuned ({record['mode']})",
        "finetuned": True,
    }


def summary_table(records: list[dict[str, Any]]) -> pd.DataFrame:
    """One row per record, grouped by dataset then extractor (extractors in order of first appearance)."""
    table = pd.DataFrame([{column: record.get(column) for column in TABLE_COLUMNS} for record in records])
    table["top5"] = table["top5"].astype(float)
    first_seen = {extractor: i for i, extractor in enumerate(dict.fromkeys(table["extractor"]))}
    order = table.assign(position=table["extractor"].map(first_seen)).sort_values(["dataset", "position"], kind="stable")
    return table.loc[order.index].reset_index(drop=True)


def best_classifiers(records: list[dict[str, Any]]) -> dict[tuple[str, str], dict[str, Any]]:
    """(dataset, extractor) -> the classifier record with the highest test accuracy (fine-tuning excluded)."""
    best: dict[tuple[str, str], dict[str, Any]] = {}
    for record in records:
        key = (record["dataset"], record["extractor"])
        if not record.get("finetuned") and (key not in best or record["accuracy"] > best[key]["accuracy"]):
            best[key] = record
    return best


def figure_key(path: str | Path, prefix: str) -> tuple[str, str, str]:
    """(dataset, extractor, name) of a figure ``.../<dataset>/<extractor>/<prefix>_<name>.png``."""
    path = Path(path)
    if not path.stem.startswith(f"{prefix}_"):
        raise ValueError(f"{path}: expected a file named {prefix}_<name>.png")
    return path.parent.parent.name, path.parent.name, path.stem.removeprefix(f"{prefix}_")


def percent(value: float | None) -> str:
    return "n/a" if value is None or pd.isna(value) else f"{100 * value:.1f}%"


def data_summary(records: list[dict[str, Any]]) -> str:
    sizes = {}
    for record in records:
        if not record.get("finetuned"):
            sizes.setdefault(record["dataset"], f"{record['n_train']} train / {record['n_test']} test images")
    return "; ".join(f"{dataset} ({size})" for dataset, size in sorted(sizes.items()))


def settings_summary(records: list[dict[str, Any]]) -> str:
    extractors, classifiers, seeds = {}, {}, set()
    for record in records:
        if record.get("finetuned"):
            continue
        extractors.setdefault(record["extractor"], record["n_features"])
        params = ", ".join(f"{k}={v}" for k, v in sorted(record.get("params", {}).items()))
        classifiers.setdefault(record["classifier"], f"{record['kind']}({params})")
        seeds.add(record.get("seed"))
    return (
        "Feature extractors (feature count): "
        + ", ".join(f"{name} ({dim})" for name, dim in extractors.items())
        + ". Classifiers (scikit-learn, features standardised on the train split): "
        + ", ".join(f"{name} = {spec}" for name, spec in classifiers.items())
        + f". Seed {', '.join(map(str, sorted(seeds, key=str)))}."
    )


def embedding_entries(paths: list[str], max_points: int | None) -> list[dict[str, str]]:
    subset = f"at most {max_points} points" if max_points else "a subset"
    entries = []
    for path in paths:
        dataset, extractor, method = figure_key(path, "embedding")
        entries.append({"path": path, "caption": (
            f"{METHOD_NAMES.get(method, method)} embedding of {extractor} features of {dataset} "
            f"({subset}, class-stratified and seeded, features standardised), coloured by class. "
            "Reference: qualitative only (no published number); compare the class separation across extractors."
        )})
    return entries


def best_confusion_entries(paths: list[str], records: list[dict[str, Any]]) -> list[dict[str, str]]:
    """Figure entries of the confusion matrices of the best classifier per dataset and extractor."""
    best = best_classifiers(records)
    entries = []
    for path in paths:
        dataset, extractor, classifier = figure_key(path, "confusion")
        record = best.get((dataset, extractor))
        if record is not None and record["classifier"] == classifier:
            entries.append({"path": path, "caption": (
                f"Confusion matrix of the best classifier on {extractor} features of {dataset}: {classifier} "
                f"({record['kind']}), test accuracy {percent(record['accuracy'])}, "
                f"top-5 {percent(record.get('top5'))}, {record['n_test']} test images. {REFERENCE}"
            )})
    return entries


def s1_section(
    records: list[dict[str, Any]],
    table_path: str,
    analysis_figures: dict[str, str],
    embedding_figures: list[str],
    confusion_figures: list[str],
    max_points: int | None = None,
) -> dict[str, Any]:
    """The report section: intro (data, settings, reference), the table and the figures.

    ``analysis_figures`` maps "accuracy" and "tradeoff" to their paths; of the confusion
    figures only those of the best classifier per dataset and extractor are shown.
    """
    data = data_summary(records)
    top = max(best_classifiers(records).values(), key=lambda r: r["accuracy"])
    n_finetuned = sum(bool(r.get("finetuned")) for r in records)
    also = f"Also: {n_finetuned} fine-tuned network(s), trained end to end or in the last layer only. "
    intro = (
        f"Frozen features + classical classifiers, fit on the train split and scored on the test split. "
        f"Data: {data}. {settings_summary(records)} "
        + (also if n_finetuned else "")
        + f"Best here: {top['classifier']} on {top['extractor']} features of {top['dataset']}, "
        f"{percent(top['accuracy'])} test accuracy. {REFERENCE}"
    )
    analysis = [
        {"path": analysis_figures["accuracy"],
         "caption": f"Test accuracy per feature extractor and classifier ({data}). {REFERENCE}"},
        {"path": analysis_figures["tradeoff"],
         "caption": f"Test accuracy vs fit time (wall clock, log scale) of every classifier ({data}). "
                    "Reference: no published timing; times are of this run's machine."},
    ]
    table_caption = (
        f"S1 results per dataset x feature extractor x classifier: test accuracy, top-5 accuracy "
        f"(only with more than 5 classes), fit and predict time in seconds. Data: {data}. {REFERENCE}"
    )
    return {
        "title": "S1. Features + classical learning",
        "intro": intro,
        "tables": [{"path": table_path, "caption": table_caption}],
        "figures": analysis + embedding_entries(embedding_figures, max_points)
        + best_confusion_entries(confusion_figures, records),
    }
