"""``dlrepro captions``: S13, image captioning on Flickr8K (your folder) or generated STAND-IN scenes."""

from __future__ import annotations

from pathlib import Path

import click

from dlrepro.cli.errors import one_line_errors
from dlrepro.cli.settings import settings_option

FOLDER = click.Path(file_okay=False, path_type=Path)
EXISTING_FOLDER = click.Path(exists=True, file_okay=False, path_type=Path)


@click.group()
def captions():
    """S13: a CNN encoder and an LSTM decoder (soft attention optional) caption images; BLEU-1..4."""


@captions.command("dataset")
@settings_option("s13.data", "The Flickr8K folder (or none: the stand-in scenes), image size and subset")
@click.option("--manifest", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="SHA-256 manifest of the Flickr8K files: written on first use, checked after.")
@click.option("--seed", type=int, default=0, help="Seed of the generated scenes or of the Flickr8K subset.")
@click.option("--out", type=FOLDER, required=True, help="Folder for images.npy, captions.parquet and dataset.json.")
def dataset_command(settings, manifest, seed, out):
    """Read Flickr8K as distributed (verified), or generate the STAND-IN scenes, into one caption dataset."""
    from dlrepro.data.captions import build_caption_dataset

    with one_line_errors():
        record = build_caption_dataset(settings, seed, out, manifest)
    click.echo(f"{out}: {record['dataset']}, {record['images']} images, {record['captions']} captions")


@captions.command("train")
@click.option("--dataset", type=EXISTING_FOLDER, required=True, help="Folder written by `dlrepro captions dataset`.")
@settings_option("s13.captioner", "The vocabulary, model, training and decoding")
@click.option("--seed", type=int, default=0, help="Seed of the initialisation and the batches.")
@click.option("--out", type=FOLDER, required=True,
              help="Folder for run.json, metrics.parquet, predictions.parquet, vocabulary.json and model.pt.")
def train_command(dataset, settings, seed, out):
    """Train the captioner by teacher forcing, caption the test images (greedy, beam search), score BLEU."""
    from dlrepro.train.captioning import train_captioner

    with one_line_errors():
        run = train_captioner(dataset, settings, seed, out)
    for decode in ("greedy", "beam"):
        click.echo(f"{out}: {decode} BLEU-1..4 " + " ".join(f"{value:.3f}" for value in run[decode].values()))


@captions.command("summarise")
@click.option("--run", "run_path", type=click.Path(exists=True, dir_okay=False, path_type=Path), required=True,
              help="run.json of `dlrepro captions train` (its predictions and metrics beside it).")
@click.option("--dataset", type=EXISTING_FOLDER, required=True, help="The caption dataset it was trained on.")
@click.option("--examples", type=click.IntRange(min=1), default=8, help="Test images shown with their captions.")
@click.option("--figures", type=FOLDER, default=Path("results/figures/s13"), help="Folder for the PNG figures.")
@click.option("--out-dir", type=FOLDER, default=Path("results/s13"), help="Folder for bleu.csv and section.json.")
def summarise_command(run_path, dataset, examples, figures, out_dir):
    """Captioned test images, training curves, BLEU next to Xu et al. 2015, the report section."""
    from dlrepro.report.captioning import summarise_study

    with one_line_errors(KeyError, ValueError,
                         message="cannot summarise: {}; are the inputs outputs of `dlrepro captions`?"):
        section = summarise_study(run_path, dataset, figures, out_dir, examples)
    click.echo(f"{out_dir / 'section.json'}: {len(section['figures'])} figures, {len(section['tables'])} tables")
