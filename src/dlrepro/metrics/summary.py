"""The S1 summary: one table of dataset x extractor x classifier results and the report section.

Classifier metrics files carry their ``dataset``, ``extractor``, ``classifier``, ``scaling`` and
confusion-matrix ``figure``; fine-tuning metrics carry ``dataset``, ``arch`` and ``mode`` and sit
in the table under the extractor of the same name as "<arch> fine-tuned (<mode>)"; embedding files
carry their dataset, extractor, method, subset size and figure in their Parquet metadata.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from dlrepro.embed.embedding import METHOD_NAMES, read_embedding_keys
from dlrepro.io import read_json, write_csv, write_json
from dlrepro.plots.classification import plot_accuracy_bars, plot_accuracy_vs_time
from dlrepro.report.captions import (
    SCALING_WORDS,
    s1_accuracy_caption,
    s1_confusion_caption,
    s1_embedding_caption,
    s1_reference,
    s1_tradeoff_caption,
)

TABLE_COLUMNS = [
    "dataset", "extractor", "classifier", "accuracy", "top5",
    "fit_time_s", "predict_time_s", "n_train", "n_test", "n_features",
]

# decimals kept in the table: accuracies to 0.01 points, times to the millisecond
ROUNDING = {"accuracy": 4, "top5": 4, "fit_time_s": 3, "predict_time_s": 3}


def read_metrics(path: str | Path) -> dict[str, Any]:
    record = read_json(path)
    missing = {"dataset", "extractor", "classifier", "scaling", "figure", "accuracy"} - set(record)
    if missing:
        raise ValueError(f"{path}: metrics lack {', '.join(sorted(missing))}; write them with `dlrepro classify fit`")
    return record


def read_finetune_metrics(path: str | Path) -> dict[str, Any]:
    """A fine-tuning metrics file as a table record."""
    record = read_json(path)
    missing = {"dataset", "arch", "mode", "accuracy"} - set(record)
    if missing:
        raise ValueError(
            f"{path}: fine-tuning metrics lack {', '.join(sorted(missing))}; write them with `dlrepro finetune`"
        )
    return record | {
        "extractor": record["arch"],
        "classifier": f"{record['arch']} fine-tuned ({record['mode']})",
        "finetuned": True,
    }


def summary_table(records: list[dict[str, Any]]) -> pd.DataFrame:
    """One row per record, grouped by dataset then extractor (extractors in order of first appearance).

    Accuracies and times are rounded (ROUNDING), so the CSV reads 0.955, not 0.9550000000000001.
    """
    table = pd.DataFrame([{column: record.get(column) for column in TABLE_COLUMNS} for record in records])
    table["top5"] = table["top5"].astype(float)
    table = table.round(ROUNDING)
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
        classifiers.setdefault(record["classifier"], f"{record['kind']}({params}; scaling {record['scaling']})")
        seeds.add(record.get("seed"))
    return (
        "Feature extractors (feature count): "
        + ", ".join(f"{name} ({dim})" for name, dim in extractors.items())
        + ". Classifiers (scikit-learn, after a feature scaling: "
        + "; ".join(f"{name}: {words}" for name, words in SCALING_WORDS.items())
        + "): "
        + ", ".join(f"{name} = {spec}" for name, spec in classifiers.items())
        + f". Seed {', '.join(map(str, sorted(seeds, key=str)))}."
    )


def embedding_entries(paths: list[str]) -> list[dict[str, str]]:
    """Figure entries of the embeddings (``dlrepro embed`` Parquet files), in the given order."""
    entries = []
    for path in paths:
        keys = read_embedding_keys(path)
        caption = s1_embedding_caption(METHOD_NAMES.get(keys["method"], keys["method"]), keys["dataset"],
                                       keys["extractor"], str(keys["max_points"]))
        entries.append({"path": keys["figure"], "caption": caption})
    return entries


def best_confusion_entries(records: list[dict[str, Any]]) -> list[dict[str, str]]:
    """Figure entries of the confusion matrices of the best classifier per dataset and extractor."""
    entries = []
    for (dataset, extractor), record in best_classifiers(records).items():
        result = (f" Best classifier on these features: test accuracy {percent(record['accuracy'])}, "
                  f"top-5 {percent(record.get('top5'))}, {record['n_test']} test images.")
        entries.append({"path": record["figure"], "caption": s1_confusion_caption(
            dataset, extractor, f"{record['classifier']} ({record['kind']})", SCALING_WORDS[record["scaling"]],
            s1_reference([dataset]), result)})
    return entries


def s1_section(
    records: list[dict[str, Any]],
    table_path: str,
    analysis_figures: dict[str, str],
    embeddings: list[str],
) -> dict[str, Any]:
    """The report section: intro (data, settings, reference), the table and the figures.

    ``analysis_figures`` maps "accuracy" and "tradeoff" to their paths; ``embeddings`` are the
    embedding files whose figures are shown; of the confusion figures only those of the best
    classifier per dataset and extractor are shown.
    """
    data = data_summary(records)
    reference = s1_reference(sorted({record["dataset"] for record in records}))
    top = max(best_classifiers(records).values(), key=lambda r: r["accuracy"])
    n_finetuned = sum(bool(r.get("finetuned")) for r in records)
    also = f"Also: {n_finetuned} fine-tuned network(s), trained end to end or in the last layer only. "
    intro = (
        f"Frozen features + classical classifiers, fit on the train split and scored on the test split. "
        f"Data: {data}. {settings_summary(records)} "
        + (also if n_finetuned else "")
        + f"Best here: {top['classifier']} on {top['extractor']} features of {top['dataset']}, "
        f"{percent(top['accuracy'])} test accuracy. {reference}"
    )
    analysis = [
        {"path": analysis_figures["accuracy"], "caption": s1_accuracy_caption(data, reference)},
        {"path": analysis_figures["tradeoff"], "caption": s1_tradeoff_caption(data)},
    ]
    table_caption = (
        f"S1 results per dataset x feature extractor x classifier: test accuracy, top-5 accuracy "
        f"(only with more than 5 classes), fit and predict time in seconds. Data: {data}. {reference}"
    )
    return {
        "title": "S1. Features + classical learning",
        "intro": intro,
        "tables": [{"path": table_path, "caption": table_caption}],
        "figures": analysis + embedding_entries(embeddings)
        + best_confusion_entries(records),
    }


def summarise_s1(
    metrics: list[Path], finetune: list[Path], embeddings: list[Path], table: Path, accuracy_figure: Path,
    tradeoff_figure: Path, section: Path,
) -> pd.DataFrame:
    """Write the S1 table, its two analysis figures and the report section; returns the table.

    Raises ValueError (or KeyError) for metrics files that lack the keys they should carry.
    """
    records = [read_metrics(p) for p in metrics] + [read_finetune_metrics(p) for p in finetune]
    frame = summary_table(records)
    content = s1_section(records, str(table), {"accuracy": str(accuracy_figure), "tradeoff": str(tradeoff_figure)},
                         [str(p) for p in embeddings])
    write_csv(frame, table)
    plot_accuracy_bars(frame, accuracy_figure)
    plot_accuracy_vs_time(frame, tradeoff_figure)
    write_json(content, section)
    return frame
