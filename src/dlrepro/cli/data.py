"""``dlrepro data``: fetch raw files with SHA-256 verification, normalise datasets, read image folders."""

from __future__ import annotations

from pathlib import Path

import click

from dlrepro.cli.errors import one_line_errors
from dlrepro.cli.settings import settings_option
from dlrepro.data.download import ChecksumError, fetch
from dlrepro.data.folders import FolderSettings, prepare_image_folder
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
    digest = pinned_sha256(source, filename, checksums)
    with one_line_errors(ChecksumError, OSError):
        fetch(source_url(source, filename, mirror), out, digest, timeout=timeout)
    click.echo(f"{out}: SHA-256 {digest} verified")


def pinned_sha256(source: str, filename: str, checksums: str | None) -> str:
    try:
        return expected_sha256(source, filename, checksums)
    except KeyError as err:  # its message is a sentence, which str() would quote
        raise click.ClickException(err.args[0]) from err


def dataset_entry(source_kind: str):
    """The ``--settings`` of a command that writes one dataset: its entry under ``datasets``."""
    return settings_option("datasets.*", f"The dataset's config entry: {source_kind}")


@data.command("prepare")
@dataset_entry("source (digits and faces, the S3 stand-in, are built in; mnist, fashion-mnist and cifar10 are "
               "read from --raw-dir), max_train, max_test, and for faces their size and channels")
@click.option("--raw-dir", type=click.Path(file_okay=False, path_type=Path), default=Path("."),
              help="Folder holding the verified raw files (unused for built-in sources).")
@click.option("--checksums", type=click.Path(exists=True, dir_okay=False), default=None,
              help="sha256sum-style manifest overriding the pinned SHA-256.")
@click.option("--seed", type=int, default=0, help="Seed for splits and subsampling.")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), required=True, help="Dataset folder to write.")
def prepare_command(settings, raw_dir, checksums, seed, out):
    """Re-verify the raw files and write images.npy + index.parquet."""
    source = settings["source"]
    if source not in SOURCES and source not in BUILTIN:
        raise click.ClickException(f"config key datasets.<name>.source: {source} is read by `dlrepro data folder`")
    digests = {}
    if source in SOURCES:
        digests = {raw.name: pinned_sha256(source, raw.name, checksums) for raw in SOURCES[source].files}
    limits = {"train": settings["max_train"], "test": settings["max_test"]}
    faces = {"size": settings["size"], "channels": settings["channels"]} if source == "faces" else {}
    with one_line_errors(ChecksumError, ValueError, OSError):
        n = prepare_dataset(source, raw_dir, out, digests, limits, seed, **faces)
    click.echo(f"{out}: {n} images")


@data.command("folder")
@dataset_entry("source folder, images (a folder of <class>/<file> or <split>/<class>/<file>, or a .tar, .tar.gz, "
               ".tgz or .zip of one), labels (null, or a CSV of file, label and optional split columns naming "
               "each image's class), manifest (SHA-256 manifest of the images and the labels CSV, sha256sum "
               "format: written when absent, checked otherwise), size, channels, fit, val_fraction, test_fraction, "
               "max_train, max_test")
@click.option("--seed", type=int, default=0, show_default=True, help="Seed for the split and subsampling.")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), required=True, help="Dataset folder to write.")
def folder_command(settings, seed, out):
    """Check a class-per-folder image tree (or images and a labels CSV) against its manifest and write
    images.npy + index.parquet."""
    if settings["source"] != "folder":
        raise click.ClickException(f"config key datasets.<name>.source: {settings['source']} is read by "
                                   "`dlrepro data prepare`")
    if settings["manifest"] is None:
        raise click.ClickException("config key datasets.<name>.manifest: null; give the manifest's path (the workflow "
                                   "takes SHA256SUMS in the images folder, else results/datasets/<name>.sha256)")
    images, manifest = Path(settings["images"]), Path(settings["manifest"])
    with one_line_errors(ValueError, OSError):
        fitting = FolderSettings(settings["size"], settings["channels"], settings["fit"], settings["val_fraction"],
                                 settings["test_fraction"])
        limits = {"train": settings["max_train"], "test": settings["max_test"]}
        summary = prepare_image_folder(images, out, manifest, fitting, limits, seed, settings["labels"])
    skipped = ", ".join(f"{n} {reason}" for reason, n in summary.skipped.items())
    splits = ", ".join(f"{name} {n}" for name, n in summary.split_counts.items())
    action = "recorded in" if summary.manifest_written else "match"
    click.echo(f"{images}: skipped {skipped}", err=True)
    click.echo(f"{out}: {summary.images} images of {len(summary.classes)} classes ({splits}); "
               f"SHA-256 {action} {manifest}")
