"""``dlrepro data``: fetch raw files with SHA-256 verification and normalise datasets."""

from __future__ import annotations

from pathlib import Path

import click

from dlrepro.data.download import ChecksumError, fetch
from dlrepro.data.prepare import prepare_dataset
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
@click.option("--source", type=click.Choice(sorted(SOURCES) + ["digits"]), required=True, help="Dataset source.")
@click.option("--raw-dir", type=click.Path(file_okay=False, path_type=Path), default=Path("."),
              help="Folder holding the verified raw files (unused for built-in sources).")
@click.option("--checksums", type=click.Path(exists=True, dir_okay=False), default=None,
              help="sha256sum-style manifest overriding the pinned SHA-256.")
@click.option("--max-train", type=int, default=None, help="Keep at most this many training images (random, seeded).")
@click.option("--max-test", type=int, default=None, help="Keep at most this many test images (random, seeded).")
@click.option("--seed", type=int, default=0, help="Seed for splits and subsampling.")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), required=True, help="Dataset folder to write.")
def prepare_command(source, raw_dir, checksums, max_train, max_test, seed, out):
    """Re-verify the raw files and write images.npy + index.parquet."""
    digests = {}
    if source in SOURCES:
        digests = {raw.name: expected_sha256(source, raw.name, checksums) for raw in SOURCES[source].files}
    try:
        n = prepare_dataset(source, raw_dir, out, digests, {"train": max_train, "test": max_test}, seed)
    except (ChecksumError, ValueError, OSError) as err:
        raise click.ClickException(str(err)) from err
    click.echo(f"{out}: {n} images")
