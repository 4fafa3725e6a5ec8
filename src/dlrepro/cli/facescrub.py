"""``dlrepro facescrub``: fetch the listed photos of chosen people, crop their faces into datasets."""

from __future__ import annotations

from pathlib import Path

import click
import pandas as pd

from dlrepro.data.facescrub import (
    FetchSettings,
    fetch_faces,
    read_face_list,
    read_face_manifest,
    refetch_hint,
    select_people,
    write_face_dataset,
    write_manifest,
)


@click.group()
def facescrub():
    """Fetch FaceScrub photos (SHA-256 verified) and crop the faces into datasets."""


@facescrub.command("fetch")
@click.option("--list", "lists", type=click.Path(exists=True, dir_okay=False, path_type=Path), multiple=True,
              required=True, help="FaceScrub list file (tab-separated, no header); repeat for several.")
@click.option("--person", "people", multiple=True, required=True,
              help="Person to fetch, as named in the lists; repeat. Their order gives the labels.")
@click.option("--faces-per-person", type=click.IntRange(min=1), default=90, help="Usable faces wanted per person.")
@click.option("--raw-dir", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="Folder for verified photos (images/<image_id>.<ext>) and the failure record.")
@click.option("--workers", type=click.IntRange(min=1), default=16, help="Parallel downloads.")
@click.option("--timeout", type=click.FloatRange(min=0, min_open=True), default=10.0,
              help="Seconds a request may wait for the server before it counts as a timeout.")
@click.option("--retries", type=click.IntRange(min=0), default=2, help="Retries after a timeout, a refused or dropped connection, 429 or 5xx.")
@click.option("--backoff", type=click.FloatRange(min=0), default=1.0, help="First retry delay in seconds; doubles each retry.")
@click.option("--image-mirror", default=None,
              help="URL prefix or folder serving each photo as <prefix>/<host>/<path> (a wget --mirror tree).")
@click.option("--retry-failed", is_flag=True, help="Ask the network again for photos that failed for good in an earlier run.")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), required=True, help="Manifest Parquet to write.")
def fetch_command(lists, people, faces_per_person, raw_dir, workers, timeout, retries, backoff, image_mirror,
                  retry_failed, out):
    """Fetch photos until each person has enough usable faces; write the manifest of every face."""
    parts = []
    for path in lists:
        faces, problems = read_face_list(path)
        for problem in problems:
            click.echo(problem, err=True)
        parts.append(faces)
    try:
        chosen = select_people(pd.concat(parts, ignore_index=True), list(people))
    except ValueError as err:
        raise click.ClickException(f"{', '.join(map(str, lists))}: {err}; fix the 'people' setting") from err
    settings = FetchSettings(workers, timeout, retries, backoff, image_mirror, retry_failed)
    manifest = fetch_faces(chosen, faces_per_person, raw_dir, settings)
    write_manifest(manifest, out)
    kept = manifest[manifest["status"] == "kept"].groupby("name").size().reindex(people, fill_value=0)
    reasons = (manifest.loc[manifest["status"] == "skipped", "reason"]
               .str.replace(r"^bbox .*", "bbox outside the image", regex=True)
               .str.split(" (", regex=False).str[0])
    click.echo(f"{out}: kept {kept.to_dict()}; skipped {reasons.value_counts().to_dict()}")
    short = kept[kept < faces_per_person]
    if not short.empty:
        hint = refetch_hint(manifest)
        click.echo(f"warning: fewer than {faces_per_person} usable faces for {short.to_dict()}"
                   + (f"; {hint}" if hint else ""), err=True)


@facescrub.command("prepare")
@click.option("--manifest", type=click.Path(exists=True, dir_okay=False, path_type=Path), required=True,
              help="Manifest written by 'dlrepro facescrub fetch'.")
@click.option("--raw-dir", type=click.Path(exists=True, file_okay=False, path_type=Path), required=True,
              help="The fetch's --raw-dir.")
@click.option("--size", type=click.IntRange(min=1), required=True, help="Side of the square face images, in pixels.")
@click.option("--channels", type=click.Choice(["1", "3"]), default="1", help="1 = grayscale, 3 = RGB.")
@click.option("--train-per-person", type=click.IntRange(min=1), default=70,
              help="Training faces per person; the rest is halved into val and test.")
@click.option("--seed", type=int, default=0, help="Seed of the per-person split.")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), required=True, help="Dataset folder to write.")
def prepare_command(manifest, raw_dir, size, channels, train_per_person, seed, out):
    """Crop the kept faces, resize them and write images.npy + index.parquet."""
    table = read_face_manifest(manifest)
    try:
        faces = write_face_dataset(table, raw_dir, out, size, int(channels), train_per_person, seed)
    except (ValueError, OSError) as err:
        raise click.ClickException(f"{manifest}: {err}") from err
    click.echo(f"{out}: {len(faces)} faces, {faces['split'].value_counts().to_dict()}")
