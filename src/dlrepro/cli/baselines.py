"""``dlrepro baselines``: S11, MLPs of each depth and width with and without ReLU, and VGG-style CNNs."""

from __future__ import annotations

from pathlib import Path

import click

from dlrepro.cli.errors import one_line_errors
from dlrepro.cli.settings import settings_option

DATASET = click.Path(exists=True, file_okay=False, path_type=Path)
OUT = click.Path(file_okay=False, path_type=Path)


@click.group()
def baselines():
    """S11: fully connected and VGG-style networks on the same images; accuracy against parameters."""


def run_sweep(sweep, dataset, settings, seed, out):
    with one_line_errors():
        runs = sweep(dataset, settings, seed, out)
    for row in runs.itertuples():
        click.echo(f"{row.model}: {row.parameters} parameters, test accuracy {row.test_accuracy:.4f}")


@baselines.command("mlp")
@click.option("--dataset", type=DATASET, required=True, help="Dataset folder with train and test splits.")
@settings_option("s11.mlp", "Depths, widths, activations and training of the MLPs")
@click.option("--seed", type=int, default=0, help="Seed of the initialisation and the batches.")
@click.option("--out", type=OUT, required=True, help="Folder for runs.csv and one metrics Parquet per network.")
def mlp_command(dataset, settings, seed, out):
    """Train an MLP for every depth x width x activation; one runs table."""
    from dlrepro.train.baselines import mlp_sweep

    run_sweep(mlp_sweep, dataset, settings, seed, out)


@baselines.command("vgg")
@click.option("--dataset", type=DATASET, required=True, help="Dataset folder with train and test splits.")
@settings_option("s11.vgg", "Stage widths, depths and training of the VGG-style CNNs")
@click.option("--seed", type=int, default=0, help="Seed of the initialisation and the batches.")
@click.option("--out", type=OUT, required=True, help="Folder for runs.csv and one metrics Parquet per network.")
def vgg_command(dataset, settings, seed, out):
    """Train a VGG-style CNN for every depth (3x3 convolutions per stage); one runs table."""
    from dlrepro.train.baselines import vgg_sweep

    run_sweep(vgg_sweep, dataset, settings, seed, out)


@baselines.command("summarise")
@click.option("--runs", "runs", nargs=2, multiple=True, required=True,
              type=(str, click.Path(exists=True, dir_okay=False, path_type=Path)),
              help="A dataset name and a runs.csv of `mlp` or `vgg` on it (repeat).")
@click.option("--figures", type=OUT, default=Path("results/figures/s11"), help="Folder for the PNG figures.")
@click.option("--out-dir", type=OUT, default=Path("results/s11"), help="Folder for the tables and section.json.")
def summarise_command(runs, figures, out_dir):
    """Accuracy against parameters, curves and the table per dataset; the report section."""
    from dlrepro.report.baselines import summarise_study

    tables: dict[str, list[Path]] = {}
    for dataset, path in runs:
        tables.setdefault(dataset, []).append(path)
    with one_line_errors(KeyError, ValueError,
                         message="cannot summarise: {}; are the inputs runs.csv of `dlrepro baselines`?"):
        section = summarise_study(tables, figures, out_dir)
    click.echo(f"{out_dir / 'section.json'}: {len(section['figures'])} figures, {len(section['tables'])} tables")
