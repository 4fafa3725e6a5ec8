"""``dlrepro embed``: 2-D embedding of a feature table and its scatter plot."""

from __future__ import annotations

from pathlib import Path

import click

from dlrepro.cli.errors import one_line_errors
from dlrepro.cli.settings import settings_option
from dlrepro.embed.embedding import METHODS, embed_and_plot


@click.command()
@click.option("--features", type=click.Path(exists=True, dir_okay=False, path_type=Path), required=True,
              help="Feature table (Parquet) to embed.")
@click.option("--method", type=click.Choice(METHODS), required=True, help="Embedding method.")
@settings_option("s1.embeddings", "The embedding settings: max_points, the size of the seeded, class-stratified "
                 "subset embedded")
@click.option("--seed", type=int, default=0, help="Seed for the subset and the embedding.")
@click.option("--dataset-dir", type=click.Path(exists=True, file_okay=False, path_type=Path), default=None,
              help="Dataset folder whose index.parquet names the classes (else labels are shown as numbers).")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="Embedding Parquet to write (id, split, label, x, y).")
@click.option("--figure", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="Scatter plot PNG to write.")
def embed(features, method, settings, seed, dataset_dir, out, figure):
    """Embed a seeded subset of FEATURES in 2-D and plot it coloured by class."""
    with one_line_errors(message=f"{features}: {{}}"):
        embedding = embed_and_plot(features, method, settings["max_points"], seed, dataset_dir, out, figure)
    click.echo(f"{out}: {len(embedding)} points embedded by {method}")
