"""``dlrepro patches``: cut a folder of large images into a patch dataset."""

from __future__ import annotations

from pathlib import Path

import click

from dlrepro.data.images import ImageReadError
from dlrepro.data.patches import PatchSettings, read_labels, write_patch_dataset


@click.command()
@click.option("--images", "folder", type=click.Path(exists=True, file_okay=False, path_type=Path), required=True,
              help="Folder of JPEG, PNG or TIFF images (8- or 16-bit; multi-page TIFF: first page).")
@click.option("--labels", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="CSV/TSV with columns file, label (and optional split); only its files are used. "
                   "Without it every image is class 'unlabelled'.")
@click.option("--size", type=click.IntRange(min=1), default=224, help="Patch side in pixels (after --scale).")
@click.option("--stride", type=click.IntRange(min=1), default=112, help="Step between patches in pixels.")
@click.option("--grayscale/--color", default=True, help="One luma channel, or three RGB channels.")
@click.option("--min-std", type=click.FloatRange(min=0), default=0.02,
              help="Drop patches whose pixel standard deviation (intensities in [0, 1]) is below this: background.")
@click.option("--scale", type=click.FloatRange(min=0, min_open=True), default=1.0,
              help="Resize each image by this factor before cutting.")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="Dataset folder to write (images.npy, index.parquet, patches.parquet).")
def patches(folder, labels, size, stride, grayscale, min_std, scale, out):
    """Cut every image into patches, drop background ones, and write the dataset (group = image)."""
    settings = PatchSettings(size=size, stride=stride, grayscale=grayscale, min_std=min_std, scale=scale)
    try:
        table = write_patch_dataset(folder, out, settings, read_labels(labels, folder) if labels else None)
    except (ImageReadError, ValueError) as err:
        raise click.ClickException(str(err)) from err
    counts = table.groupby("file").size()
    click.echo(f"{out}: {len(table)} patches from {len(counts)} images ({counts.min()}-{counts.max()} per image)")
