"""S9 Sketch-a-Net: the full sketch against its stroke-order channels, and scale fusion.

Networks trained (each with the one engine, same settings and seed):
- ``full``: one channel, the whole sketch;
- ``strokes``: the six stroke-order channels (:data:`dlrepro.data.sketches.STROKE_CHANNELS`);
- ``strokes-s<scale>`` for each further scale: the six channels blurred by down-sampling to
  ``scale`` times the side and up-sampling back (bilinear, antialiased), as Sketch-a-Net's
  multi-scale networks see coarser versions of the same strokes;
- ``fused``: no training, the mean of the softmax outputs of the stroke networks at every scale
  (Yu et al. fuse their networks' scores; a plain average needs no extra data).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import torch
import torch.nn.functional as F

from dlrepro.data.doodles import doodle_set
from dlrepro.data.sketches import SketchSet, full_sketch, read_sketch_folder, stroke_channels
from dlrepro.io import atomic_output, read_json, write_csv, write_json
from dlrepro.metrics.classification import top_k_accuracy
from dlrepro.models.sketch_a_net import SketchANet, sketch_a_net
from dlrepro.train.checkpoint import load_weights, save_weights
from dlrepro.train.engine import TrainConfig, as_tensors, predict, train

FUSED = "fused"


def sketch_set(settings: dict, seed: int, manifest: str | Path | None) -> SketchSet:
    """The sketches of the s9.sketches settings: the TU-Berlin ``folder`` (pinned by ``manifest``), or
    the STAND-IN doodles of ``classes`` when no folder is set."""
    common = dict(line_width=settings["line_width"], test_fraction=settings["test_fraction"], seed=seed)
    if settings["folder"] is None:
        return doodle_set(settings["classes"], settings["per_class"], settings["size"], **common)
    if manifest is None:
        raise ValueError("a sketch folder needs a manifest path (written on first use)")
    return read_sketch_folder(settings["folder"], manifest, settings["size"], per_class=settings["per_class"],
                              classes=settings["classes"], **common)


@dataclass(frozen=True)
class SketchNetwork:
    """One network of the comparison: its input channels (full or strokes) and blur scale."""

    name: str
    channels: str
    scale: float


def networks(scales: list[float]) -> list[SketchNetwork]:
    """``full`` and ``strokes`` at scale 1, then the stroke network at each other scale."""
    plan = [SketchNetwork("full", "full", 1.0), SketchNetwork("strokes", "strokes", 1.0)]
    return plan + [SketchNetwork(f"strokes-s{scale:g}", "strokes", scale) for scale in scales if scale != 1.0]


def blurred(images: np.ndarray, scale: float) -> np.ndarray:
    """uint8 (n, c, H, W) down-sampled to ``scale`` times the side and back (bilinear, antialiased)."""
    if scale == 1.0:
        return images
    x = torch.from_numpy(images).float()
    side = images.shape[-1]
    small = F.interpolate(x, size=max(1, round(side * scale)), mode="bilinear", antialias=True, align_corners=False)
    back = F.interpolate(small, size=side, mode="bilinear", align_corners=False)
    return back.round().clamp(0, 255).to(torch.uint8).numpy()


def network_input(parts: np.ndarray, network: SketchNetwork) -> np.ndarray:
    """uint8 (n, 1 or 6, H, W): what ``network`` sees of the stored part images."""
    images = full_sketch(parts) if network.channels == "full" else stroke_channels(parts)
    return blurred(np.ascontiguousarray(images), network.scale)


def to_unit(x: torch.Tensor) -> torch.Tensor:
    """The engine's batch transform: uint8 ink -> float in [0, 1]."""
    return x.float().div_(255.0)


def build_network(network: SketchNetwork, sketches: SketchSet, settings: dict) -> SketchANet:
    return sketch_a_net(1 if network.channels == "full" else 6, len(sketches.classes), sketches.parts.shape[-1],
                        settings)


def train_sketch_networks(sketch_file: str | Path, settings: dict, seed: int, out_dir: str | Path) -> pd.DataFrame:
    """Train every network of the plan, fuse the scales; writes per network ``<name>/model.pt`` and
    ``metrics.parquet``, then ``predictions.npz`` (test softmax per network) and ``runs.csv``."""
    sketches = SketchSet.load(sketch_file)
    out_dir = Path(out_dir)
    train_rows, test_rows = sketches.split == "train", sketches.split == "test"
    config = TrainConfig(**settings["train"], seed=seed)
    rows, probabilities = [], {}
    for network in networks(settings["scales"]):
        images = network_input(sketches.parts, network)
        data = {"train": as_tensors(images[train_rows], sketches.labels[train_rows]),
                "test": as_tensors(images[test_rows], sketches.labels[test_rows])}
        torch.manual_seed(seed)
        model = build_network(network, sketches, settings)
        started = time.process_time()
        result = train(model, data, config, out_dir / network.name / "metrics.parquet", transform=to_unit)
        seconds = time.process_time() - started
        save_weights(model, out_dir / network.name / "model.pt")
        outputs, _ = predict(model, data["test"], config, to_unit)
        probabilities[network.name] = torch.softmax(outputs, dim=1).numpy()
        rows.append({"network": network.name, "channels": 1 if network.channels == "full" else 6,
                     "scale": network.scale, "parameters": sum(p.numel() for p in model.parameters()),
                     "epochs": len(result.metrics), "cpu_seconds": seconds})
    scale_networks = [n.name for n in networks(settings["scales"]) if n.channels == "strokes"]
    if len(scale_networks) > 1:
        probabilities[FUSED] = np.mean([probabilities[name] for name in scale_networks], axis=0)
        rows.append({"network": FUSED, "channels": 6, "scale": float("nan"), "parameters": sum(
            r["parameters"] for r in rows if r["network"] in scale_networks), "epochs": 0, "cpu_seconds": 0.0})
    labels, classes = sketches.labels[test_rows], np.arange(len(sketches.classes))
    for row in rows:
        scores = probabilities[row["network"]]
        row |= {"top1": top_k_accuracy(labels, scores, classes, 1), "top5": top_k_accuracy(labels, scores, classes, 5)}
    table = pd.DataFrame(rows)
    with atomic_output(out_dir / "predictions.npz") as tmp, open(tmp, "wb") as handle:
        np.savez(handle, labels=labels, classes=np.array(sketches.classes), **probabilities)
    write_csv(table, out_dir / "runs.csv")
    write_json({"classes": sketches.classes, "source": sketches.source, "size": int(sketches.parts.shape[-1]),
                "n_train": int(train_rows.sum()), "n_test": int(test_rows.sum()), "settings": settings, "seed": seed},
               out_dir / "run.json")
    return table


def load_sketch_network(run_dir: str | Path, name: str = "full") -> tuple[SketchANet, dict]:
    """A trained network of :func:`train_sketch_networks` (eval mode) and the run's record."""
    run = read_json(Path(run_dir) / "run.json")
    network = next((n for n in networks(run["settings"]["scales"]) if n.name == name), None)
    if network is None:
        raise ValueError(f"{run_dir} has no network {name!r}")
    model = sketch_a_net(1 if network.channels == "full" else 6, len(run["classes"]), run["size"], run["settings"])
    load_weights(model, Path(run_dir) / name / "model.pt", "a Sketch-a-Net of this run",
                 "rerun `dlrepro visualise sketch-a-net`")
    return model.eval(), run
