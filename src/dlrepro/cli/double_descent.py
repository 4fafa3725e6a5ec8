"""``dlrepro double-descent``: S6, the width sweep across the interpolation threshold and its report."""

from __future__ import annotations

from pathlib import Path

import click

from dlrepro.train.engine import LOSSES
from dlrepro.train.optim import OPTIMIZERS


def parse_widths(ctx, param, value: str) -> list[int]:
    try:
        widths = [int(item) for item in value.split(",")]
    except ValueError:
        raise click.BadParameter(f"expected comma-separated integers, got {value!r}") from None
    if min(widths) < 1:
        raise click.BadParameter(f"widths must be >= 1, got {value!r}")
    return widths


@click.group("double-descent")
def double_descent():
    """S6: double descent of one-hidden-layer networks (Belkin et al. 2019)."""


@double_descent.command("run")
@click.option("--dataset-dir", type=click.Path(exists=True, file_okay=False, path_type=Path), required=True,
              help="Normalised dataset folder (images.npy + index.parquet).")
@click.option("--n-train", type=click.IntRange(min=1), required=True, help="Training subset size n.")
@click.option("--widths", callback=parse_widths, required=True, help="Hidden widths H, comma-separated.")
@click.option("--epochs", type=click.IntRange(min=1), default=200, help="Epochs per width.")
@click.option("--batch-size", type=click.IntRange(min=1), default=32, help="Minibatch size.")
@click.option("--optimizer", type=click.Choice(OPTIMIZERS), default="sgd", help="Optimizer.")
@click.option("--lr", type=float, default=0.05, help="Initial learning rate.")
@click.option("--momentum", type=float, default=0.9, help="SGD momentum.")
@click.option("--step-size", type=click.IntRange(min=1), default=20,
              help="Epochs between learning-rate drops (networks below nK only).")
@click.option("--gamma", type=float, default=0.9, help="Learning-rate factor at each drop.")
@click.option("--loss", type=click.Choice(LOSSES), default="squared", help="Training loss.")
@click.option("--reuse/--no-reuse", default=True, help="Initialise networks below nK from the previous trained one.")
@click.option("--seed", type=int, default=0, help="Seed for the subset, initialisation and shuffling.")
@click.option("--runs-dir", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="Folder for the resumable state of an unfinished sweep; removed when the sweep completes.")
@click.option("--table", type=click.Path(dir_okay=False, path_type=Path), required=True, help="Sweep table (CSV) to write.")
@click.option("--curves", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="Per-epoch metrics of every width (Parquet) to write.")
def run_command(dataset_dir, n_train, widths, epochs, batch_size, optimizer, lr, momentum, step_size, gamma,
                loss, reuse, seed, runs_dir, table, curves):
    """Train one network per width, in increasing order, and write the sweep table and curves."""
    from dlrepro.train.double_descent import load_subset, run_sweep, write_table
    from dlrepro.train.engine import TrainConfig, write_metrics

    config = TrainConfig(epochs=epochs, batch_size=batch_size, optimizer=optimizer, lr=lr, momentum=momentum,
                         schedule="step", step_size=step_size, gamma=gamma, loss=loss, seed=seed)
    try:
        subset = load_subset(dataset_dir, n_train, seed)
    except ValueError as err:
        raise click.ClickException(f"{err}; lower --n-train") from err
    sweep, per_epoch = run_sweep(subset, widths, config, runs_dir, reuse=reuse)
    write_metrics(per_epoch, curves)
    write_table(sweep, table)
    click.echo(f"{table}: {len(sweep)} widths, threshold nK = {subset.threshold}")


@double_descent.command("summarise")
@click.option("--table", type=click.Path(exists=True, dir_okay=False, path_type=Path), required=True,
              help="Sweep table written by `run`.")
@click.option("--dataset", default="digits", help="Dataset name, for titles and captions.")
@click.option("--figure", type=click.Path(dir_okay=False, path_type=Path), required=True, help="PNG to write.")
@click.option("--section", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="Report section JSON to write.")
def summarise_command(table, dataset, figure, section):
    """Plot the sweep with the nK threshold and write the report section."""
    from dlrepro.train.double_descent import write_summary

    try:
        peaks = write_summary(table, dataset, figure, section)
    except ValueError as err:
        raise click.ClickException(str(err)) from err
    click.echo(f"{section}: {peaks}")
