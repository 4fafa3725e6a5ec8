"""``dlrepro attention``: S7, the recurrent attention model (Mnih et al. 2014) on translated and cluttered digits."""

from __future__ import annotations

from pathlib import Path

import click

from dlrepro.cli.errors import one_line_errors
from dlrepro.cli.settings import settings_entry, settings_option
from dlrepro.io import write_json


@click.group()
def attention():
    """S7: RAM, trained by REINFORCE, against FC and conv nets on translated and cluttered digits."""


@attention.command("canvases")
@click.option("--dataset", type=click.Path(exists=True, file_okay=False, path_type=Path), required=True,
              help="Dataset folder of the digits (images.npy + index.parquet).")
@settings_option("s7.canvases.*", "The canvas: its side, the digits' size, clutter fragments and subset sizes")
@click.option("--seed", type=int, default=0, help="Seed of the subsets, the positions and the clutter.")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="Dataset folder to write the canvases to.")
def canvases_command(dataset, settings, seed, out):
    """Place the digits at random on larger canvases, with clutter when asked; writes a dataset."""
    from dlrepro.data.canvases import write_canvas_dataset

    with one_line_errors(message="config key s7.canvases: {}"):
        written = write_canvas_dataset(dataset, out, settings, seed)
    click.echo(f"{out}: {written['images']} canvases of {written['canvas']} px, digits of {written['digit_size']} px")


@attention.command("train")
@click.option("--dataset", type=click.Path(exists=True, file_okay=False, path_type=Path), required=True,
              help="Canvas dataset folder (from `dlrepro attention canvases`) with train and test splits.")
@click.option("--canvas", required=True, help="Its entry of s7.canvases (the retina may differ per canvas).")
@click.option("--model", "name", required=True, help="fc, conv or ram-<glimpses>, e.g. ram-6.")
@settings_option("s7", "The study's settings: canvases, ram, fc, conv and train")
@click.option("--seed", type=int, default=0, help="Seed of the initialisation, the batches and the glimpse locations.")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="Run folder for metrics.parquet, model.pt and run.json (and checkpoint.pt while running).")
def train_command(dataset, canvas, name, settings, seed, out):
    """Train one model on the train split and score it on test; a killed run resumes."""
    from dlrepro.train.attention import train_model

    entry = settings_entry(settings["canvases"], "s7.canvases", canvas)
    with one_line_errors():
        summary = train_model(dataset, name, settings, entry | {"name": canvas}, seed, out)
    write_json(summary | {"dataset": str(dataset)}, out / "run.json")
    click.echo(f"{out}: {name} on {canvas} test error {summary['test_error']:.4f} after {summary['epochs_run']} epochs")


@attention.command("summarise")
@click.argument("runs", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@settings_option("s7", "The study's settings the runs were trained with")
@click.option("--source", required=True,
              help="The source of the digits' dataset (datasets.<name>.source), for the captions: mnist or a stand-in.")
@click.option("--figures", type=click.Path(file_okay=False, path_type=Path), default=Path("results/figures/s7"),
              help="Folder for the PNG figures.")
@click.option("--out-dir", type=click.Path(file_okay=False, path_type=Path), default=Path("results/s7"),
              help="Folder for errors.csv and section.json.")
@click.option("--seed", type=int, default=0, help="Seed of the glimpse paths drawn over test images.")
def summarise_command(runs, settings, source, figures, out_dir, seed):
    """The error table of RUNS (run.json) next to Mnih et al.'s, glimpse paths, glimpses, curves, the section."""
    from dlrepro.report.attention import summarise_study

    with one_line_errors(KeyError, ValueError, RuntimeError,
                         message="cannot summarise: {}; are all inputs run.json files of `dlrepro attention train`, "
                                 "with their model.pt and canvas dataset?"):
        section = summarise_study(list(runs), settings, source, figures, out_dir, seed)
    click.echo(f"{out_dir / 'section.json'}: {len(section['figures'])} figures, {len(section['tables'])} tables")
