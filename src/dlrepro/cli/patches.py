"""``dlrepro patches``: cut a folder of large images into a patch dataset."""

from __future__ import annotations

from pathlib import Path

import click

from dlrepro.cli.errors import one_line_errors
from dlrepro.cli.settings import settings_option
from dlrepro.data.patches import PatchSettings, read_labels, write_patch_dataset


@click.command()
@settings_option("patches.*", "The images folder, its labels table (CSV/TSV with columns file, label and an "
                 "optional split; without it every image is class 'unlabelled') and the cutting: size, stride, "
                 "grayscale, min_std (background), scale")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="Dataset folder to write (images.npy, index.parquet, patches.parquet).")
def patches(settings, out):
    """Cut every image into patches, drop background ones, and write the dataset (group = image)."""
    folder, labels = Path(settings["images"]), settings["labels"]
    cutting = PatchSettings(size=settings["size"], stride=settings["stride"], grayscale=settings["grayscale"],
                            min_std=settings["min_std"], scale=settings["scale"])
    with one_line_errors():  # an ImageReadError is a ValueError
        table = write_patch_dataset(folder, out, cutting, read_labels(Path(labels), folder) if labels else None)
    counts = table.groupby("file").size()
    click.echo(f"{out}: {len(table)} patches from {len(counts)} images ({counts.min()}-{counts.max()} per image)")
