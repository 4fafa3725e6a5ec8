"""``dlrepro artists``: S4, the artist-classification CNN practical."""

from __future__ import annotations

from pathlib import Path

import click

from dlrepro.cli.errors import one_line_errors
from dlrepro.cli.settings import settings_option
from dlrepro.io import write_json


@click.group()
def artists():
    """S4: a small configurable CNN on paintings; experiments, architecture sweep, robustness."""


@artists.command("generate")
@click.option("--archive", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="Tar archive to write, holding artists/<painter>/<n>.png.")
@click.option("--manifest", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="SHA256SUMS of the paintings, written beside the archive.")
@settings_option("s4.standin", "The stand-in's painters, paintings per painter and size")
@click.option("--seed", type=int, default=0, help="Seed of the painters' styles and their paintings.")
def generate_command(archive, manifest, settings, seed):
    """Write generated stand-in paintings (offline, no real art_data) as an image-folder archive."""
    from dlrepro.data.paintings import write_standin_paintings

    counts = write_standin_paintings(archive, manifest, settings["painters"], settings["paintings"],
                                     settings["size"], seed)
    click.echo(f"{archive}: {sum(counts.values())} paintings of {len(counts)} painters")


@artists.command("train")
@click.option("--dataset", type=click.Path(exists=True, file_okay=False, path_type=Path), required=True,
              help="Dataset folder (images.npy + index.parquet) with train, val and test splits.")
@click.option("--experiment", "name", required=True, help="Entry of s4.experiments or s4.architectures to train.")
@settings_option("s4", "The study's settings: network and train (the base), experiments, architectures, robustness")
@click.option("--seed", type=int, default=0, help="Seed of the initialisation, the batches and the augmentation.")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="Run folder for metrics.parquet, model.pt and run.json (and checkpoint.pt while running).")
def train_command(dataset, name, settings, seed, out):
    """Train one experiment on the train split, judged on val; a killed run resumes."""
    from dlrepro.train.artists import experiment, train_experiment

    with one_line_errors():
        run = experiment(settings, name)
        summary = train_experiment(dataset, run, settings["robustness"]["strengths"], seed, out)
    write_json(summary, out / "run.json")
    click.echo(f"{out}: {name} validation accuracy {summary['val_accuracy']:.3f} after {summary['epochs_run']} epochs")


@artists.command("summarise")
@click.argument("runs", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--dataset", type=click.Path(exists=True, file_okay=False, path_type=Path), required=True,
              help="The dataset folder the runs were trained on (its test split is scored here).")
@settings_option("s4", "The study's settings: dataset (its name, for the captions), network and train (the base the "
                 "experiments change), robustness")
@click.option("--figures", type=click.Path(file_okay=False, path_type=Path), default=Path("results/figures/s4"),
              help="Folder for the PNG figures.")
@click.option("--out-dir", type=click.Path(file_okay=False, path_type=Path), default=Path("results/s4"),
              help="Folder for the tables, best.json and section.json.")
def summarise_command(runs, dataset, settings, figures, out_dir):
    """Choose the best RUNS (run.json) on validation, score it on test, the robustness table, figures, section."""
    from dlrepro.report.artists import summarise_study

    base = {"network": settings["network"], "train": settings["train"]}
    robustness = settings["robustness"]
    with one_line_errors(KeyError, ValueError, RuntimeError,
                         message="cannot summarise: {}; are all inputs run.json files of `dlrepro artists train` "
                                 "with their model.pt, trained on --dataset?"):
        section = summarise_study(list(runs), dataset, base, robustness["strengths"], robustness["runs"], figures,
                                  out_dir, settings["dataset"])
    click.echo(f"{out_dir / 'section.json'}: {len(section['figures'])} figures, {len(section['tables'])} tables")
