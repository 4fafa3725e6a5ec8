"""The reference scorecard: published numbers next to this run's, with a verdict.

``references.csv`` (next to this module) holds one published result per row: study, dataset
(a source name: mnist, fashion-mnist, cifar10), setting (space-separated ``key=value`` pairs),
metric, value, tolerance and source (paper with table or figure). Each study's outputs are
turned into *results*: the same kind of setting, built from the keys its metrics files carry,
and the metrics measured. A result answers a reference when the study, the dataset and every
setting key but the scale keys agree; its verdict is then "reproduced" (within tolerance),
"off by X", or "not run at this scale" when a scale key (the training-set size) differs. A
reference that no result answers is "not run".
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import pandas as pd

from dlrepro.io import read_json, read_parquet_table
from dlrepro.metrics.summary import read_metrics
from dlrepro.report.generalization import read_runs
from dlrepro.train.double_descent import double_descent_peak
from dlrepro.train.generalization import fit_table
from dlrepro.train.lottery import lottery_table

REFERENCE_COLUMNS = ["study", "dataset", "setting", "metric", "value", "tolerance", "source"]
SCORECARD_COLUMNS = ["study", "dataset", "setting", "metric", "published", "tolerance", "ours", "run", "verdict",
                     "source"]
# settings that say how much was run, not what: a difference makes the comparison "not run at this scale"
SCALE_KEYS = {"n_train"}


@dataclass(frozen=True)
class Result:
    """What one of our runs measured (``metrics``) under which ``setting``; ``run`` names it for readers."""

    study: str
    dataset: str
    setting: dict[str, Any]
    metrics: dict[str, float]
    run: str


def parse_value(text: str) -> Any:
    for convert in (int, float):
        try:
            return convert(text)
        except ValueError:
            pass
    return text


def parse_setting(text: str) -> dict[str, Any]:
    """``"n_train=60000 classifier.C=10"`` -> ``{"n_train": 60000, "classifier.C": 10}``."""
    setting = {}
    for pair in text.split():
        key, sep, value = pair.partition("=")
        if not sep or not key or not value:
            raise ValueError(f"setting {text!r}: {pair!r} is not key=value")
        setting[key] = parse_value(value)
    return setting


def load_references(path: str | Path | None = None) -> pd.DataFrame:
    """The published-results table (the packaged one by default), settings checked."""
    source = Path(path) if path else resources.files("dlrepro.report") / "references.csv"
    with source.open() as handle:
        table = pd.read_csv(handle, dtype={"setting": str})
    missing = sorted(set(REFERENCE_COLUMNS) - set(table.columns))
    if missing:
        raise ValueError(f"{source}: columns {', '.join(missing)} missing; it needs {', '.join(REFERENCE_COLUMNS)}")
    for row, text in table["setting"].items():
        try:
            parse_setting(text)
        except ValueError as err:
            raise ValueError(f"{source} row {row + 2}: {err}") from err
    return table[REFERENCE_COLUMNS]


def prefixed(prefix: str, settings: Mapping[str, Any]) -> dict[str, Any]:
    return {f"{prefix}.{key}": value for key, value in settings.items() if value is not None}


def s1_results(records: list[dict], sources: Mapping[str, str], extractors: Mapping[str, Mapping]) -> list[Result]:
    """Classifier metrics (``dlrepro classify fit``) as results; ``sources`` maps dataset names to
    their source (datasets made by the workflow, e.g. patches, keep their name), ``extractors``
    extractor names to their resolved settings."""
    results = []
    for record in records:
        setting = {"n_train": record["n_train"], **prefixed("extractor", extractors[record["extractor"]]),
                   "classifier.kind": record["kind"], **prefixed("classifier", record["params"])}
        results.append(Result("S1", sources.get(record["dataset"], record["dataset"]), setting, {"accuracy": record["accuracy"]},
                              f"{record['extractor']} + {record['classifier']} ({record['n_train']} train)"))
    return results


def yes_no(flag: Any) -> str:
    return "yes" if flag else "no"


def s5_results(runs: list[dict], source: str) -> list[Result]:
    """S5 fit summaries (fit.json) as results: test and train accuracy, and the slowdown of each
    variant against true labels (same model and regularisation)."""
    slowdown = fit_table(runs).set_index(["model", "regularisation", "variant"])["slowdown_vs_true_labels"]
    results = []
    for run in runs:
        setting = {"n_train": run["n_train"], "model.kind": run["kind"], "model.width": run["width"],
                   "augmentation": yes_no(run["shift"] or run["flip"]), "weight_decay": yes_no(run["weight_decay"]),
                   "dropout": yes_no(run["dropout"]), "variant": run["variant"]}
        metrics = {"test_accuracy": 1 - run["test_error"], "train_accuracy": 1 - run["train_error"]}
        ratio = slowdown.get((run["model"], run["regularisation"], run["variant"]))
        if ratio is not None and pd.notna(ratio):
            metrics["slowdown_vs_true_labels"] = float(ratio)
        results.append(Result("S5", source, setting, metrics,
                              f"{run['model']} {run['regularisation']} {run['variant']} ({run['n_train']} train)"))
    return results


def s3_results(runs: list[dict], sources: Mapping[str, str]) -> list[Result]:
    """S3 MLP summaries (fit.json of `dlrepro faces mlp`) as results: test accuracy of a one-hidden-layer
    network on the faces' pixels; FaceScrub's datasets answer to the source facescrub."""
    results = []
    for run in runs:
        setting = {"n_train": run["n_train"], "people": len(run["classes"]), "model.kind": "mlp",
                   "model.hidden_layers": 1, "model.width": run["hidden"], "weight_decay": yes_no(run["weight_decay"])}
        results.append(Result("S3", sources.get(run["dataset"], run["dataset"]), setting,
                              {"test_accuracy": run["test_accuracy"]},
                              f"{run['name']} ({run['hidden']} hidden, {run['n_train']} train)"))
    return results


def s6_results(table: pd.DataFrame, source: str) -> list[Result]:
    """The S6 sweep table as one result: where test loss and test error peak, in units of nK."""
    threshold = int(table["n_train"].iloc[0] * table["n_classes"].iloc[0])
    metrics = {f"{column}_peak_over_nK": float(double_descent_peak(table, column)["parameters"]) / threshold
               for column in ("test_loss", "test_error")}
    setting = {"n_train": int(table["n_train"].iloc[0]), "loss": table["loss"].iloc[0]}
    return [Result("S6", source, setting, metrics, f"{len(table)} widths ({setting['n_train']} train)")]


def s7_results(runs: list[dict], source: str) -> list[Result]:
    """S7 run summaries (run.json) as results: the test error of each model on each canvas."""
    return [Result("S7", source, {"n_train": run["n_train"], "canvas": run["canvas"]["canvas"],
                                  "fragments": run["canvas"]["fragments"], "digit_size": run["digit_size"],
                                  "model": run["model"]},
                   {"test_error": run["test_error"]},
                   f"{run['model']} on {run['canvas']['name']} ({run['n_train']} train)") for run in runs]


def s10_results(runs: list[dict], sources: Mapping[str, str]) -> list[Result]:
    """S10 row-LSTM summaries (run.json) as results: its test accuracy."""
    return [Result("S10", sources.get(run["dataset"], run["dataset"]),
                   {"n_train": run["n_train"], "model": run["model"]}, {"test_accuracy": run["test_accuracy"]},
                   f"{run['model']} ({run['n_train']} train)") for run in runs]


def s11_results(tables: list[pd.DataFrame], sources: Mapping[str, str]) -> list[Result]:
    """S11 runs tables (runs.csv) as results: the test accuracy of every MLP and VGG net."""
    return [Result("S11", sources.get(row["dataset"], row["dataset"]),
                   {"n_train": int(row["n_train"]), "model.kind": row["family"],
                    "model.hidden_layers": int(row["depth"]), "model.width": parse_value(str(row["width"])),
                    "activation": row["activation"]},
                   {"test_accuracy": float(row["test_accuracy"])}, f"{row['model']} ({row['n_train']} train)")
            for table in tables for row in table.to_dict("records")]

def s12_results(runs: pd.DataFrame, source: str) -> list[Result]:
    """S12 lottery runs (runs.parquet of `dlrepro landscape lottery`) as results, one per arm and round:
    test accuracy at early stopping, its change from the dense network's and the early-stopping
    iteration relative to the dense network's (means over trials)."""
    table = lottery_table(runs)
    dense = table[table["round"] == 0].iloc[0]
    first = runs.iloc[0]
    results = []
    for row in table.to_dict("records"):
        setting = {"n_train": int(first["n_train"]), "model": first["model"],
                   "prune_fraction": float(first["prune_fraction"]), "output_fraction": float(first["output_fraction"]),
                   "rewind_epoch": int(first["rewind_epoch"]), "arm": row["arm"],
                   "remaining_percent": round(float(row["remaining_percent"]), 1)}
        metrics = {"test_accuracy": row["test_accuracy"],
                   "accuracy_change_vs_dense": row["test_accuracy"] - dense["test_accuracy"],
                   "early_stop_ratio_vs_dense": row["early_stop_iteration"] / dense["early_stop_iteration"]}
        results.append(Result("S12", source, setting, metrics,
                              f"{row['arm']} round {row['round']} ({setting['remaining_percent']} % of weights, "
                              f"{setting['n_train']} train)"))
    return results


def s9_results(run_dirs: list[str | Path]) -> list[Result]:
    """S9 Sketch-a-Net runs (the folder of `dlrepro visualise sketch-a-net`) as results: the top-1 and top-5
    test accuracy of each network, on tu-berlin (a TU-Berlin folder) or doodles (the stand-in)."""
    results = []
    for run_dir in run_dirs:
        run = read_json(Path(run_dir) / "run.json")
        dataset = "tu-berlin" if run["source"].startswith("TU-Berlin") else "doodles"
        for row in pd.read_csv(Path(run_dir) / "runs.csv").to_dict("records"):
            setting = {"n_train": run["n_train"], "classes": len(run["classes"]), "size": run["size"],
                       "network": row["network"]}
            results.append(Result("S9", dataset, setting, {"top1": row["top1"], "top5": row["top5"]},
                                  f"{row['network']} ({len(run['classes'])} classes, {run['n_train']} train)"))
    return results


def s13_results(runs: list[dict]) -> list[Result]:
    """S13 captioner summaries (run.json) as results, one per decoding: corpus BLEU-1..4 on the test images."""
    return [Result("S13", run["dataset"], {"n_train": run["n_train"], "model": run["model"], "decode": decode},
                   run[decode], f"{run['model']} on {run['encoder']}, {decode} ({run['n_train']} train images)")
            for run in runs for decode in ("greedy", "beam")]


def differences(reference: Mapping[str, Any], ours: Mapping[str, Any]) -> dict[str, tuple[Any, Any]]:
    """key -> (ours, published) for every reference key our setting lacks or gives another value."""
    return {key: (ours.get(key), value) for key, value in reference.items() if ours.get(key) != value}


def verdict(published: float, tolerance: float, ours: float, scale: dict[str, tuple[Any, Any]]) -> str:
    if scale:
        return "not run at this scale (" + ", ".join(f"{k} {o} vs {p}" for k, (o, p) in scale.items()) + ")"
    gap = ours - published
    return "reproduced" if abs(gap) <= tolerance else f"off by {gap:+.4g}"


def scorecard(references: pd.DataFrame, results: list[Result]) -> pd.DataFrame:
    """One row per (reference, answering result), and one "not run" row per unanswered reference."""
    rows = []
    for ref in references.to_dict("records"):
        setting = parse_setting(ref["setting"])
        answered = False
        for result in results:
            if (result.study, result.dataset) != (ref["study"], ref["dataset"]) or ref["metric"] not in result.metrics:
                continue
            differ = differences(setting, result.setting)
            if set(differ) - SCALE_KEYS:
                continue
            answered = True
            ours = result.metrics[ref["metric"]]
            rows.append(ref | {"published": ref["value"], "ours": ours, "run": result.run,
                               "verdict": verdict(ref["value"], ref["tolerance"], ours, differ)})
        if not answered:
            rows.append(ref | {"published": ref["value"], "ours": None, "run": None, "verdict": "not run"})
    return pd.DataFrame(rows, columns=SCORECARD_COLUMNS)


def scorecard_section(table: pd.DataFrame, table_path: str) -> dict[str, Any]:
    """The report section "Reference scorecard": a count of verdicts and the table."""
    answered = table[table["verdict"] != "not run"]
    reproduced = int((answered["verdict"] == "reproduced").sum())
    at_scale = int((~answered["verdict"].str.startswith("not run")).sum())
    published = len(table.drop_duplicates(["study", "dataset", "setting", "metric"]))
    intro = (
        f"{published} published results, {len(answered)} comparisons with this run: {at_scale} at the "
        f"published setting ({reproduced} reproduced within tolerance), {len(answered) - at_scale} at another "
        "scale (e.g. a subset of the training data), shown for orientation only. "
        "The table is also results/references.csv."
    )
    caption = (
        "Published results (setting as key=value; accuracies as fractions) next to this run's number under "
        "the same setting, with the verdict: reproduced (within the tolerance), off by (ours minus "
        "published), not run at this scale (the run differs in the keys named), or not run."
    )
    return {"title": "Reference scorecard", "intro": intro, "tables": [{"path": table_path, "caption": caption}]}


def run_scorecard(s1_metrics: list[str | Path], s5_fits: list[str | Path], s6_table: str | Path | None,
                  run: Mapping[str, Any], references: pd.DataFrame | None = None,
                  s3_fits: list[str | Path] = (), s7_runs: list[str | Path] = (), s10_runs: list[str | Path] = (),
                  s11_runs: list[str | Path] = (),
                  s12_lottery: str | Path | None = None, s9_runs: list[str | Path] = (),
                  s13_runs: list[str | Path] = ()) -> pd.DataFrame:
    """The scorecard of one workflow run from its outputs.

    ``run`` holds what those outputs do not name: ``sources`` (dataset name -> source, for the
    datasets made from a source or by the FaceScrub stage), ``extractors`` (S1 extractor name ->
    resolved settings) and the ``s5_dataset``, ``s6_dataset``, ``s7_dataset`` and ``s12_dataset`` names
    (absent when the study did not run). S9, S10, S11 and S13 outputs name their datasets
    themselves.
    """
    sources = run["sources"]
    results = s1_results([read_metrics(path) for path in s1_metrics], sources, run.get("extractors", {}))
    results += s3_results([read_json(path) for path in s3_fits], sources)
    if s5_fits:
        results += s5_results(read_runs(s5_fits), sources.get(run["s5_dataset"], run["s5_dataset"]))
    if s6_table:
        results += s6_results(pd.read_csv(s6_table), sources.get(run["s6_dataset"], run["s6_dataset"]))
    if s7_runs:
        results += s7_results([read_json(path) for path in s7_runs], sources.get(run["s7_dataset"], run["s7_dataset"]))
    results += s9_results(s9_runs)
    results += s10_results([read_json(path) for path in s10_runs], sources)
    results += s11_results([pd.read_csv(path) for path in s11_runs], sources)
    if s12_lottery:
        results += s12_results(read_parquet_table(s12_lottery).to_pandas(),
                               sources.get(run["s12_dataset"], run["s12_dataset"]))
    results += s13_results([read_json(path) for path in s13_runs])
    return scorecard(load_references() if references is None else references, results)
