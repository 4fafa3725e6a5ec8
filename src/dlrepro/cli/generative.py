"""``dlrepro generative``: S8, a VAE and GANs with three objectives, their samples scored."""

from __future__ import annotations

from pathlib import Path

import click

from dlrepro.cli.errors import one_line_errors
from dlrepro.cli.settings import settings_option

DATASET = click.option("--dataset", type=click.Path(exists=True, file_okay=False, path_type=Path), required=True,
                       help="Dataset folder (images.npy + index.parquet) with train and test splits.")
SEED = click.option("--seed", type=int, default=0, help="Seed of the initialisation, the batches and the codes.")
OUT = click.option("--out", type=click.Path(file_okay=False, path_type=Path), required=True,
                   help="Run folder for metrics.parquet, the weights and run.json (and checkpoint.pt while running).")


@click.group()
def generative():
    """S8: VAE and GANs (minimax, non-saturating, WGAN-GP) with sample grids, interpolations and scores."""


@generative.command("classifier")
@DATASET
@settings_option("s8", "The study's settings: size and classifier")
@SEED
@OUT
def classifier_command(dataset, settings, seed, out):
    """Train the classifier whose predictions and features score the samples (IS, FID, diversity)."""
    from dlrepro.train.generative import train_classifier

    with one_line_errors(message="config key s8.classifier: {}"):
        summary = train_classifier(dataset, settings, seed, out)
    click.echo(f"{out}: classifier on {summary['dataset']} test error {summary['test_error']:.4f}")


@generative.command("train")
@DATASET
@click.option("--model", "name", required=True, help="vae, minimax, nonsaturating or wgan-gp.")
@settings_option("s8", "The study's settings: size, vae, gan, wgan_gp, train and grid")
@SEED
@OUT
def train_command(dataset, name, settings, seed, out):
    """Train one model on the train split, saving the fixed codes' samples after every epoch; a killed run resumes."""
    from dlrepro.train.generative import train_generator

    with one_line_errors():
        summary = train_generator(dataset, name, settings, seed, out)
    elbo = "" if summary["test_nelbo"] is None else f", test -ELBO {summary['test_nelbo']:.2f} nats"
    click.echo(f"{out}: {name} on {summary['dataset']}, {summary['epochs']} epochs{elbo}")


@generative.command("summarise")
@click.argument("runs", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@settings_option("s8", "The study's settings the runs were trained with")
@click.option("--figures", type=click.Path(file_okay=False, path_type=Path), default=Path("results/figures/s8"),
              help="Folder for the PNG figures.")
@click.option("--out-dir", type=click.Path(file_okay=False, path_type=Path), default=Path("results/s8"),
              help="Folder for metrics.csv and section.json.")
@click.option("--seed", type=int, default=0, help="Seed of the scored samples, the pairs and the interpolated codes.")
def summarise_command(runs, settings, figures, out_dir, seed):
    """Score RUNS (run.json of the classifiers and models) against the real test images; figures and section."""
    from dlrepro.report.generative import summarise_study

    with one_line_errors(KeyError, ValueError, RuntimeError,
                         message="cannot summarise: {}; are all inputs run.json files of "
                                 "`dlrepro generative classifier` and `dlrepro generative train`?"):
        section = summarise_study(list(runs), settings, figures, out_dir, seed)
    click.echo(f"{out_dir / 'section.json'}: {len(section['figures'])} figures, {len(section['tables'])} tables")
