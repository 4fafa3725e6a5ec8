"""``dlrepro sequences``: S10, a vanilla RNN against an LSTM on palindromes, and an LSTM reading images row by row."""

from __future__ import annotations

from pathlib import Path

import click

from dlrepro.cli.errors import one_line_errors
from dlrepro.cli.settings import settings_option

EXISTING_FILE = click.Path(exists=True, dir_okay=False, path_type=Path)


@click.group()
def sequences():
    """S10: palindromes of growing length for a vanilla RNN and an LSTM; a row-by-row LSTM on images."""


@sequences.command("palindromes")
@click.option("--cell", type=click.Choice(["rnn", "lstm"]), required=True, help="The recurrent cell to train.")
@settings_option("s10.palindromes", "The lengths T, network size, clipping, data sizes and training")
@click.option("--seed", type=int, default=0, help="Seed of the sequences, the initialisation and the batches.")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="Folder for sweep.csv and one metrics Parquet per run.")
def palindromes_command(cell, settings, seed, out):
    """Train CELL on palindromes of each length, without and with gradient clipping; one sweep table."""
    from dlrepro.train.sequences import palindrome_sweep

    sweep = palindrome_sweep(cell, settings, seed, out)
    for row in sweep.itertuples():
        click.echo(f"{cell} T={row.length} clipping={row.clipping}: test accuracy {row.test_accuracy:.3f}")


@sequences.command("row-lstm")
@click.option("--dataset", type=click.Path(exists=True, file_okay=False, path_type=Path), required=True,
              help="Dataset folder of grey images (images.npy + index.parquet) with train and test splits.")
@settings_option("s10.row_lstm", "The LSTM's size and training")
@click.option("--seed", type=int, default=0, help="Seed of the initialisation and the batches.")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="Folder for run.json and metrics.parquet.")
def row_lstm_command(dataset, settings, seed, out):
    """Train an LSTM that reads each image one row of pixels per step; score it on the test split."""
    from dlrepro.train.sequences import row_lstm

    with one_line_errors():
        run = row_lstm(dataset, settings, seed, out)
    click.echo(f"{out}: row LSTM test accuracy {run['test_accuracy']:.4f}")


@sequences.command("summarise")
@click.option("--sweep", "sweeps", multiple=True, type=EXISTING_FILE, help="A sweep.csv of `palindromes` (repeat).")
@click.option("--row-run", type=EXISTING_FILE, default=None, help="run.json of `row-lstm`.")
@click.option("--baseline", "baselines", multiple=True, type=EXISTING_FILE,
              help="S11 runs.csv on the row LSTM's dataset, shown beside it (repeat).")
@click.option("--figures", type=click.Path(file_okay=False, path_type=Path), default=Path("results/figures/s10"),
              help="Folder for the PNG figures.")
@click.option("--out-dir", type=click.Path(file_okay=False, path_type=Path), default=Path("results/s10"),
              help="Folder for the tables and section.json.")
def summarise_command(sweeps, row_run, baselines, figures, out_dir):
    """Accuracy and first-step gradient against T, the row LSTM beside S11's networks, the section."""
    from dlrepro.report.sequences import summarise_study

    with one_line_errors(KeyError, ValueError,
                         message="cannot summarise: {}; are the inputs outputs of `dlrepro sequences`?"):
        section = summarise_study(list(sweeps), row_run, list(baselines), figures, out_dir)
    click.echo(f"{out_dir / 'section.json'}: {len(section['figures'])} figures, {len(section['tables'])} tables")
