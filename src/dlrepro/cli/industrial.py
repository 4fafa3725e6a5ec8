"""``dlrepro industrial``: S14, defect detection on product images and scored time-series models."""

from __future__ import annotations

from pathlib import Path

import click

from dlrepro.cli.errors import one_line_errors
from dlrepro.cli.settings import settings_option
from dlrepro.io import write_json


@click.group()
def industrial():
    """S14: good/bad product images (CNN, Grad-CAM, outlier scores); a dated table scored every 20 days."""


@industrial.command("standins")
@click.option("--dies", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="Tar archive to write, holding dies/good/<n>.png and dies/bad/<n>.png.")
@click.option("--dies-manifest", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="SHA256SUMS of the die images.")
@click.option("--panel", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="CSV to write: date, asset, f000..., target, linear_prediction.")
@settings_option("s14.standin", "The stand-ins' sizes: dies (good, bad, size) and panel (days, assets, features, ...)")
@click.option("--seed", type=int, default=0, help="Seed of the dies, their defects and the panel.")
def standins_command(dies, dies_manifest, panel, settings, seed):
    """Write the generated STAND-IN die images and factor-model panel (offline, no real data)."""
    from dlrepro.data.industrial import write_standins

    with one_line_errors():
        click.echo(write_standins(dies, dies_manifest, panel, settings["dies"], settings["panel"], seed))


@industrial.command("images")
@click.option("--dataset", type=click.Path(exists=True, file_okay=False, path_type=Path), required=True,
              help="Dataset folder (images.npy + index.parquet) of two classes with train and test splits.")
@settings_option("s14.images", "Classifier (arch, weights, mode, image size, train), Grad-CAM and outlier settings")
@click.option("--seed", type=int, default=0, help="Seed of the new head, the batches and the validation split.")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="Folder for scores.parquet, gradcam.npz, curves.parquet, model.pt and run.json.")
def images_command(dataset, settings, seed, out):
    """Fine-tune the good/bad classifier, Grad-CAM over test examples, outlier scores from good images."""
    from dlrepro.train.industrial import run_images

    with one_line_errors():
        run = run_images(dataset, settings, seed, out)
    write_json(run, out / "run.json")
    click.echo(f"{out}: test accuracy {run['accuracy']:.3f} after {run['epochs']} epochs")


@industrial.command("timeseries")
@click.option("--csv", type=click.Path(exists=True, dir_okay=False, path_type=Path), required=True,
              help="Dated table: a date column, features, the target and an existing linear prediction.")
@click.option("--manifest", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="SHA-256 manifest of the CSV: written when absent, checked otherwise.")
@settings_option("s14.timeseries", "Column names, rolling-origin split and models")
@click.option("--seed", type=int, default=0, help="Seed of the tree ensembles and the MLP.")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="Folder for predictions.parquet, curves.parquet and run.json.")
def timeseries_command(csv, manifest, settings, seed, out):
    """Rolling-origin out-of-sample predictions of every model, plain and residualised."""
    from dlrepro.train.timeseries import run_timeseries

    with one_line_errors():
        run = run_timeseries(csv, settings, seed, out, manifest)
    write_json(run, out / "run.json")
    click.echo(f"{out}: {run['test_rows']} out-of-sample rows over {len(run['folds'])} folds")


@industrial.command("summarise")
@click.option("--images", type=click.Path(exists=True, file_okay=False, path_type=Path), required=True,
              help="Folder written by `dlrepro industrial images`.")
@click.option("--timeseries", type=click.Path(exists=True, file_okay=False, path_type=Path), required=True,
              help="Folder written by `dlrepro industrial timeseries`.")
@settings_option("s14", "The study's settings: images and timeseries (for the captions)")
@click.option("--figures", type=click.Path(file_okay=False, path_type=Path), default=Path("results/figures/s14"),
              help="Folder for the PNG figures.")
@click.option("--out-dir", type=click.Path(file_okay=False, path_type=Path), default=Path("results/s14"),
              help="Folder for the tables and section.json.")
def summarise_command(images, timeseries, settings, figures, out_dir):
    """ROC curves, confusion matrix, Grad-CAM figure, 20-day score table and figure, section.json."""
    from dlrepro.report.industrial import summarise_study

    with one_line_errors():
        section = summarise_study(images, timeseries, settings, figures, out_dir)
    click.echo(f"{out_dir / 'section.json'}: {len(section['figures'])} figures, {len(section['tables'])} tables")
