"""``dlrepro features``: turn a normalised dataset into a Parquet feature table."""

from __future__ import annotations

from pathlib import Path

import click
from click.core import ParameterSource

from dlrepro.features.settings import CNN_LAYERS, DEFAULT_LAYER, KINDS

LAYER_HELP = "; ".join(
    f"{arch}: {', '.join(layers)} (default {DEFAULT_LAYER[arch]})" for arch, layers in CNN_LAYERS.items()
)


@click.group()
def features():
    """Extract feature tables (pixels, scattering, torchvision CNN layers) from datasets."""


@features.command("extract")
@click.option("--dataset", type=click.Path(exists=True, file_okay=False, path_type=Path), required=True,
              help="Dataset folder (images.npy + index.parquet, as `dlrepro data prepare` writes it).")
@click.option("--kind", type=click.Choice(sorted(KINDS)), required=True, help="Extractor kind.")
@click.option("--arch", type=click.Choice(sorted(CNN_LAYERS)), default=KINDS["torchvision"]["arch"],
              help="[torchvision] Architecture.")
@click.option("--layer", default=None, help=f"[torchvision] Layer giving the features. {LAYER_HELP}.")
@click.option("--weights", default=KINDS["torchvision"]["weights"],
              help="[torchvision] imagenet (torchvision IMAGENET1K_V1; cached in $TORCH_HOME/hub/checkpoints, "
                   "put the file there when offline), random (seeded init) or a state_dict file.")
@click.option("--image-size", type=click.IntRange(min=1), default=None,
              help="[scattering, torchvision] Resize images to this square size "
                   "(default: scattering keeps the dataset's size, torchvision uses 224).")
@click.option("--J", "J", type=click.IntRange(min=1), default=KINDS["scattering"]["J"],
              help="[scattering] Number of scales; coefficients are averaged over 2^J pixels.")
@click.option("--L", "L", type=click.IntRange(min=1), default=KINDS["scattering"]["L"],
              help="[scattering] Number of orientations.")
@click.option("--max-order", type=click.IntRange(1, 2), default=KINDS["scattering"]["max_order"],
              help="[scattering] Highest scattering order kept.")
@click.option("--batch-size", type=click.IntRange(min=1), default=256, help="Images per batch (and per row group).")
@click.option("--device", type=click.Choice(["auto", "cpu", "cuda"]), default="auto",
              help="auto uses CUDA (with AMP) when available.")
@click.option("--threads", type=click.IntRange(min=1), default=None, help="CPU threads for torch (default: all cores).")
@click.option("--seed", type=int, default=0, help="Seed of random CNN weights.")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), required=True, help="Parquet file to write.")
def extract_command(dataset, kind, arch, layer, weights, image_size, J, L, max_order, batch_size, device, threads,
                    seed, out):
    """Write the features of every image of a dataset to a Parquet table (one row group per batch)."""
    from dlrepro.features.extract import extract_features

    ctx = click.get_current_context()
    given = {"arch": arch, "layer": layer, "weights": weights, "image_size": image_size, "J": J, "L": L,
             "max_order": max_order}
    misplaced = [name for name in given
                 if name not in KINDS[kind] and ctx.get_parameter_source(name) == ParameterSource.COMMANDLINE]
    if misplaced:
        flags = ", ".join(f"--{name.replace('_', '-')}" for name in misplaced)
        raise click.ClickException(f"{flags} does not apply to --kind {kind}; it takes {sorted(KINDS[kind]) or 'no settings'}")
    settings = {"kind": kind} | {name: value for name, value in given.items() if name in KINDS[kind]}
    try:
        rows = extract_features(dataset, settings, out, batch_size=batch_size, device=device, seed=seed,
                                threads=threads)
    except (ValueError, OSError) as err:
        raise click.ClickException(str(err)) from err
    click.echo(f"{out}: {rows} rows")
