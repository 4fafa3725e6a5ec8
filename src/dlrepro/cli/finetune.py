"""``dlrepro finetune``: S1 last-layer training or full fine-tuning of an ImageNet CNN."""

from __future__ import annotations

from pathlib import Path

import click

from dlrepro.io import write_json
from dlrepro.train.optim import OPTIMIZERS


@click.command()
@click.option("--dataset-dir", type=click.Path(exists=True, file_okay=False, path_type=Path), required=True,
              help="Normalised dataset folder (images.npy + index.parquet).")
@click.option("--arch", type=click.Choice(["resnet18", "vgg19", "alexnet"]), default="resnet18", help="Network.")
@click.option("--weights", default="imagenet", help="imagenet | random | path to a state_dict file.")
@click.option("--mode", type=click.Choice(["last_layer", "full"]), required=True,
              help="Train only the new head, or every weight.")
@click.option("--image-size", type=click.IntRange(min=8), default=224, help="Images are resized to this square size.")
@click.option("--epochs", type=click.IntRange(min=1), default=5, help="Maximum epochs.")
@click.option("--batch-size", type=click.IntRange(min=1), default=64, help="Minibatch size.")
@click.option("--optimizer", type=click.Choice(OPTIMIZERS), default="sgd", help="Optimizer.")
@click.option("--lr", type=float, default=0.01, help="Learning rate (cosine-annealed over the epochs).")
@click.option("--momentum", type=float, default=0.9, help="SGD momentum.")
@click.option("--weight-decay", type=float, default=0.0, help="L2 weight decay.")
@click.option("--patience", type=click.IntRange(min=1), default=None,
              help="Stop after this many epochs without a lower validation loss (off when unset).")
@click.option("--val-fraction", type=click.FloatRange(0, 1, min_open=True, max_open=True), default=0.1,
              help="Share of train carved out (seeded) as validation when the dataset has no val split.")
@click.option("--seed", type=int, default=0, help="Seed for the head, the validation split and shuffling.")
@click.option("--metrics", type=click.Path(dir_okay=False, path_type=Path), required=True, help="metrics.json to write.")
@click.option("--curves", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="Per-epoch metrics Parquet to write.")
@click.option("--figure", type=click.Path(dir_okay=False, path_type=Path), required=True, help="Curves PNG to write.")
def finetune(dataset_dir, arch, weights, mode, image_size, epochs, batch_size, optimizer, lr, momentum, weight_decay,
             patience, val_fraction, seed, metrics, curves, figure):
    """Replace the ImageNet head by one for the dataset's classes, train it, evaluate on test.

    A checkpoint next to METRICS lets a killed run resume where it stopped; it is keyed by the
    settings, the dataset's content and dlrepro's code, and removed once the run succeeds.
    """
    from dlrepro.plots.curves import plot_curves
    from dlrepro.train.engine import TrainConfig
    from dlrepro.train.finetune import finetune as run_finetune

    config = TrainConfig(epochs=epochs, batch_size=batch_size, optimizer=optimizer, lr=lr, momentum=momentum,
                         weight_decay=weight_decay, schedule="cosine", patience=patience, seed=seed)
    try:
        result = run_finetune(dataset_dir, arch, weights, mode, image_size, config, curves, metrics.parent,
                              val_fraction)
    except (FileNotFoundError, ValueError) as err:
        raise click.ClickException(f"--weights {weights}: {err}") from err
    write_json(result, metrics)
    plot_curves(curves, figure, title=f"{arch} {mode.replace('_', '-')} fine-tuning on {dataset_dir.name}",
                loss_label="cross-entropy loss")
    click.echo(f"{metrics}: test accuracy {result['accuracy']:.4f} after {result['epochs']} epochs")
