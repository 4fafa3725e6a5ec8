"""``dlrepro faces``: S3, face recognition by MLPs on pixels and by transfer learning from AlexNet."""

from __future__ import annotations

from pathlib import Path

import click

from dlrepro.cli.errors import one_line_errors
from dlrepro.cli.settings import settings_entry, settings_option
from dlrepro.io import write_json

DATASET = click.Path(exists=True, file_okay=False, path_type=Path)
EXISTING_FILE = click.Path(exists=True, dir_okay=False, path_type=Path)
OUT_DIR = click.Path(file_okay=False, path_type=Path)
NEW_FILE = click.Path(dir_okay=False, path_type=Path)


@click.group()
def faces():
    """S3: MLPs on 28x28 faces, AlexNet conv4 features + FC, fine-tuned AlexNet, saliency."""


@faces.command("mlp")
@click.option("--dataset", type=DATASET, required=True, help="Dataset folder of grayscale faces (s3.pixel_dataset).")
@click.option("--name", required=True, help="Entry of s3.mlps to train.")
@settings_option("s3", "The study's settings: mlps and train")
@click.option("--seed", type=int, default=0, help="Seed of the initialisation and the batches.")
@click.option("--out", type=OUT_DIR, required=True, help="Run folder: metrics.parquet, model.pt and fit.json.")
def mlp_command(dataset, name, settings, seed, out):
    """Train one one-hidden-layer network on the faces' pixels; write its curves, weights and summary."""
    from dlrepro.train.engine import train_config
    from dlrepro.train.faces import fit_pixel_mlp

    entry = settings_entry(settings["mlps"], "s3.mlps", name)
    config = train_config(settings["train"], seed=seed, weight_decay=entry["weight_decay"])
    with one_line_errors():
        summary = fit_pixel_mlp(dataset, entry["hidden"], config, out)
    write_json({"name": name, **summary}, out / "fit.json")
    click.echo(f"{out}: {name} test accuracy {summary['test_accuracy']:.4f}")


@faces.command("conv4-fit")
@click.option("--features", type=EXISTING_FILE, required=True,
              help="Feature table of AlexNet conv4 activations (`dlrepro features extract`).")
@click.option("--dataset", type=DATASET, required=True, help="The dataset the features come from (its people).")
@settings_option("s3", "The study's settings: conv4 and train")
@click.option("--seed", type=int, default=0, help="Seed of the initialisation and the batches.")
@click.option("--out", type=OUT_DIR, required=True, help="Run folder: metrics.parquet, model.pt and fit.json.")
def conv4_command(features, dataset, settings, seed, out):
    """Train a fully connected classifier on frozen conv4 activations."""
    from dlrepro.data.dataset import load_dataset
    from dlrepro.train.engine import train_config
    from dlrepro.train.faces import fit_feature_classifier

    classes = load_dataset(dataset).classes
    with one_line_errors():
        summary = fit_feature_classifier(features, classes, settings["conv4"]["hidden"],
                                         train_config(settings["train"], seed=seed), out)
    write_json(summary, out / "fit.json")
    click.echo(f"{out}: conv4 + FC test accuracy {summary['test_accuracy']:.4f}")


@faces.command("finetune")
@click.option("--dataset", type=DATASET, required=True, help="Dataset folder of RGB faces (s3.image_dataset).")
@click.option("--mode", type=click.Choice(["last_layer", "full"]), required=True,
              help="Train only the new head, or every weight.")
@settings_option("s3", "The study's settings: alexnet and finetune")
@click.option("--seed", type=int, default=0, help="Seed of the new head and the batches.")
@click.option("--out", type=OUT_DIR, required=True, help="Run folder: metrics.parquet, model.pt and fit.json.")
def finetune_command(dataset, mode, settings, seed, out):
    """Fine-tune AlexNet with a new head for the dataset's people; a killed run resumes."""
    from dlrepro.train.engine import train_config
    from dlrepro.train.faces import fine_tune_alexnet

    config = train_config(settings["finetune"], seed=seed, schedule="cosine")
    with one_line_errors():
        summary = fine_tune_alexnet(dataset, settings["alexnet"]["weights"], mode, settings["alexnet"]["image_size"],
                                    config, out)
    write_json(summary, out / "fit.json")
    click.echo(f"{out}: AlexNet {mode} test accuracy {summary['test_accuracy']:.4f}")


@faces.command("explain")
@click.option("--dataset", type=DATASET, required=True, help="Dataset folder of RGB faces with a test split.")
@click.option("--model", "model_path", type=EXISTING_FILE, required=True,
              help="model.pt of `dlrepro faces finetune` on that dataset.")
@settings_option("s3", "The study's settings: alexnet (image_size)")
@click.option("--predictions", type=NEW_FILE, required=True, help="PNG of predictions on example test faces.")
@click.option("--saliency", type=NEW_FILE, required=True, help="PNG of guided-backprop saliency, one face per person.")
def explain_command(dataset, model_path, settings, predictions, saliency):
    """Predictions on example test faces and guided-backprop saliency of the fine-tuned AlexNet."""
    from dlrepro.report.faces import explain_faces

    shown = explain_faces(dataset, model_path, settings["alexnet"]["image_size"], predictions, saliency)
    click.echo(f"{predictions}: {shown['wrong_shown']} of {shown['shown']} example faces wrong; {saliency} written")


@faces.command("summarise")
@click.option("--mlp", "mlp_fits", multiple=True, required=True, type=EXISTING_FILE,
              help="fit.json of `dlrepro faces mlp` (repeat).")
@click.option("--transfer", "transfer_fits", multiple=True, type=EXISTING_FILE,
              help="fit.json of `dlrepro faces conv4-fit` or `finetune` (repeat).")
@click.option("--predictions", type=EXISTING_FILE, default=None, help="Predictions PNG of `dlrepro faces explain`.")
@click.option("--saliency", type=EXISTING_FILE, default=None, help="Saliency PNG of `dlrepro faces explain`.")
@click.option("--source", required=True,
              help="Where the faces come from, for the captions: faces (the STAND-IN), facescrub, or another source.")
@settings_option("s3", "The study's settings: hidden_units (the two MLP runs, without and with L2, whose hidden "
                 "units are drawn) and alexnet (its weights, for the captions)")
@click.option("--figures", type=OUT_DIR, default=Path("results/figures/s3"), help="Folder for the PNG figures.")
@click.option("--out-dir", type=OUT_DIR, default=Path("results/s3"), help="Folder for accuracy.csv and section.json.")
def summarise_command(mlp_fits, transfer_fits, predictions, saliency, source, settings, figures, out_dir):
    """Learning curves, hidden-unit images, the accuracy table and the report section."""
    from dlrepro.report.faces import summarise_faces

    with one_line_errors(KeyError, ValueError, message="cannot summarise: {}"):
        section = summarise_faces(list(mlp_fits), list(transfer_fits), settings["hidden_units"], predictions, saliency,
                                  source, settings["alexnet"]["weights"], figures, out_dir)
    click.echo(f"{out_dir / 'section.json'}: {len(section['figures'])} figures, {len(section['tables'])} tables")
