"""``dlrepro classify``: fit a classifier on a feature table; summarise all S1 results."""

from __future__ import annotations

import json
from pathlib import Path

import click

from dlrepro.cli.settings import settings_option
from dlrepro.data.dataset import load_dataset
from dlrepro.features.store import read_features
from dlrepro.io import atomic_output, write_json
from dlrepro.metrics.classification import classification_metrics, predictions_frame
from dlrepro.metrics.summary import read_finetune_metrics, read_metrics, s1_section, summary_table
from dlrepro.models.classifiers import ClassifierConfigError, build_classifier, fit_predict
from dlrepro.plots.classification import plot_accuracy_bars, plot_accuracy_vs_fit_time, plot_confusion

EXISTING_FILE = click.Path(exists=True, dir_okay=False, path_type=Path)
NEW_FILE = click.Path(dir_okay=False, path_type=Path)


@click.group()
def classify():
    """Classical classifiers on feature tables (S1)."""


@classify.command("fit")
@click.option("--features", type=EXISTING_FILE, required=True, help="Feature table (Parquet) with train and test rows.")
@click.option("--dataset-dir", type=click.Path(exists=True, file_okay=False, path_type=Path), required=True,
              help="Dataset folder: its name names the dataset, its index.parquet the classes.")
@click.option("--classifier", "name", required=True, help="Name of this classifier in the config (recorded in the metrics).")
@settings_option("s1.classifiers.*", 'The classifier, e.g. \'{"kind": "rbf_svm", "C": 10}\'')
@click.option("--seed", type=int, default=0, help="random_state of the estimator.")
@click.option("--threads", type=click.IntRange(min=1), default=1, help="n_jobs of estimators that parallelise.")
@click.option("--predictions", type=NEW_FILE, required=True, help="Predictions Parquet to write.")
@click.option("--metrics", type=NEW_FILE, required=True, help="Metrics JSON to write.")
@click.option("--figure", type=NEW_FILE, required=True, help="Confusion-matrix PNG to write.")
def fit_command(features, dataset_dir, name, settings, seed, threads, predictions, metrics, figure):
    """Fit a classifier on the train rows of FEATURES, evaluate it on the test rows."""
    try:
        model = build_classifier(settings, seed, threads)
    except ClassifierConfigError as err:
        raise click.ClickException(f"classifier {name!r}: {err}") from err
    train, train_index = read_features(features, "train")
    test, test_index = read_features(features, "test")
    if not len(train) or not len(test):
        raise click.ClickException(f"{features}: needs train and test rows, has {len(train)} and {len(test)}")
    result = fit_predict(model, train, train_index["label"].to_numpy(), test)
    classes = model.classes_
    scores = classification_metrics(test_index["label"].to_numpy(), result.predicted, result.scores, classes)
    class_names = load_dataset(dataset_dir).classes
    with atomic_output(predictions) as tmp:
        predictions_frame(test_index, result.predicted, result.scores, classes).to_parquet(tmp, index=False)
    record = {
        "dataset": dataset_dir.name, "extractor": features.stem, "classifier": name,
        "kind": settings["kind"], "params": {k: v for k, v in settings.items() if k != "kind"}, "seed": seed,
        **scores, "class_names": [class_names[c] for c in scores["classes"]], "score_kind": result.score_kind,
        "fit_time_s": result.fit_time_s, "predict_time_s": result.predict_time_s,
        "n_train": len(train), "n_test": len(test), "n_features": train.shape[1],
    }
    write_json(record, metrics)
    title = f"{name} on {features.stem} features of {dataset_dir.name}: accuracy {scores['accuracy']:.3f}"
    plot_confusion(scores["confusion_matrix"], record["class_names"], figure, title)
    click.echo(f"{metrics}: accuracy {scores['accuracy']:.4f}, fit {result.fit_time_s:.2f} s")


@classify.command("summarise")
@click.argument("metrics", nargs=-1, required=True, type=EXISTING_FILE)
@click.option("--finetune", multiple=True, type=EXISTING_FILE, help="Fine-tuning metrics JSON (repeat the option).")
@click.option("--embedding-figure", multiple=True, type=EXISTING_FILE, help="Embedding scatter PNG to show (repeat).")
@click.option("--confusion-figure", multiple=True, type=EXISTING_FILE,
              help="Confusion-matrix PNG (repeat); those of the best classifier per extractor are shown.")
@click.option("--max-points", type=int, default=None, help="Embedding subset size, for the captions.")
@click.option("--table", type=NEW_FILE, required=True, help="Summary table CSV to write.")
@click.option("--accuracy-figure", type=NEW_FILE, required=True, help="Accuracy bar chart PNG to write.")
@click.option("--tradeoff-figure", type=NEW_FILE, required=True, help="Accuracy vs fit time PNG to write.")
@click.option("--section", type=NEW_FILE, required=True, help="Report section JSON to write.")
def summarise_command(metrics, finetune, embedding_figure, confusion_figure, max_points, table,
                      accuracy_figure, tradeoff_figure, section):
    """Collect METRICS (classifier metrics JSON files) into the S1 table, figures and report section."""
    try:
        records = [read_metrics(p) for p in metrics] + [read_finetune_metrics(p) for p in finetune]
        frame = summary_table(records)
        content = s1_section(records, str(table), {"accuracy": str(accuracy_figure), "tradeoff": str(tradeoff_figure)},
                             [str(p) for p in embedding_figure], [str(p) for p in confusion_figure], max_points)
    except (ValueError, KeyError, json.JSONDecodeError) as err:
        raise click.ClickException(str(err)) from err
    with atomic_output(table) as tmp:
        frame.to_csv(tmp, index=False)
    plot_accuracy_bars(frame, accuracy_figure)
    plot_accuracy_vs_fit_time(frame, tradeoff_figure)
    write_json(content, section)
    click.echo(f"{table}: {len(frame)} rows")
