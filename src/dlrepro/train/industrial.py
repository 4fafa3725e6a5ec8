"""S14's product images: a fine-tuned CNN good/bad classifier, its Grad-CAM maps, and two outlier
scores fitted on good training images only (no defect label is used by them).

The classifier is S1's fine-tuning (``train.finetune.finetune``) on the image-folder dataset; its
score of an image is the softmax probability of the defect class. The outlier scores are the mean
distance to the ``k`` nearest good training images in the feature space of the untrained-on-labels
backbone (``load_cnn(arch, weights)``, its global-pooled features), and the reconstruction error
of a PCA of the good training images' pixels.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import torch
from torch import nn

from dlrepro.data.dataset import load_dataset
from dlrepro.device import resolve_device
from dlrepro.io import InputError, atomic_output
from dlrepro.models.gradcam import grad_cam
from dlrepro.models.torchvision_nets import load_cnn, unit_float
from dlrepro.train.engine import TrainConfig
from dlrepro.train.finetune import finetune, imagenet_transform


def defect_index(classes: list[str], positive: str, dataset: str | Path) -> int:
    if len(classes) != 2 or positive not in classes:
        raise InputError(f"{dataset}: classes {classes}; S14 needs two classes, one of them "
                         f"{positive!r} (s14.images.positive_class)")
    return classes.index(positive)


@torch.no_grad()
def network_outputs(model: nn.Module, images: np.ndarray, transform, batch_size: int = 256) -> np.ndarray:
    """``model``'s outputs for uint8 N x H x W x C images, in batches on the model's device."""
    model.eval()
    device = next(model.parameters()).device
    chunks = [model(transform(torch.from_numpy(np.ascontiguousarray(images[start:start + batch_size])).to(device)))
              for start in range(0, len(images), batch_size)]
    return torch.cat(chunks).float().cpu().numpy()


def knn_scores(reference: np.ndarray, queries: np.ndarray, k: int) -> np.ndarray:
    """Mean Euclidean distance of each query to its ``k`` nearest reference rows."""
    from sklearn.neighbors import NearestNeighbors

    distances, _ = NearestNeighbors(n_neighbors=min(k, len(reference))).fit(reference).kneighbors(queries)
    return distances.mean(axis=1)


def pca_scores(reference: np.ndarray, queries: np.ndarray, components: int, seed: int) -> np.ndarray:
    """Squared reconstruction error of each query by a PCA of the reference rows."""
    from sklearn.decomposition import PCA

    pca = PCA(n_components=min(components, len(reference) - 1), random_state=seed).fit(reference)
    rebuilt = pca.inverse_transform(pca.transform(queries))
    return ((queries - rebuilt) ** 2).mean(axis=1)


def outlier_scores(settings: dict[str, Any], train_good: np.ndarray, test: np.ndarray, seed: int,
                   device: torch.device) -> dict[str, np.ndarray]:
    """Both outlier scores of the test images, fitted on the good training images."""
    backbone = load_cnn(settings["arch"], settings["weights"], seed).to(device)
    if settings["arch"] == "resnet18":
        backbone.fc = nn.Identity()
    else:
        backbone.classifier[-1] = nn.Identity()
    transform = imagenet_transform(settings["image_size"])
    features = [network_outputs(backbone, images, transform) for images in (train_good, test)]
    pixels = [unit_float(torch.from_numpy(np.ascontiguousarray(images)), settings["image_size"]).flatten(1).numpy()
              for images in (train_good, test)]
    outlier = settings["outlier"]
    return {"knn": knn_scores(*features, outlier["k"]), "pca": pca_scores(*pixels, outlier["components"], seed)}


def gradcam_examples(model: nn.Module, settings: dict[str, Any], images: np.ndarray, labels: np.ndarray,
                     scores: np.ndarray, positive: int) -> dict[str, np.ndarray]:
    """Grad-CAM maps of the defect score over the first ``examples`` test images of each class."""
    count = settings["gradcam"]["examples"]
    rows = np.concatenate([np.flatnonzero(labels == label)[:count] for label in (1 - positive, positive)])
    device = next(model.parameters()).device
    inputs = imagenet_transform(settings["image_size"])(torch.from_numpy(np.ascontiguousarray(images[rows])).to(device))
    maps = grad_cam(model, settings["gradcam"]["layer"], inputs, torch.full((len(rows),), positive, device=device),
                    images.shape[1:3])
    return {"images": np.asarray(images[rows]), "maps": maps.cpu().numpy().astype(np.float32), "labels": labels[rows],
            "scores": scores[rows].astype(np.float32)}


def run_images(dataset_dir: str | Path, settings: dict[str, Any], seed: int, out_dir: str | Path) -> dict[str, Any]:
    """Classifier, Grad-CAM and outlier scores; writes ``scores.parquet`` (id, label, defect, classifier,
    knn, pca per test image), ``gradcam.npz``, ``curves.parquet`` and ``model.pt``; returns the run record."""
    out_dir = Path(out_dir)
    dataset = load_dataset(dataset_dir)
    positive = defect_index(dataset.classes, settings["positive_class"], dataset_dir)
    config = TrainConfig(**settings["train"], seed=seed, progress=False)
    metrics = finetune(dataset_dir, settings["arch"], settings["weights"], settings["mode"], settings["image_size"],
                       config, out_dir / "curves.parquet", out_dir, settings["val_fraction"], out_dir / "model.pt")
    device = resolve_device(config.device)
    model = load_cnn(settings["arch"], str(out_dir / "model.pt")).to(device)
    images, index = dataset.split("test")
    labels = index["label"].to_numpy()
    logits = torch.from_numpy(network_outputs(model, images, imagenet_transform(settings["image_size"])))
    classifier = torch.softmax(logits, dim=1)[:, positive].numpy()
    train_images, train_index = dataset.split("train")
    good = np.flatnonzero(train_index["label"].to_numpy() != positive)
    outliers = outlier_scores(settings, train_images[good], images, seed, device)
    table = pd.DataFrame({"id": index["id"], "label": labels, "defect": labels == positive,
                          "classifier": classifier, **outliers})
    with atomic_output(out_dir / "scores.parquet") as tmp:
        table.to_parquet(tmp, index=False)
    with atomic_output(out_dir / "gradcam.npz") as tmp, open(tmp, "wb") as handle:
        np.savez(handle, **gradcam_examples(model, settings, images, labels, classifier, positive))
    return {"dataset": Path(dataset_dir).name, "classes": dataset.classes, "positive_class": settings["positive_class"],
            "confusion_matrix": metrics["confusion_matrix"], "accuracy": metrics["accuracy"],
            "n_train": metrics["n_train"], "n_test": metrics["n_test"], "n_train_good": len(good),
            "epochs": metrics["epochs"], "fit_time_s": metrics["fit_time_s"]}
