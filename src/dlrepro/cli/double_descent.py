"""``dlrepro double-descent``: S6, the width sweep across the interpolation threshold and its report."""

from __future__ import annotations

from pathlib import Path

import click
import pandas as pd

from dlrepro.io import write_json


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
@click.option("--optimizer", type=click.Choice(["sgd", "adam", "adagrad"]), default="sgd", help="Optimizer.")
@click.option("--lr", type=float, default=0.05, help="Initial learning rate.")
@click.option("--momentum", type=float, default=0.9, help="SGD momentum.")
@click.option("--step-size", type=click.IntRange(min=1), default=20, help="Epochs between learning-rate drops.")
@click.option("--gamma", type=float, default=0.9, help="Learning-rate factor at each drop.")
@click.option("--loss", type=click.Choice(["squared", "cross_entropy"]), default="squared", help="Training loss.")
@click.option("--reuse/--no-reuse", default=True, help="Initialise networks below nK from the previous trained one.")
@click.option("--seed", type=int, default=0, help="Seed for the subset, initialisation and shuffling.")
@click.option("--runs-dir", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="Folder for each width's metrics and checkpoint.")
@click.option("--table", type=click.Path(dir_okay=False, path_type=Path), required=True, help="Sweep table (CSV) to write.")
def run_command(dataset_dir, n_train, widths, epochs, batch_size, optimizer, lr, momentum, step_size, gamma,
                loss, reuse, seed, runs_dir, table):
    """Train one network per width, in increasing order, and write the sweep table."""
    from dlrepro.train.double_descent import load_subset, run_sweep, write_table
    from dlrepro.train.engine import TrainConfig

    config = TrainConfig(epochs=epochs, batch_size=batch_size, optimizer=optimizer, lr=lr, momentum=momentum,
                         schedule="step", step_size=step_size, gamma=gamma, loss=loss, seed=seed)
    try:
        subset = load_subset(dataset_dir, n_train, seed)
    except ValueError as err:
        raise click.ClickException(f"{err}; lower --n-train") from err
    sweep = run_sweep(subset, widths, config, runs_dir, reuse=reuse)
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
    from dlrepro.plots.double_descent import plot_double_descent
    from dlrepro.report.captions import s6_caption
    from dlrepro.train.double_descent import peak_statement

    sweep = pd.read_csv(table)
    if sweep.empty or "parameters" not in sweep:
        raise click.ClickException(f"{table} holds no sweep rows; rerun `dlrepro double-descent run`")
    n, k, epochs = int(sweep["n_train"].iloc[0]), int(sweep["n_classes"].iloc[0]), int(sweep["epochs"].max())
    settings = (f"{dataset}, n = {n} training images, K = {k} classes, one hidden layer of H units, "
                f"{sweep['loss'].iloc[0].replace('_', '-')} loss, {epochs} epochs per width, "
                f"{'weight reuse below nK' if sweep['reused'].any() else 'fresh initialisation for every width'}")
    plot_double_descent(sweep, figure, title=f"Double descent on {dataset} (n = {n}, nK = {n * k})")
    write_json({
        "title": "S6. Double descent (Belkin et al. 2019)",
        "intro": f"{settings}. {peak_statement(sweep)} Belkin et al. (MNIST, n = 4000) find the test "
                 "loss peaking at the interpolation threshold nK and descending again beyond it.",
        "figures": [{"path": str(figure), "caption": (
            f"{s6_caption(str(n), sweep['loss'].iloc[0].replace('_', '-'), dataset)} Settings: {settings}.")}],
        "tables": [{"path": str(table), "caption": f"Final metrics per width; {settings}."}],
    }, section)
    click.echo(f"{section}: {peak_statement(sweep)}")
