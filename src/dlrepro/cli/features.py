"""``dlrepro features``: turn a normalised dataset into a Parquet feature table."""

from __future__ import annotations

from pathlib import Path

import click

from dlrepro.cli.errors import one_line_errors
from dlrepro.cli.settings import settings_option
from dlrepro.features.settings import CNN_LAYERS, DEFAULT_LAYER, KINDS

LAYER_HELP = "Layers: " + "; ".join(
    f"{arch}: {', '.join(layers)} (default {DEFAULT_LAYER[arch]})" for arch, layers in CNN_LAYERS.items()
)


@click.group()
def features():
    """Extract feature tables (pixels, scattering, torchvision CNN layers) from datasets."""


@features.command("extract")
@click.option("--dataset", type=click.Path(exists=True, file_okay=False, path_type=Path), required=True,
              help="Dataset folder (images.npy + index.parquet, as `dlrepro data prepare` writes it).")
@settings_option("s1.extractors.*", f"Extractor: kind ({', '.join(sorted(KINDS))}) and its settings. {LAYER_HELP}")
@click.option("--batch-size", type=click.IntRange(min=1), default=256, help="Images per batch (and per row group).")
@click.option("--device", type=click.Choice(["auto", "cpu", "cuda"]), default="auto",
              help="auto uses CUDA (with AMP) when available.")
@click.option("--threads", type=click.IntRange(min=1), default=None, help="CPU threads for torch (default: all cores).")
@click.option("--seed", type=int, default=0, help="Seed of random CNN weights.")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), required=True, help="Parquet file to write.")
def extract_command(dataset, settings, batch_size, device, threads, seed, out):
    """Write the features of every image of a dataset to a Parquet table (one row group per batch)."""
    from dlrepro.features.extract import extract_features

    with one_line_errors(ValueError, OSError):
        rows = extract_features(dataset, settings, out, batch_size=batch_size, device=device, seed=seed,
                                threads=threads)
    click.echo(f"{out}: {rows} rows")
