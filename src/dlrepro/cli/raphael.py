"""``dlrepro raphael``: S2, authenticating drawings by leave-one-drawing-out patch votes."""

from __future__ import annotations

from pathlib import Path

import click

from dlrepro.cli.errors import one_line_errors
from dlrepro.cli.settings import settings_entry, settings_option
from dlrepro.features.settings import KINDS as FEATURE_KINDS
from dlrepro.io import write_csv

EXISTING_FILE = click.Path(exists=True, dir_okay=False, path_type=Path)
EXISTING_DIR = click.Path(exists=True, file_okay=False, path_type=Path)
NEW_FILE = click.Path(dir_okay=False, path_type=Path)


@click.group()
def raphael():
    """S2: Raphael drawings authentication (patch features, classifier, leave-one-drawing-out votes)."""


@raphael.command("generate")
@click.option("--drawings", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="Folder to write <n>.png, one ignored detail <n>A.png and SHA256SUMS into.")
@click.option("--labels", type=NEW_FILE, required=True, help="Labels table (CSV: number, label) to write.")
@settings_option("s2.generate", "How many drawings (count), how many Disputed, their size in pixels")
@click.option("--seed", type=int, default=0, help="Seed of the strokes.")
def generate_command(drawings, labels, settings, seed):
    """Write generated stand-in drawings in two hatching styles (odd numbers: the 'Raphael' style)."""
    from dlrepro.authentication.generate import write_generated_drawings

    with one_line_errors():
        table = write_generated_drawings(drawings, labels, settings["count"], settings["disputed"], settings["size"],
                                         seed)
    click.echo(f"{drawings}: {len(table)} drawings, {table['label'].value_counts().to_dict()}")


@raphael.command("verify")
@click.option("--drawings", type=EXISTING_DIR, required=True,
              help="Folder of drawings named <number>.<ext> (JPEG, PNG, TIFF); names ending in a letter are ignored.")
@click.option("--labels", type=EXISTING_FILE, required=True,
              help="CSV/TSV with columns number, label (Raphael, Not Raphael or Disputed).")
@click.option("--manifest", type=NEW_FILE, required=True,
              help="SHA-256 manifest (sha256sum format): written when absent, checked otherwise.")
@click.option("--out", type=NEW_FILE, required=True,
              help="Drawings table to write (CSV: file, number, label, split, sha256).")
def verify_command(drawings, labels, manifest, out):
    """Check the labelled drawings against the manifest and write the table the patch dataset reads."""
    from dlrepro.authentication.drawings import drawing_files, verified_drawings

    with one_line_errors():
        _, ignored = drawing_files(drawings)
        table, written = verified_drawings(drawings, labels, manifest)
    if ignored:
        click.echo(f"ignored (name ends in a letter): {', '.join(p.name for p in ignored)}", err=True)
    write_csv(table, out)
    action = "recorded in" if written else "match"
    click.echo(f"{out}: {len(table)} drawings, SHA-256 {action} {manifest}")


@raphael.command("evaluate")
@click.option("--features", type=EXISTING_FILE, required=True, help="Feature table (Parquet) of the patch dataset.")
@click.option("--feature-kind", type=click.Choice(sorted(FEATURE_KINDS)), required=True,
              help="Kind of extractor that made FEATURES; picks the default scaling "
                   "(pixels none, scattering min_max, torchvision standard).")
@click.option("--patches", type=EXISTING_FILE, required=True,
              help="patches.parquet of the patch dataset (id, file, y, x).")
@click.option("--drawings-table", type=EXISTING_FILE, required=True, help="Drawings table from `dlrepro raphael verify`.")
@click.option("--drawings", type=EXISTING_DIR, required=True, help="Folder of the drawings (for the figure).")
@click.option("--classifier", "name", required=True, help="Entry of s2.classifiers to evaluate (its name is recorded).")
@settings_option("s2", "The study's settings: classifiers, and patches (the size and scale the dataset was cut with), "
                 'e.g. \'{"classifiers": {"svm": {"kind": "rbf_svm", "C": 10}}, "patches": {"size": 32}}\'')
@click.option("--seed", type=int, default=0, help="random_state of the estimator.")
@click.option("--threads", type=click.IntRange(min=1), default=1, help="n_jobs of estimators that parallelise.")
@click.option("--votes", type=NEW_FILE, required=True, help="Per-patch votes (Parquet) to write.")
@click.option("--decisions", type=NEW_FILE, required=True, help="Per-drawing decisions (CSV) to write.")
@click.option("--metrics", type=NEW_FILE, required=True, help="Metrics JSON to write.")
@click.option("--figure", type=NEW_FILE, required=True, help="Patch-vote figure (PNG) to write.")
def evaluate_command(features, feature_kind, patches, drawings_table, drawings, name, settings, seed, threads, votes,
                     decisions, metrics, figure):
    """Leave-one-drawing-out patch votes of one classifier on one feature table; disputed drawings predicted."""
    from dlrepro.authentication.evaluate import evaluate_drawings
    from dlrepro.models.classifiers import ClassifierConfigError

    classifier, cut = settings_entry(settings["classifiers"], "s2.classifiers", name), settings["patches"]
    with one_line_errors(), one_line_errors(ClassifierConfigError, message=f"classifier {name!r}: {{}}"):
        record = evaluate_drawings(features, patches, drawings_table, drawings, name, classifier, feature_kind,
                                   cut["size"], cut["scale"], seed, threads, votes, decisions, metrics, figure)
    click.echo(f"{metrics}: accuracy {record['accuracy']:.3f}, ROC-AUC {record['roc_auc']}")


@raphael.command("summarise")
@click.argument("metrics", nargs=-1, required=True, type=EXISTING_FILE)
@settings_option("s2.patches", "The patch settings of the drawings' dataset, worded in the captions")
@click.option("--table", type=NEW_FILE, required=True, help="Accuracy / ROC-AUC table (CSV) to write.")
@click.option("--disputed", type=NEW_FILE, required=True, help="Disputed-drawing predictions (CSV) to write.")
@click.option("--section", type=NEW_FILE, required=True, help="Report section JSON to write.")
def summarise_command(metrics, settings, table, disputed, section):
    """Collect METRICS (from `evaluate`, naming their decisions and figure) into the S2 tables and section."""
    from dlrepro.report.raphael import patch_settings_in_words, summarise_s2

    with one_line_errors(ValueError, KeyError, OSError):
        runs = summarise_s2(list(metrics), patch_settings_in_words(settings), table, disputed, section)
    click.echo(f"{section}: {len(runs)} extractor x classifier results")
