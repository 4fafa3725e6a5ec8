"""``dlrepro embed``: 2-D embedding of a feature table and its scatter plot."""

from __future__ import annotations

from pathlib import Path

import click

from dlrepro.data.dataset import load_dataset
from dlrepro.embed.embedding import METHOD_NAMES, METHODS, embed_features
from dlrepro.io import InputError, atomic_output
from dlrepro.plots.embedding import plot_embedding


@click.command()
@click.option("--features", type=click.Path(exists=True, dir_okay=False, path_type=Path), required=True,
              help="Feature table (Parquet) to embed.")
@click.option("--method", type=click.Choice(METHODS), required=True, help="Embedding method.")
@click.option("--max-points", type=click.IntRange(min=4), default=500,
              help="Embed a seeded, class-stratified subset of at most this many rows.")
@click.option("--seed", type=int, default=0, help="Seed for the subset and the embedding.")
@click.option("--dataset-dir", type=click.Path(exists=True, file_okay=False, path_type=Path), default=None,
              help="Dataset folder whose index.parquet names the classes (else labels are shown as numbers).")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="Embedding Parquet to write (id, split, label, x, y).")
@click.option("--figure", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="Scatter plot PNG to write.")
def embed(features, method, max_points, seed, dataset_dir, out, figure):
    """Embed a seeded subset of FEATURES in 2-D and plot it coloured by class."""
    classes = load_dataset(dataset_dir).classes if dataset_dir else None
    try:
        embedding = embed_features(features, method, max_points, seed)
    except InputError:
        raise  # it names its file
    except ValueError as err:
        raise click.ClickException(f"{features}: {err}") from err
    with atomic_output(out) as tmp:
        embedding.to_parquet(tmp, index=False)
    source = f"{dataset_dir.name}, " if dataset_dir else ""
    title = f"{METHOD_NAMES[method]} of {features.stem} features ({source}{len(embedding)} points)"
    plot_embedding(embedding, figure, title, classes)
    click.echo(f"{out}: {len(embedding)} points embedded by {method}")
