"""S8, generative models: the scoring classifier and the VAE or GAN of one objective, each trained
by the shared engine on a dataset's training split (the GAN as two phases per batch: critic, then
generator), with samples of fixed latent codes saved after every epoch.
"""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import torch
from torch import nn

from dlrepro.data.dataset import load_dataset
from dlrepro.data.images import resize
from dlrepro.device import resolve_device
from dlrepro.io import InputError, atomic_output, write_json
from dlrepro.models.generative import GAN_PHASES, Classifier, build_model, negative_elbo, vae_objective
from dlrepro.models.mlp import count_parameters
from dlrepro.train.checkpoint import load_weights, save_weights
from dlrepro.train.engine import TrainConfig, as_dataset, batches, train

SNAPSHOTS_FILE = "snapshots.npz"


class Unit(nn.Module):
    """uint8 N x H x W x C batches -> float N x C x H x W in [0, 1]."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x.permute(0, 3, 1, 2).float() / 255.0


def load_images(dataset_dir: str | Path, size: int | None) -> tuple[dict[str, tuple[torch.Tensor, torch.Tensor]], list[str]]:
    """The train and test splits as uint8 N x H x W x C tensors (resized to ``size`` px) and labels."""
    dataset = load_dataset(dataset_dir)
    data = {}
    for name in ("train", "test"):
        images, index = dataset.split(name)
        if len(index) == 0:
            raise InputError(f"{dataset_dir}: no {name} images; S8 needs a dataset with train and test splits")
        images = np.array(images)  # a writable copy of the memory map
        if size is not None and images.shape[1:3] != (size, size):
            images = np.stack([np.round(255 * resize(image / 255.0, size, size)) for image in images]).astype(np.uint8)
        data[name] = (torch.from_numpy(np.ascontiguousarray(images)), torch.from_numpy(index["label"].to_numpy(dtype=np.int64, copy=True)))
    return data, dataset.classes


def image_shape(data: dict) -> tuple[int, int]:
    """(channels, side) of square images; GANs here make square images only."""
    _, height, width, channels = data["train"][0].shape
    if height != width:
        raise InputError(f"S8 needs square images; got {height} x {width}: set s8.size")
    return channels, height


def unit_images(split: tuple[torch.Tensor, torch.Tensor], limit: int | None = None) -> torch.Tensor:
    images = split[0] if limit is None else split[0][:limit]
    return Unit()(images)


def build_classifier(channels: int, side: int, n_classes: int, settings: dict) -> Classifier:
    classifier = settings["classifier"]
    return Classifier(channels, side, n_classes, classifier["width"], classifier["hidden"])


def train_classifier(dataset_dir: str | Path, settings: dict, seed: int, out_dir: str | Path) -> dict:
    """The scoring classifier of S8's metrics on the dataset; writes metrics.parquet, classifier.pt and run.json."""
    out_dir = Path(out_dir)
    data, classes = load_images(dataset_dir, settings["size"])
    channels, side = image_shape(data)
    torch.manual_seed(seed)
    model = build_classifier(channels, side, len(classes), settings)
    options = settings["classifier"]
    config = TrainConfig(epochs=options["epochs"], batch_size=options["batch_size"], optimizer="adam",
                         lr=options["lr"], seed=seed)
    checkpoint = out_dir / "checkpoint.pt"
    result = train(model, data, config, out_dir / "metrics.parquet", checkpoint,
                   transform=Unit().to(resolve_device(config.device)))
    checkpoint.unlink(missing_ok=True)
    save_weights(model, out_dir / "classifier.pt")
    last = result.metrics.iloc[-1]
    summary = {"role": "classifier", "channels": channels, "side": side, "classes": classes,
               "n_train": len(data["train"][1]), "n_test": len(data["test"][1]), "epochs": int(last["epoch"]),
               "test_error": float(last["test_error"]),
               "class_frequencies": np.bincount(data["train"][1].numpy(), minlength=len(classes)).tolist()}
    return write_run(summary, dataset_dir, out_dir)


def load_classifier(run_dir: str | Path, summary: dict, settings: dict) -> Classifier:
    model = build_classifier(summary["channels"], summary["side"], len(summary["classes"]), settings)
    return load_weights(model, Path(run_dir) / "classifier.pt", "the S8 classifier",
                        "retrain it with `dlrepro generative classifier`").eval()


def fixed_codes(count: int, latent: int, seed: int) -> torch.Tensor:
    """The latent codes of the sample grids, the same after every epoch and in every run."""
    return torch.randn(count, latent, generator=torch.Generator().manual_seed(seed))


def train_config(name: str, settings: dict, seed: int) -> TrainConfig:
    """The engine's settings of model ``name``: s8.train.vae, .gan or .wgan_gp."""
    options = settings["train"]["vae" if name == "vae" else "wgan_gp" if name == "wgan-gp" else "gan"]
    return TrainConfig(epochs=options["epochs"], batch_size=options["batch_size"], optimizer="adam",
                       lr=options["lr"], betas=tuple(options["betas"]), seed=seed)


def elbo_scores(config: TrainConfig, transform: nn.Module):
    """The VAE's evaluation: mean negative ELBO (nats per image), its reconstruction and KL parts."""

    @torch.no_grad()
    def evaluation(model, split) -> dict[str, float]:
        model.eval()
        device = next(model.parameters()).device
        sums, n = np.zeros(2), 0
        for inputs, _ in batches(as_dataset(split), config.eval_batch_size):
            reconstruction, kl = negative_elbo(model, transform(inputs.to(device)))
            sums += [reconstruction.sum().item(), kl.sum().item()]
            n += len(inputs)
        reconstruction, kl = sums / n
        return {"loss": reconstruction + kl, "reconstruction": reconstruction, "kl": kl}

    return evaluation


def train_generator(dataset_dir: str | Path, name: str, settings: dict, seed: int, out_dir: str | Path) -> dict:
    """Train model ``name`` (vae, minimax, nonsaturating, wgan-gp); writes metrics.parquet, model.pt
    and snapshots.npz (the fixed codes' samples after every epoch) and returns the run's summary."""
    out_dir = Path(out_dir)
    data, classes = load_images(dataset_dir, settings["size"])
    channels, side = image_shape(data)
    torch.manual_seed(seed)
    model = build_model(name, channels, side, settings)
    config = train_config(name, settings, seed)
    device = resolve_device(config.device)
    transform = Unit().to(device)
    codes = fixed_codes(settings["grid"], model.latent, seed).to(device)
    snapshots_dir = out_dir / "snapshots"
    snapshots_dir.mkdir(parents=True, exist_ok=True)

    @torch.no_grad()
    def snapshot(model, epoch: int) -> None:
        model.eval()
        with atomic_output(snapshots_dir / f"{epoch:05d}.npy") as tmp, open(tmp, "wb") as handle:
            np.save(handle, to_uint8(model.generate(codes)))

    vae = name == "vae"
    checkpoint = out_dir / "checkpoint.pt"
    started = time.perf_counter()
    result = train(model, data if vae else {"train": data["train"]}, config, out_dir / "metrics.parquet", checkpoint,
                   transform=transform, objective=vae_objective if vae else GAN_PHASES,
                   evaluation=elbo_scores(config, transform) if vae else (lambda model, split: {}),
                   after_epoch=snapshot)
    seconds = time.perf_counter() - started
    epochs = [int(e) for e in result.metrics["epoch"]]
    with atomic_output(out_dir / SNAPSHOTS_FILE) as tmp, open(tmp, "wb") as handle:
        np.savez(handle, epochs=np.array(epochs), images=np.stack(
            [np.load(snapshots_dir / f"{epoch:05d}.npy") for epoch in epochs]))
    for path in snapshots_dir.glob("*.npy"):
        path.unlink()
    snapshots_dir.rmdir()
    checkpoint.unlink(missing_ok=True)
    save_weights(model, out_dir / "model.pt")
    last = result.metrics.iloc[-1]
    summary = {"role": "model", "model": name, "channels": channels, "side": side, "classes": classes,
               "latent": model.latent, "parameters": count_parameters(model), "n_train": len(data["train"][1]),
               "epochs": epochs[-1], "test_nelbo": float(last["test_loss"]) if vae else None, "seconds": seconds,
               "device": str(device)}
    return write_run(summary, dataset_dir, out_dir)


def write_run(summary: dict, dataset_dir: str | Path, out_dir: str | Path) -> dict:
    """run.json beside the weights, naming its dataset (the folder's name under datasets) for the table."""
    summary |= {"dataset": Path(dataset_dir).name, "dataset_dir": str(dataset_dir)}
    write_json(summary, Path(out_dir) / "run.json")
    return summary


def to_uint8(images: torch.Tensor) -> np.ndarray:
    """[0, 1] float N x C x H x W -> uint8 N x H x W x C."""
    return (images.clamp(0, 1) * 255).round().byte().permute(0, 2, 3, 1).cpu().numpy()


def load_generator(run_dir: str | Path, summary: dict, settings: dict) -> nn.Module:
    model = build_model(summary["model"], summary["channels"], summary["side"], settings)
    return load_weights(model, Path(run_dir) / "model.pt", f"model {summary['model']}",
                        "retrain it with `dlrepro generative train`").eval()
