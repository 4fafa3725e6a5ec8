"""S9's dreams: a grid of layers x step sizes on a photo, their L2-norm curves, an octave progression,
guided dreaming, class dreams from noise with the dreaming network and with the trained Sketch-a-Net.

The dreaming network is the trained Sketch-a-Net (its one-channel, full-sketch network) or a
torchvision CNN (``weights`` imagenet, random or a file). Images stay in picture space ([0, 1], dark
ink on white paper); the sketch network sees them inverted, as its sketches are white ink on black,
so a photo's dark edges read as strokes. Torchvision networks see them ImageNet-normalised.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import torch
from torch import nn

from dlrepro.data.sketches import SketchSet, full_sketch
from dlrepro.io import atomic_output, write_json
from dlrepro.models.torchvision_nets import imagenet_input, load_cnn
from dlrepro.train.sketches import load_sketch_network
from dlrepro.visualise.dream import (
    DreamResult, DreamSettings, class_objective, dream, guided_objective, layer_objective, load_image, noise_image, sample_photo,
)

SKETCH = "sketch"


def inverted(x: torch.Tensor) -> torch.Tensor:
    """Picture space (dark ink on white) -> the sketch network's input (white ink on black)."""
    return 1.0 - x


def dreaming_network(settings: dict, sketch_run: str | Path | None, seed: int) -> tuple[nn.Module, Callable, int]:
    """(model, preprocess, channels) of ``settings["network"]``."""
    if settings["network"] == SKETCH:
        if sketch_run is None:
            raise ValueError("network: sketch dreams with the trained Sketch-a-Net; give its run (s9.sketch_a_net on)")
        model, _ = load_sketch_network(sketch_run, "full")
        return model, inverted, 1
    model = load_cnn(settings["network"], settings["weights"], seed)
    return model.eval(), imagenet_input, 3


def sketch_picture(sketches: SketchSet, class_name: str) -> torch.Tensor:
    """The first test sketch of a class, whole, in picture space (1 x H x W): the sketch network's guide."""
    rows = np.flatnonzero((sketches.labels == sketches.classes.index(class_name)) & (sketches.split == "test"))
    return 1.0 - torch.from_numpy(full_sketch(sketches.parts[rows[0]]).astype(np.float32) / 255.0)


def class_index(name: str, classes: list[str]) -> int:
    if name not in classes:
        raise ValueError(f"no sketch class {name!r} to dream; the sketches have {classes}")
    return classes.index(name)


def dream_study(settings: dict, seed: int, out_dir: str | Path, sketch_run: str | Path | None = None,
                sketches_file: str | Path | None = None) -> dict:
    """Run every dream of the s9.dream settings; writes ``dreams.pt`` (the images) and ``dream.json``
    (objective curves and what was run) into ``out_dir`` and returns the record."""
    if settings["network"] == SKETCH and settings["classes"]:
        raise ValueError("classes are ImageNet class indices for a torchvision network; the sketch network's class "
                         "dreams are sketch_classes")
    model, preprocess, channels = dreaming_network(settings, sketch_run, seed)
    generator = torch.Generator().manual_seed(seed)
    photo_path = Path(settings["image"]) if settings["image"] else sample_photo()
    photo = load_image(photo_path, settings["size"], channels)
    base = dict(steps=settings["steps"], jitter=settings["jitter"], blur_sigma=settings["blur_sigma"],
                tile=settings["tile"])
    grid, curves = {}, {}
    for layer in settings["layers"]:
        for step_size in settings["step_sizes"]:
            result = dream(model, photo, layer_objective(model, layer), DreamSettings(step_size=step_size, **base),
                           preprocess=preprocess, generator=generator)
            grid[f"{layer}@{step_size:g}"] = result.image
            curves[f"{layer}, step {step_size:g}"] = result.objective
    deepest, first_step = settings["layers"][-1], settings["step_sizes"][0]
    octave_settings = DreamSettings(step_size=first_step, octaves=settings["octaves"],
                                    octave_scale=settings["octave_scale"], **base)
    octaves = dream(model, photo, layer_objective(model, deepest), octave_settings, preprocess=preprocess,
                    generator=generator)
    guide = guide_image(settings, sketches_file, channels)
    guided = dream(model, photo, guided_objective(model, deepest, guide, preprocess=preprocess),
                   DreamSettings(step_size=first_step, **base), preprocess=preprocess, generator=generator)
    class_size = settings["class_size"] or (224 if channels == 3 else None)
    classes = {str(index): class_dream(model, index, channels, class_size, settings, preprocess, generator)
               for index in settings["classes"]}
    sketch_classes = {}
    if sketch_run is not None and settings["sketch_classes"]:
        sketch_model, run = load_sketch_network(sketch_run, "full")
        sketch_classes = {name: class_dream(sketch_model, class_index(name, run["classes"]), 1, run["size"], settings,
                                            inverted, generator)
                          for name in settings["sketch_classes"]}
    dreams = {"photo": photo, "grid": grid, "octaves": octaves.octaves, "guide": guide, "guided": guided.image,
              "classes": {name: result.image for name, result in classes.items()},
              "sketch_classes": {name: result.image for name, result in sketch_classes.items()}}
    out_dir = Path(out_dir)
    with atomic_output(out_dir / "dreams.pt") as tmp:
        torch.save(dreams, tmp)
    record = {"network": settings["network"], "weights": settings["weights"] if settings["network"] != SKETCH else
              "trained here", "photo": photo_path.name, "photo_size": list(photo.shape[-2:]),
              "guide": guide_name(settings), "deepest_layer": deepest, "first_step_size": first_step,
              "curves": curves, "octave_curve": octaves.objective, "guided_curve": guided.objective,
              "class_logits": {name: [r.objective[0], r.objective[-1]] for name, r in classes.items()},
              "sketch_class_logits": {name: [r.objective[0], r.objective[-1]] for name, r in sketch_classes.items()},
              "settings": settings, "seed": seed}
    write_json(record, out_dir / "dream.json")
    return record


def guide_name(settings: dict) -> str:
    if settings["guide"]:
        return Path(settings["guide"]).name
    return "a test sketch of class " + settings["sketch_classes"][0] if settings["network"] == SKETCH else \
        "Minduka_Present_Blue_Pack.png (matplotlib)"


def guide_image(settings: dict, sketches_file: str | Path | None, channels: int) -> torch.Tensor:
    """The guide: the file named, else for the sketch network a test sketch of the first sketch class,
    else matplotlib's other sample picture."""
    if settings["guide"]:
        return load_image(settings["guide"], settings["size"], channels)
    if settings["network"] == SKETCH:
        if sketches_file is None or not settings["sketch_classes"]:
            raise ValueError("the sketch network's default guide is a sketch of sketch_classes[0]; give the sketches "
                             "and a class, or name a guide image")
        return sketch_picture(SketchSet.load(sketches_file), settings["sketch_classes"][0])
    return load_image(sample_photo().with_name("Minduka_Present_Blue_Pack.png"), settings["size"], channels)


def class_dream(model: nn.Module, index: int, channels: int, size: int, settings: dict, preprocess: Callable,
                generator: torch.Generator) -> DreamResult:
    """A class dream from noise: the class's logit raised by ``class_steps`` steps."""
    start = noise_image(channels, size, generator)
    options = DreamSettings(steps=settings["class_steps"], step_size=settings["step_sizes"][-1],
                            jitter=min(settings["jitter"], max(1, size // 16)), blur_sigma=settings["blur_sigma"])
    return dream(model, start, class_objective(model, index), options, preprocess=preprocess,
                 generator=generator)
