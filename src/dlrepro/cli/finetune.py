"""``dlrepro finetune``: S1 last-layer training or full fine-tuning of an ImageNet CNN."""

from __future__ import annotations

from pathlib import Path

import click

from dlrepro.cli.errors import one_line_errors
from dlrepro.cli.settings import settings_option
from dlrepro.io import write_json


@click.command()
@click.option("--dataset-dir", type=click.Path(exists=True, file_okay=False, path_type=Path), required=True,
              help="Normalised dataset folder (images.npy + index.parquet).")
@click.option("--mode", type=click.Choice(["last_layer", "full"]), required=True,
              help="Train only the new head, or every weight.")
@settings_option("s1.finetune", "Network and training: arch, weights, image_size, epochs, optimisation, patience")
@click.option("--val-fraction", type=click.FloatRange(0, 1, min_open=True, max_open=True), default=0.1,
              help="Share of train carved out (seeded) as validation when the dataset has no val split.")
@click.option("--seed", type=int, default=0, help="Seed for the head, the validation split and shuffling.")
@click.option("--metrics", type=click.Path(dir_okay=False, path_type=Path), required=True, help="metrics.json to write.")
@click.option("--curves", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="Per-epoch metrics Parquet to write.")
@click.option("--figure", type=click.Path(dir_okay=False, path_type=Path), required=True, help="Curves PNG to write.")
def finetune(dataset_dir, mode, settings, val_fraction, seed, metrics, curves, figure):
    """Replace the ImageNet head by one for the dataset's classes, train it, evaluate on test.

    A checkpoint next to METRICS lets a killed run resume where it stopped; it is keyed by the
    settings, the dataset's content and dlrepro's code, and removed once the run succeeds.
    """
    from dlrepro.plots.curves import plot_curves
    from dlrepro.train.engine import train_config
    from dlrepro.train.finetune import finetune as run_finetune

    arch, weights = settings["arch"], settings["weights"]
    config = train_config(settings, schedule="cosine", seed=seed)
    with one_line_errors():
        result = run_finetune(dataset_dir, arch, weights, mode, settings["image_size"], config, curves,
                              metrics.parent, val_fraction)
    write_json(result, metrics)
    plot_curves(curves, figure, title=f"{arch} {mode.replace('_', '-')} fine-tuning on {dataset_dir.name}",
                loss_label="cross-entropy loss")
    click.echo(f"{metrics}: test accuracy {result['accuracy']:.4f} after {result['epochs']} epochs")
