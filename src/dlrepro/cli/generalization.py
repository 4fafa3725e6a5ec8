"""``dlrepro generalization``: S5, fitting randomised data to zero training error (Zhang et al. 2017)."""

from __future__ import annotations

from pathlib import Path

import click

from dlrepro.cli.errors import one_line_errors
from dlrepro.cli.settings import settings_entry, settings_option
from dlrepro.data.variants import check_variant
from dlrepro.io import write_json


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
@click.option("--model-name", default="mlp", help="Entry of s5.models to fit (its name in tables and figures).")
@click.option("--regularisation", "regularisation_name", default="plain",
              help="Entry of s5.regularisation to train with.")
@settings_option("s5", "The study's settings: max_train, train (optimisation), models, regularisation")
@click.option("--seed", type=int, default=0, help="Seed of the variant, the subset, the initialisation and the batches.")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="Run folder: metrics.parquet and fit.json are written there (checkpoint.pt while running).")
def fit_command(dataset, variant, model_name, regularisation_name, settings, seed, out):
    """Train one model on one data variant until zero training error; a killed run resumes."""
    from dlrepro.train.engine import train_config
    from dlrepro.train.generalization import Regularisation, fit_variant

    model = settings_entry(settings["models"], "s5.models", model_name)
    setting = settings_entry(settings["regularisation"], "s5.regularisation", regularisation_name)
    config = train_config(settings["train"], epochs=settings["train"]["max_epochs"],
                          weight_decay=setting["weight_decay"], until_zero_train_error=True, seed=seed)
    regularisation = Regularisation(weight_decay=setting["weight_decay"], dropout=setting["dropout"],
                                    shift=setting["shift"], flip=setting["flip"])
    if not (dataset / "index.parquet").exists():
        raise click.ClickException(f"{dataset} has no index.parquet: write it with `dlrepro data prepare`")
    with one_line_errors():
        summary = fit_variant(dataset, variant, model["kind"], model["width"], regularisation, config, out,
                              settings["max_train"])
    summary = {"model": model_name, "regularisation": regularisation_name, **summary}
    write_json(summary, out / "fit.json")
    reached = summary["epochs_to_zero_error"]
    click.echo(f"{out}: {variant} " + (f"fitted in {reached} epochs" if reached else
                                       f"not fitted after {summary['epochs_run']} epochs"))


@generalization.command("summarise")
@click.argument("fits", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--sweep", "sweeps", multiple=True, type=click.Path(exists=True, dir_okay=False),
              help="fit.json of a width-sweep run (repeat the option for each width).")
@settings_option("s5", "The study's settings; dataset names the data in the captions")
@click.option("--figures", type=click.Path(file_okay=False, path_type=Path), default=Path("results/figures/s5"),
              help="Folder for the PNG figures.")
@click.option("--out-dir", type=click.Path(file_okay=False, path_type=Path), default=Path("results/s5"),
              help="Folder for the tables and section.json.")
def summarise_command(fits, sweeps, settings, figures, out_dir):
    """Curves, time-to-fit table, corruption and width-sweep figures, and the report section from FITS (fit.json)."""
    from dlrepro.report.generalization import summarise_study

    with one_line_errors(KeyError, ValueError,
                         message="cannot summarise: {}; are all inputs fit.json files of `dlrepro generalization fit`?"):
        section = summarise_study(list(fits), list(sweeps), figures, out_dir, settings["dataset"])
    click.echo(f"{out_dir / 'section.json'}: {len(section['figures'])} figures, {len(section['tables'])} tables")
