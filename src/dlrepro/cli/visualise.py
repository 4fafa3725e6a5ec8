"""``dlrepro visualise``: S9, Sketch-a-Net on stroke-ordered sketches, and deep dreams."""

from __future__ import annotations

from pathlib import Path

import click

from dlrepro.cli.errors import one_line_errors
from dlrepro.cli.settings import settings_option

NEW_FILE = click.Path(dir_okay=False, path_type=Path)
FOLDER = click.Path(file_okay=False, path_type=Path)
EXISTING_DIR = click.Path(exists=True, file_okay=False, path_type=Path)
EXISTING_FILE = click.Path(exists=True, dir_okay=False, path_type=Path)


@click.group()
def visualise():
    """S9: Sketch-a-Net with stroke-order channels and scale fusion; deep, class and guided dreams."""


@visualise.command("sketches")
@settings_option("s9.sketches", "The TU-Berlin folder (or the stand-in doodles), classes, size and split")
@click.option("--manifest", type=NEW_FILE, default=None,
              help="SHA-256 manifest of the sketch folder: written on first use, checked after.")
@click.option("--seed", type=int, default=0, help="Seed of the doodles and of the train/test split.")
@click.option("--out", type=NEW_FILE, required=True, help="The sketch set (.npz): part images, labels, split.")
def sketches_command(settings, manifest, seed, out):
    """Rasterise the sketches by stroke order: three chronological part images per sketch."""
    from dlrepro.train.sketches import sketch_set

    with one_line_errors(message="{}; fix s9.sketches"):
        sketches = sketch_set(settings, seed, manifest)
    sketches.save(out)
    click.echo(f"{out}: {len(sketches.labels)} sketches of {len(sketches.classes)} classes ({sketches.source})")


@visualise.command("sketch-a-net")
@click.option("--sketches", type=EXISTING_FILE, required=True, help="Sketch set of `visualise sketches`.")
@settings_option("s9.sketch_a_net", "The network's shape, blur scales and training")
@click.option("--seed", type=int, default=0, help="Seed of the initialisations and the batches.")
@click.option("--out", type=FOLDER, required=True, help="Folder for runs.csv, predictions.npz, run.json and a "
                                                        "folder per network (model.pt, metrics.parquet).")
def sketch_a_net_command(sketches, settings, seed, out):
    """Train the full-sketch, stroke-order and blurred networks; fuse the scales; top-1 and top-5."""
    from dlrepro.train.sketches import train_sketch_networks

    with one_line_errors(message="{}; fix s9.sketch_a_net"):
        table = train_sketch_networks(sketches, settings, seed, out)
    for row in table.itertuples():
        click.echo(f"{row.network}: top-1 {row.top1:.3f}, top-5 {row.top5:.3f}")


@visualise.command("dream")
@settings_option("s9.dream", "Network, photo, layers, step sizes, steps, octaves, tiles, class and guided dreams")
@click.option("--sketch-run", type=EXISTING_DIR, default=None,
              help="Output folder of `visualise sketch-a-net` (the sketch network's dreams).")
@click.option("--sketches", type=EXISTING_FILE, default=None, help="Its sketch set (the default guide).")
@click.option("--seed", type=int, default=0, help="Seed of the noise and the jitter (and of random weights).")
@click.option("--out", type=FOLDER, required=True, help="Folder for dreams.pt and dream.json.")
def dream_command(settings, sketch_run, sketches, seed, out):
    """Dream on a photo (layers x step sizes, octaves, guided) and from noise (class dreams)."""
    from dlrepro.visualise.study import dream_study

    with one_line_errors(message="{}; fix s9.dream"):
        record = dream_study(settings, seed, out, sketch_run, sketches)
    for label, values in record["curves"].items():
        click.echo(f"{label}: L2 norm {values[0]:.3g} -> {values[-1]:.3g}")


@visualise.command("summarise")
@click.option("--sketch-run", type=EXISTING_DIR, default=None, help="Output folder of `visualise sketch-a-net`.")
@click.option("--sketches", type=EXISTING_FILE, default=None, help="Its sketch set (the example figure).")
@click.option("--dreams", type=EXISTING_DIR, default=None, help="Output folder of `visualise dream`.")
@click.option("--figures", type=FOLDER, default=Path("results/figures/s9"), help="Folder for the PNG figures.")
@click.option("--out-dir", type=FOLDER, default=Path("results/s9"), help="Folder for the table and section.json.")
def summarise_command(sketch_run, sketches, dreams, figures, out_dir):
    """The accuracy table, confusion and dream figures, and the report section of the parts given."""
    from dlrepro.report.visualise import summarise_study

    with one_line_errors(KeyError, ValueError,
                         message="cannot summarise: {}; are the inputs outputs of `dlrepro visualise`?"):
        section = summarise_study(sketch_run, sketches, dreams, figures, out_dir)
    click.echo(f"{out_dir / 'section.json'}: {len(section['figures'])} figures")
