"""``dlrepro classify``: fit a classifier on a feature table; summarise all S1 results."""

from __future__ import annotations

from pathlib import Path

import click

from dlrepro.cli.errors import one_line_errors
from dlrepro.cli.settings import settings_option
from dlrepro.features.settings import KINDS as FEATURE_KINDS
from dlrepro.metrics.summary import summarise_s1
from dlrepro.models.scaling import ClassifierConfigError

EXISTING_FILE = click.Path(exists=True, dir_okay=False, path_type=Path)
NEW_FILE = click.Path(dir_okay=False, path_type=Path)


@click.group()
def classify():
    """Classical classifiers on feature tables (S1)."""


@classify.command("fit")
@click.option("--features", type=EXISTING_FILE, required=True, help="Feature table (Parquet) with train and test rows.")
@click.option("--feature-kind", type=click.Choice(sorted(FEATURE_KINDS)), required=True,
              help="Kind of extractor that made FEATURES; picks the default scaling "
                   "(pixels none, scattering min_max, torchvision standard).")
@click.option("--dataset-dir", type=click.Path(exists=True, file_okay=False, path_type=Path), required=True,
              help="Dataset folder: its name names the dataset, its index.parquet the classes.")
@click.option("--classifier", "name", required=True, help="Name of this classifier in the config (recorded in the metrics).")
@settings_option("s1.classifiers.*", 'The classifier, e.g. \'{"kind": "rbf_svm", "C": 10, "scaling": "min_max"}\'')
@click.option("--seed", type=int, default=0, help="random_state of the estimator.")
@click.option("--threads", type=click.IntRange(min=1), default=1, help="n_jobs of estimators that parallelise.")
@click.option("--predictions", type=NEW_FILE, required=True, help="Predictions Parquet to write.")
@click.option("--metrics", type=NEW_FILE, required=True, help="Metrics JSON to write.")
@click.option("--figure", type=NEW_FILE, required=True, help="Confusion-matrix PNG to write.")
def fit_command(features, feature_kind, dataset_dir, name, settings, seed, threads, predictions, metrics, figure):
    """Fit a classifier on the train rows of FEATURES, evaluate it on the test rows."""
    from dlrepro.models.evaluation import evaluate_classifier

    with one_line_errors(), one_line_errors(ClassifierConfigError, message=f"classifier {name!r}: {{}}"):
        record = evaluate_classifier(features, dataset_dir, name, settings, feature_kind, seed,
                                     threads, predictions, metrics, figure)
    click.echo(f"{metrics}: accuracy {record['accuracy']:.4f}, fit {record['fit_time_s']:.2f} s")


@classify.command("summarise")
@click.argument("metrics", nargs=-1, required=True, type=EXISTING_FILE)
@click.option("--finetune", multiple=True, type=EXISTING_FILE, help="Fine-tuning metrics JSON (repeat the option).")
@click.option("--embedding", multiple=True, type=EXISTING_FILE,
              help="Embedding Parquet from `dlrepro embed` whose figure to show (repeat).")
@click.option("--table", type=NEW_FILE, required=True, help="Summary table CSV to write.")
@click.option("--accuracy-figure", type=NEW_FILE, required=True, help="Accuracy bar chart PNG to write.")
@click.option("--tradeoff-figure", type=NEW_FILE, required=True, help="Accuracy vs fit and predict time PNG to write.")
@click.option("--section", type=NEW_FILE, required=True, help="Report section JSON to write.")
def summarise_command(metrics, finetune, embedding, table, accuracy_figure, tradeoff_figure, section):
    """Collect METRICS (classifier metrics JSON files) into the S1 table, figures and report section.

    Each classifier's confusion matrix is the figure its metrics name; the best per extractor is shown.
    """
    with one_line_errors(ValueError, KeyError):  # a JSONDecodeError is a ValueError
        frame = summarise_s1(list(metrics), list(finetune), list(embedding), table, accuracy_figure,
                             tradeoff_figure, section)
    click.echo(f"{table}: {len(frame)} rows")
