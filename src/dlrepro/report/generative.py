"""S8 summary: every model's samples scored next to the real test images (the metric table), sample
grids over training, linear and spherical latent interpolations, the report section."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import torch

from dlrepro.io import InputError, read_json, write_csv, write_json
from dlrepro.metrics.generative import (
    InceptionV3, diversity_score, frechet_distance, inception_score, pairwise_ms_ssim,
)
from dlrepro.models.generative import lerp, slerp
from dlrepro.plots.generative import plot_interpolations, plot_training_grids
from dlrepro.report.captions import (
    S8_REFERENCE, s8_data, s8_grids_caption, s8_interpolations_caption, s8_metrics_caption,
)
from dlrepro.train.generative import SNAPSHOTS_FILE, load_classifier, load_generator, load_images, to_uint8, unit_images

METRICS = ("inception_score", "inception_score_std", "diversity", "ms_ssim", "fid", "inception_v3_is",
           "inception_v3_fid")


def read_runs(run_files: list[str | Path]) -> list[dict]:
    """Run summaries (run.json) with their folder added, in the order given."""
    return [read_json(path) | {"folder": str(Path(path).parent)} for path in run_files]


@torch.no_grad()
def sample(model, count: int, seed: int) -> torch.Tensor:
    """``count`` images in [0, 1] from the model's prior (seeded)."""
    codes = torch.randn(count, model.latent, generator=torch.Generator().manual_seed(seed))
    return model.generate(codes)


def quality(classifier, images: torch.Tensor, reference: torch.Tensor, frequencies: np.ndarray,
            metrics: dict, seed: int, inception: InceptionV3 | None = None) -> dict[str, float]:
    """The metric table's scores of one set of images in [0, 1] (with Inception-v3's when given)."""
    score, spread = inception_score(classifier, images, metrics["splits"], seed)
    scores = {"inception_score": score, "inception_score_std": spread,
              "diversity": diversity_score(classifier, images, frequencies),
              "ms_ssim": pairwise_ms_ssim(images, metrics["ms_ssim_pairs"], metrics["ms_ssim_sigma"],
                                          metrics["ms_ssim_scales"], seed),
              "fid": frechet_distance(classifier, reference, images)}
    if inception is not None:
        scores |= {"inception_v3_is": inception_score(inception, images, metrics["splits"], seed)[0],
                   "inception_v3_fid": frechet_distance(inception, reference, images)}
    return scores


def score_dataset(classifier_run: dict, runs: list[dict], settings: dict, seed: int) -> list[dict]:
    """Rows of the metric table for one dataset: its real test images, then each model's samples."""
    classifier = load_classifier(classifier_run["folder"], classifier_run, settings)
    data, _ = load_images(classifier_run["dataset_dir"], settings["size"])
    count = min(settings["samples"], len(data["test"][1]))
    generator = torch.Generator().manual_seed(seed)
    reference = unit_images(data["train"])[torch.randperm(len(data["train"][1]), generator=generator)[:count]]
    real = unit_images(data["test"])[torch.randperm(len(data["test"][1]), generator=generator)[:count]]
    frequencies = np.asarray(classifier_run["class_frequencies"], dtype=float)
    frequencies /= frequencies.sum()
    metrics = settings["metrics"]
    inception = None if settings["inception_weights"] is None else InceptionV3(settings["inception_weights"])
    name = classifier_run["dataset"]
    rows = [{"dataset": name, "model": "real data", "samples": count,
             **quality(classifier, real, reference, frequencies, metrics, seed, inception),
             "test_nelbo": None, "epochs": None, "seconds": None}]
    for run in runs:
        model = load_generator(run["folder"], run, settings)
        rows.append({"dataset": name, "model": run["model"], "samples": count,
                     **quality(classifier, sample(model, count, seed + 1), reference, frequencies, metrics, seed,
                               inception),
                     "test_nelbo": run["test_nelbo"], "epochs": run["epochs"], "seconds": round(run["seconds"], 1)})
    return rows


@torch.no_grad()
def interpolations(runs: list[dict], settings: dict, seed: int) -> dict[str, np.ndarray]:
    """"<model> linear" and "<model> spherical" -> images along the path between two seeded codes."""
    paths = {}
    steps = torch.linspace(0, 1, settings["interpolation_steps"])
    for run in runs:
        model = load_generator(run["folder"], run, settings)
        codes = torch.randn(2, model.latent, generator=torch.Generator().manual_seed(seed + 2))
        for label, path in (("linear", lerp), ("spherical", slerp)):
            paths[f"{run['model']} {label}"] = to_uint8(model.generate(path(codes[0], codes[1], steps)))
    return paths


def summarise_study(run_files: list[str | Path], settings: dict, figures_dir: str | Path, out_dir: str | Path,
                    seed: int = 0) -> dict:
    """Write metrics.csv, the figures and ``section.json`` from the classifiers' and models' run.json
    files (each names its dataset); returns the section."""
    figures_dir, out_dir = Path(figures_dir), Path(out_dir)
    runs = read_runs(run_files)
    classifiers = {run["dataset"]: run for run in runs if run.get("role") == "classifier"}
    models = [run for run in runs if run.get("role") == "model"]
    if not models:
        raise ValueError("no model run.json files given: nothing to summarise")
    rows, figures = [], []
    size = settings["size"] or "/".join(sorted({str(run["side"]) for run in models}))
    data = s8_data(list(dict.fromkeys(run["dataset"] for run in models)), str(size))
    for dataset in dict.fromkeys(run["dataset"] for run in models):
        if dataset not in classifiers:
            raise InputError(f"no classifier run.json for dataset {dataset}; give `dlrepro generative classifier`'s")
        own = [run for run in models if run["dataset"] == dataset]
        rows += score_dataset(classifiers[dataset], own, settings, seed)
        snapshots = {}
        for run in own:
            with np.load(Path(run["folder"]) / SNAPSHOTS_FILE) as saved:
                snapshots[run["model"]] = (saved["epochs"], saved["images"])
        grids_png, paths_png = figures_dir / f"grids_{dataset}.png", figures_dir / f"interpolations_{dataset}.png"
        plot_training_grids(snapshots, settings["grid_epochs"], f"S8 samples over training, {dataset}", grids_png)
        plot_interpolations(interpolations(own, settings, seed), f"S8 latent interpolations, {dataset}", paths_png)
        figures += [{"path": str(grids_png), "caption": f"{dataset}. " + s8_grids_caption(data)},
                    {"path": str(paths_png), "caption": f"{dataset}. " + s8_interpolations_caption(data)}]
    table = pd.DataFrame(rows).round({name: 3 for name in (*METRICS, "test_nelbo")})
    write_csv(table, out_dir / "metrics.csv")
    train, gan, vae = settings["train"], settings["gan"], settings["vae"]
    section = {
        "title": "S8. Generative models",
        "intro": (
            f"A convolutional VAE (latent {vae['latent']}, Bernoulli decoder, trained on the ELBO) and one "
            f"DCGAN-style generator and critic (latent {gan['latent']}, width {gan['width']}) trained with three "
            "objectives: the original minimax, the non-saturating -log D trick, and WGAN-GP (gradient penalty "
            f"{settings['wgan_gp']['penalty']}, {settings['wgan_gp']['n_critic']} critic steps per generator step), "
            f"on {data}. Adam: VAE lr {train['vae']['lr']}, {train['vae']['epochs']} epochs; GAN lr {train['gan']['lr']}, "
            f"betas {train['gan']['betas']}, {train['gan']['epochs']} epochs; WGAN-GP lr {train['wgan_gp']['lr']}, "
            f"betas {train['wgan_gp']['betas']}, {train['wgan_gp']['epochs']} epochs. Samples are scored by "
            "torchmetrics (InceptionScore, FrechetInceptionDistance with a custom feature extractor, multi-scale "
            "SSIM) on a small CNN the pipeline trains on the same dataset. Published CIFAR-10 numbers use "
            "ImageNet's Inception-v3 on 50,000 samples: real data scores IS 11.24, WGAN-GP 7.86, because Inception "
            "spreads CIFAR images over many of its 1,000 classes. Our classifier knows only the dataset's own "
            "classes, so its Inception Score is at most the class count (10), which the real test images "
            "approach as far as the classifier is confident and the classes balanced; FID uses its few penultimate features and a few hundred to thousands of samples, so "
            f"it is not on the published scale either: compare models with the real-data row. {S8_REFERENCE}"
        ),
        "figures": figures,
        "tables": [{"path": str(out_dir / "metrics.csv"), "caption": s8_metrics_caption(data)}],
    }
    write_json(section, out_dir / "section.json")
    return section
