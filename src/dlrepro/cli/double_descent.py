"""``dlrepro double-descent``: S6, the width sweep across the interpolation threshold and its report."""

from __future__ import annotations

from pathlib import Path

import click

from dlrepro.cli.errors import one_line_errors
from dlrepro.cli.settings import settings_option


@click.group("double-descent")
def double_descent():
    """S6: double descent of one-hidden-layer networks (Belkin et al. 2019)."""


@double_descent.command("run")
@click.option("--dataset-dir", type=click.Path(exists=True, file_okay=False, path_type=Path), required=True,
              help="Normalised dataset folder (images.npy + index.parquet).")
@settings_option("s6", "Sweep settings: n_train, widths, epochs, optimisation, loss, reuse")
@click.option("--seed", type=int, default=0, help="Seed for the subset, initialisation and shuffling.")
@click.option("--runs-dir", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="Folder for the resumable state of an unfinished sweep; removed when the sweep completes.")
@click.option("--table", type=click.Path(dir_okay=False, path_type=Path), required=True, help="Sweep table (CSV) to write.")
@click.option("--curves", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="Per-epoch metrics of every width (Parquet) to write.")
@click.option("--weights", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="Initial and trained weights of every width (one torch file) to write, for S12's bounds.")
def run_command(dataset_dir, settings, seed, runs_dir, table, curves, weights):
    """Train one network per width, in increasing order, and write the sweep table, curves and weights."""
    from dlrepro.io import write_csv
    from dlrepro.train.double_descent import load_subset, run_sweep, write_weights
    from dlrepro.train.engine import train_config, write_metrics

    config = train_config(settings, schedule="step", seed=seed)
    with one_line_errors(message="{}; lower s6.n_train"):
        subset = load_subset(dataset_dir, settings["n_train"], seed)
    sweep, per_epoch, networks = run_sweep(subset, settings["widths"], config, runs_dir, reuse=settings["reuse"])
    write_weights(networks, settings["n_train"], seed, subset, weights)
    write_metrics(per_epoch, curves)
    write_csv(sweep, table)
    click.echo(f"{table}: {len(sweep)} widths, threshold nK = {subset.threshold}")


@double_descent.command("summarise")
@click.option("--table", type=click.Path(exists=True, dir_okay=False, path_type=Path), required=True,
              help="Sweep table written by `run`.")
@settings_option("s6", "The study's settings; dataset names the data in titles and captions")
@click.option("--figure", type=click.Path(dir_okay=False, path_type=Path), required=True, help="PNG to write.")
@click.option("--section", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="Report section JSON to write.")
def summarise_command(table, settings, figure, section):
    """Plot the sweep with the nK threshold and write the report section."""
    from dlrepro.train.double_descent import write_summary

    with one_line_errors():
        peaks = write_summary(table, settings["dataset"], figure, section)
    click.echo(f"{section}: {peaks}")
