"""``dlrepro generalization``: S5, fitting randomised data to zero training error (Zhang et al. 2017)."""

from __future__ import annotations

from pathlib import Path

import click

from dlrepro.data.variants import check_variant
from dlrepro.io import InputError, write_json
from dlrepro.models.factory import MODEL_KINDS
from dlrepro.train.optim import OPTIMIZERS


@click.group()
def generalization():
    """S5: fit true, corrupted and random labels and pixels to zero training error."""


def variant_name(ctx, param, value):
    try:
        return check_variant(value)
    except ValueError as err:
        raise click.BadParameter(str(err)) from err


@generalization.command("fit")
@click.option("--dataset", type=click.Path(exists=True, file_okay=False, path_type=Path), required=True,
              help="Dataset folder (images.npy + index.parquet) with train and test splits.")
@click.option("--variant", required=True, callback=variant_name,
              help="true_labels, corrupt-<p>, random_labels, shuffled_pixels, random_pixels or gaussian.")
@click.option("--max-train", type=click.IntRange(min=1), default=None, help="Seeded subset of training images (default: all).")
@click.option("--model-name", default=None, help="Name of the model in tables and figures (default: the kind).")
@click.option("--kind", type=click.Choice(MODEL_KINDS), default="mlp", help="Architecture.")
@click.option("--width", type=click.IntRange(min=1), default=512, help="Hidden units (mlp) or base channels (cnn).")
@click.option("--regularisation", "regularisation_name", default="plain", help="Name of the regularisation setting.")
@click.option("--weight-decay", type=click.FloatRange(min=0), default=0.0, help="L2 weight decay.")
@click.option("--dropout", type=click.FloatRange(min=0, max=1, max_open=True), default=0.0, help="Dropout probability.")
@click.option("--shift", type=click.IntRange(min=0), default=0, help="Augment by random shifts of up to this many pixels.")
@click.option("--flip/--no-flip", default=False, help="Augment by random horizontal flips.")
@click.option("--optimizer", type=click.Choice(OPTIMIZERS), default="sgd", help="Optimizer.")
@click.option("--lr", type=click.FloatRange(min=0, min_open=True), default=0.05, help="Learning rate.")
@click.option("--momentum", type=click.FloatRange(min=0), default=0.9, help="SGD momentum.")
@click.option("--batch-size", type=click.IntRange(min=1), default=64, help="Minibatch size.")
@click.option("--max-epochs", type=click.IntRange(min=1), default=300, help="Stop here if zero training error is not reached.")
@click.option("--seed", type=int, default=0, help="Seed of the variant, the subset, the initialisation and the batches.")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="Run folder: metrics.parquet and fit.json are written there (checkpoint.pt while running).")
def fit_command(dataset, variant, max_train, model_name, kind, width, regularisation_name, weight_decay, dropout,
                shift, flip, optimizer, lr, momentum, batch_size, max_epochs, seed, out):
    """Train one model on one data variant until zero training error; a killed run resumes."""
    from dlrepro.train.engine import TrainConfig
    from dlrepro.train.generalization import Regularisation, fit_variant

    config = TrainConfig(epochs=max_epochs, batch_size=batch_size, optimizer=optimizer, lr=lr, momentum=momentum,
                         weight_decay=weight_decay, until_zero_train_error=True, seed=seed)
    regularisation = Regularisation(weight_decay=weight_decay, dropout=dropout, shift=shift, flip=flip)
    if not (dataset / "index.parquet").exists():
        raise click.ClickException(f"{dataset} has no index.parquet: write it with `dlrepro data prepare`")
    try:
        summary = fit_variant(dataset, variant, kind, width, regularisation, config, out, max_train)
    except ValueError as err:
        raise click.ClickException(str(err)) from err
    summary = {"model": model_name or kind, "regularisation": regularisation_name, **summary}
    write_json(summary, out / "fit.json")
    reached = summary["epochs_to_zero_error"]
    click.echo(f"{out}: {variant} " + (f"fitted in {reached} epochs" if reached else
                                       f"not fitted after {summary['epochs_run']} epochs"))


@generalization.command("summarise")
@click.argument("fits", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--sweep", "sweeps", multiple=True, type=click.Path(exists=True, dir_okay=False),
              help="fit.json of a width-sweep run (repeat the option for each width).")
@click.option("--dataset-name", default="digits", help="Dataset name for captions.")
@click.option("--figures", type=click.Path(file_okay=False, path_type=Path), default=Path("results/figures/s5"),
              help="Folder for the PNG figures.")
@click.option("--out-dir", type=click.Path(file_okay=False, path_type=Path), default=Path("results/s5"),
              help="Folder for the tables and section.json.")
def summarise_command(fits, sweeps, dataset_name, figures, out_dir):
    """Curves, time-to-fit table, corruption and width-sweep figures, and the report section from FITS (fit.json)."""
    from dlrepro.report.generalization import summarise_study

    try:
        section = summarise_study(list(fits), list(sweeps), figures, out_dir, dataset_name)
    except InputError:
        raise  # it names its file
    except (KeyError, ValueError) as err:
        raise click.ClickException(f"cannot summarise: {err}; are all inputs fit.json files of `dlrepro generalization fit`?") from err
    click.echo(f"{out_dir / 'section.json'}: {len(section['figures'])} figures, {len(section['tables'])} tables")
