"""``dlrepro facescrub``: fetch the listed photos of chosen people, crop their faces into datasets."""

from __future__ import annotations

from pathlib import Path

import click
import pandas as pd

from dlrepro.cli.errors import one_line_errors
from dlrepro.cli.settings import settings_entry, settings_option
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
@settings_option("facescrub", "Who and how: people, faces_per_person, workers, timeout, retries, backoff, "
                 "image_mirror, retry_failed")
@click.option("--raw-dir", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="Folder for verified photos (images/<image_id>.<ext>) and the failure record.")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), required=True, help="Manifest Parquet to write.")
def fetch_command(lists, settings, raw_dir, out):
    """Fetch photos until each person has enough usable faces; write the manifest of every face."""
    parts = []
    for path in lists:
        faces, problems = read_face_list(path)
        for problem in problems:
            click.echo(problem, err=True)
        parts.append(faces)
    people, faces_per_person = settings["people"], settings["faces_per_person"]
    with one_line_errors(message=f"{', '.join(map(str, lists))}: {{}}; fix facescrub.people"):
        chosen = select_people(pd.concat(parts, ignore_index=True), people)
    fetching = FetchSettings(settings["workers"], settings["timeout"], settings["retries"], settings["backoff"],
                             settings["image_mirror"], settings["retry_failed"])
    manifest = fetch_faces(chosen, faces_per_person, raw_dir, fetching)
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
@click.option("--dataset", "name", required=True, help="Entry of facescrub.datasets to write.")
@settings_option("facescrub", "The datasets (size, channels) and train_per_person")
@click.option("--seed", type=int, default=0, help="Seed of the per-person split.")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), required=True, help="Dataset folder to write.")
def prepare_command(manifest, raw_dir, name, settings, seed, out):
    """Crop the kept faces, resize them and write images.npy + index.parquet."""
    dataset = settings_entry(settings["datasets"], "facescrub.datasets", name)
    table = read_face_manifest(manifest)
    with one_line_errors(ValueError, OSError, message=f"{manifest}: {{}}"):
        faces = write_face_dataset(table, raw_dir, out, dataset["size"], dataset["channels"],
                                   settings["train_per_person"], seed)
    click.echo(f"{out}: {len(faces)} faces, {faces['split'].value_counts().to_dict()}")
