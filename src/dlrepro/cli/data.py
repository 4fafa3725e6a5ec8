"""``dlrepro data``: fetch raw files with SHA-256 verification, normalise datasets, read image folders."""

from __future__ import annotations

from pathlib import Path

import click

from dlrepro.data.download import ChecksumError, fetch
from dlrepro.data.folders import FIT_MODES, FolderSettings, prepare_image_folder
from dlrepro.data.prepare import BUILTIN, prepare_dataset
from dlrepro.data.sources import SOURCES, expected_sha256, source_url


@click.group()
def data():
    """Download, verify and normalise datasets."""


@data.command("fetch")
@click.option("--source", type=click.Choice(sorted(SOURCES)), required=True, help="Dataset to fetch from.")
@click.option("--file", "filename", required=True, help="Raw file name, e.g. train-images-idx3-ubyte.gz.")
@click.option("--mirror", default=None, envvar="DLREPRO_MIRROR", show_envvar=True,
              help="Folder or URL prefix holding <source>/<file>, replacing the official host.")
@click.option("--checksums", type=click.Path(exists=True, dir_okay=False), default=None, envvar="DLREPRO_CHECKSUMS",
              show_envvar=True,
              help="sha256sum-style manifest overriding the pinned SHA-256.")
@click.option("--timeout", type=float, default=60.0, help="Seconds to wait for the server.")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), required=True, help="Where to write the file.")
def fetch_command(source, filename, mirror, checksums, timeout, out):
    """Download one raw file and keep it only if its SHA-256 matches."""
    try:
        digest = expected_sha256(source, filename, checksums)
        fetch(source_url(source, filename, mirror), out, digest, timeout=timeout)
    except KeyError as err:
        raise click.ClickException(err.args[0]) from err
    except (ChecksumError, OSError) as err:
        raise click.ClickException(str(err)) from err
    click.echo(f"{out}: SHA-256 {digest} verified")


@data.command("prepare")
@click.option("--source", type=click.Choice(sorted(SOURCES) + list(BUILTIN)), required=True,
              help="Dataset source (digits and faces, the S3 stand-in, are built in).")
@click.option("--raw-dir", type=click.Path(file_okay=False, path_type=Path), default=Path("."),
              help="Folder holding the verified raw files (unused for built-in sources).")
@click.option("--checksums", type=click.Path(exists=True, dir_okay=False), default=None,
              help="sha256sum-style manifest overriding the pinned SHA-256.")
@click.option("--max-train", type=int, default=None, help="Keep at most this many training images (random, seeded).")
@click.option("--max-test", type=int, default=None, help="Keep at most this many test images (random, seeded).")
@click.option("--size", type=click.IntRange(min=8), default=28, help="Side of the generated faces (source faces).")
@click.option("--channels", type=click.Choice(["1", "3"]), default="1",
              help="1: grayscale, 3: RGB (source faces).")
@click.option("--seed", type=int, default=0, help="Seed for splits and subsampling.")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), required=True, help="Dataset folder to write.")
def prepare_command(source, raw_dir, checksums, max_train, max_test, size, channels, seed, out):
    """Re-verify the raw files and write images.npy + index.parquet."""
    digests = {}
    if source in SOURCES:
        digests = {raw.name: expected_sha256(source, raw.name, checksums) for raw in SOURCES[source].files}
    try:
        n = prepare_dataset(source, raw_dir, out, digests, {"train": max_train, "test": max_test}, seed, size,
                            int(channels))
    except (ChecksumError, ValueError, OSError) as err:
        raise click.ClickException(str(err)) from err
    click.echo(f"{out}: {n} images")


@data.command("folder")
@click.option("--images", type=click.Path(exists=True, path_type=Path), required=True,
              help="Folder of <class>/<file> or <split>/<class>/<file>, or a .tar, .tar.gz, .tgz or .zip of one.")
@click.option("--manifest", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="SHA-256 manifest of the images (sha256sum format): written when absent, checked otherwise.")
@click.option("--size", type=click.IntRange(min=1), default=None,
              help="Side of the square every image is fitted to  [default: the images' own, which must agree].")
@click.option("--channels", type=click.Choice(["1", "3"]), default="3", show_default=True,
              help="1: grayscale (luma); 3: RGB (grayscale images repeated).")
@click.option("--fit", type=click.Choice(FIT_MODES), default="resize", show_default=True,
              help="resize: stretch to the square; pad: keep the aspect, black borders; crop: keep the aspect, centre crop.")
@click.option("--val-fraction", type=click.FloatRange(0, 1, max_open=True), default=0.0, show_default=True,
              help="Share of each class held out for validation, when the tree has no split folders.")
@click.option("--test-fraction", type=click.FloatRange(0, 1, max_open=True), default=0.3, show_default=True,
              help="Share of each class held out for testing, when the tree has no split folders.")
@click.option("--max-train", type=int, default=None, help="Keep at most this many training images (stratified, seeded).")
@click.option("--max-test", type=int, default=None, help="Keep at most this many test images (stratified, seeded).")
@click.option("--seed", type=int, default=0, show_default=True, help="Seed for the split and subsampling.")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), required=True, help="Dataset folder to write.")
def folder_command(images, manifest, size, channels, fit, val_fraction, test_fraction, max_train, max_test, seed, out):
    """Check a class-per-folder image tree against its manifest and write images.npy + index.parquet."""
    try:
        settings = FolderSettings(size, int(channels), fit, val_fraction, test_fraction)
        summary = prepare_image_folder(images, out, manifest, settings, {"train": max_train, "test": max_test}, seed)
    except (ValueError, OSError) as err:
        raise click.ClickException(str(err)) from err
    skipped = ", ".join(f"{n} {reason}" for reason, n in summary.skipped.items())
    splits = ", ".join(f"{name} {n}" for name, n in summary.split_counts.items())
    action = "recorded in" if summary.manifest_written else "match"
    click.echo(f"{images}: skipped {skipped}", err=True)
    click.echo(f"{out}: {summary.images} images of {len(summary.classes)} classes ({splits}); "
               f"SHA-256 {action} {manifest}")
