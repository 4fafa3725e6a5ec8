"""What each training job of a config (S1's fine-tuning, S3-S12) will cost on this machine, before running it.

Each network a job trains is built by the study's own code at the configured size and trained by the
shared engine, with the study's optimizer, batch size, input transform and objective, for one epoch
over one and then three batches of generated data. That splits an epoch's cost into a fixed part and
a part per image; an epoch of the job's training images, times its epochs and its repeats (seeds,
runs, rounds, sweep points), is the estimate.

What it models: the training steps, the engine's evaluation of the training split and its per-epoch
bookkeeping. What it does not: evaluation of validation and test splits (a forward pass each, small
beside training), a job's start (Python and torch imports, a few CPU seconds), reading the data and
writing results, and early stops: runs that stop at zero
training error (S5, S6 below nK, S12's students) or on patience are counted at their maximum epochs,
so their estimate is an upper bound. Estimates are for the machine that runs them (the GPU when
present): run the plan where the workflow will run. On the CPU the seconds are CPU seconds, which
a busy machine does not inflate; wall time is about that on an idle machine with one torch thread.
"""

from __future__ import annotations

import dataclasses
import tempfile
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import torch
from torch import nn

from dlrepro.device import resolve_device
from dlrepro.features.plan import DATASET_SIZES, dataset_size, rule_limits
from dlrepro.settings import resolve_section, without_switched_off
from dlrepro.train.engine import TrainConfig, train, train_config

Sampler = Callable[[int, torch.Generator], tuple[torch.Tensor, torch.Tensor]]


def images(shape: tuple[int, ...], classes: int) -> Sampler:
    """Random uint8 inputs of ``shape`` (an image H x W x C, or features) and labels: what datasets hold."""
    def sample(n: int, generator: torch.Generator) -> tuple[torch.Tensor, torch.Tensor]:
        return (torch.randint(0, 256, (n, *shape), generator=generator, dtype=torch.uint8),
                torch.randint(0, classes, (n,), generator=generator))
    return sample


def floats(dim: int, classes: int) -> Sampler:
    def sample(n: int, generator: torch.Generator) -> tuple[torch.Tensor, torch.Tensor]:
        return torch.randn(n, dim, generator=generator), torch.randint(0, classes, (n,), generator=generator)
    return sample


def tokens(length: int, vocabulary: int) -> Sampler:
    def sample(n: int, generator: torch.Generator) -> tuple[torch.Tensor, torch.Tensor]:
        return (torch.randint(0, vocabulary, (n, length), generator=generator),
                torch.randint(0, vocabulary, (n,), generator=generator))
    return sample


@dataclass
class Workload:
    """Networks of one shape that a job trains: ``repeats`` of them, ``epochs`` x ``images`` each."""

    rule: str
    wildcards: str
    network: str  # what is timed, for the output and the cache of timings
    model: Callable[[], nn.Module]
    data: Sampler
    config: TrainConfig
    images: int
    repeats: int = 1
    transform: Callable | None = None
    objective: Any = None
    evaluation: Callable | None = None

    @property
    def key(self) -> tuple:
        return self.network, self.config.batch_size, self.config.optimizer, repr(self.objective)


@dataclass
class TrainingEstimate:
    rule: str
    wildcards: str
    networks: list[str]
    steps: int
    seconds: float
    runtime_limit_s: float

    @property
    def fits(self) -> bool:
        return self.seconds <= self.runtime_limit_s


def epoch_cost(work: Workload, device: str | None = None) -> tuple[float, float]:
    """(seconds per epoch, seconds per training image) of ``work``'s network, from one epoch of one batch and
    one of three batches (the best of two runs each, after a warm-up run); the first part is what an
    epoch costs whatever its size: the engine's evaluation set-up, its metrics write.

    On the CPU, seconds of CPU time (what the workflow's benchmark files call cpu_time): on a shared,
    busy machine wall time measures the other processes too. On CUDA, wall time.
    """
    generator = torch.Generator().manual_seed(0)
    batch = work.config.batch_size
    config = dataclasses.replace(work.config, epochs=1, patience=None, until_zero_train_error=False, progress=False,
                                 device=device or work.config.device)
    cuda = resolve_device(config.device).type == "cuda"
    clock = time.perf_counter if cuda else time.process_time
    timings: dict[int, list[float]] = {1: [], 3: []}
    with tempfile.TemporaryDirectory() as scratch:
        for n_batches in (1, 1, 3, 1, 3):  # the first run warms up (allocations, kernels)
            data = {"train": work.data(n_batches * batch, generator)}
            torch.manual_seed(0)
            model = work.model()
            start = clock()
            train(model, data, config, Path(scratch) / "metrics.parquet", transform=work.transform,
                  objective=work.objective, evaluation=work.evaluation)
            if cuda:
                torch.cuda.synchronize()
            timings[n_batches].append(clock() - start)
    one, three = min(timings[1][1:]), min(timings[3])
    per_image = max(three - one, 0.0) / (2 * batch)
    return max(one - batch * per_image, 0.0), per_image


def dataset_shape(config: Mapping, name: str) -> tuple[int, int, tuple[int, int, int]]:
    """(training images, classes, H x W x C) of dataset ``name`` of the config, without reading it."""
    facescrub = resolve_section("facescrub", config["facescrub"]) if config.get("facescrub") else {}
    if name in facescrub.get("datasets", {}):
        size = facescrub["datasets"][name]
        people = len(facescrub["people"])
        return people * facescrub["train_per_person"], people, (size["size"], size["size"], size["channels"])
    if name not in config.get("datasets", {}):
        raise ValueError(f"no dataset {name!r} in datasets: or facescrub.datasets:")
    entry = config["datasets"][name]
    source = entry["source"]
    if source in DATASET_SIZES:
        return dataset_size(config, name)[0], 10, DATASET_SIZES[source][2]
    if source == "faces":
        from dlrepro.data.faces import PEOPLE, TRAIN_PER_PERSON

        return len(PEOPLE) * TRAIN_PER_PERSON, len(PEOPLE), (entry["size"], entry["size"], entry["channels"])
    if source == "folder":
        standin = config.get("s4", {}).get("standin")
        if str(entry["images"]).startswith("results/s4/standin") and standin:
            count, classes = standin["painters"] * standin["paintings"], standin["painters"]
        else:
            folder = Path(entry["images"])
            if not folder.is_dir():
                raise ValueError(f"datasets.{name}: {folder} is not a folder here; the plan counts its images")
            classes = sum(1 for p in folder.iterdir() if p.is_dir() and not p.name.startswith("."))
            count = sum(1 for p in folder.rglob("*") if p.is_file() and not p.name.startswith("."))
        kept = 1 - (entry.get("val_fraction") or 0) - (entry.get("test_fraction") or 0)
        return round(count * kept), classes, (entry["size"], entry["size"], entry.get("channels") or 3)
    raise ValueError(f"datasets.{name}: the plan knows no size for source {source!r}")


def section(config: Mapping, key: str) -> dict | None:
    return resolve_section(key, config[key]) if config.get(key) else None


def plan_s1(config, s1):
    from dlrepro.train.finetune import build_finetune_model, imagenet_transform

    tune = s1["finetune"]
    for dataset in s1["datasets"]:
        n, classes, shape = dataset_shape(config, dataset)
        for mode in tune["modes"]:
            yield Workload("s1_finetune_cnn", f"{dataset} {mode}", f"{tune['arch']} {mode} {tune['image_size']}px",
                           lambda mode=mode, classes=classes: build_finetune_model(tune["arch"], "random", classes,
                                                                                    mode, 0),
                           images(shape, classes), train_config(tune, schedule="cosine"), round(0.9 * n),
                           transform=imagenet_transform(tune["image_size"]))


def plan_s3(config, s3):
    from dlrepro.features.extract import build_extractor
    from dlrepro.models.mlp import MLP
    from dlrepro.train.faces import unit_pixels
    from dlrepro.train.finetune import build_finetune_model, imagenet_transform

    n, classes, shape = dataset_shape(config, s3["pixel_dataset"])
    pixels = shape[0] * shape[1] * shape[2]
    for name, entry in s3["mlps"].items():
        yield Workload("s3_mlp", name, f"MLP {pixels}-{entry['hidden']}-{classes}",
                       lambda entry=entry: MLP(pixels, (entry["hidden"],), classes), images(shape, classes),
                       train_config(s3["train"]), n, transform=unit_pixels)
    n, classes, shape = dataset_shape(config, s3["image_dataset"])
    size = s3["alexnet"]["image_size"]
    extractor = build_extractor({"kind": "torchvision", "arch": "alexnet", "layer": "conv4", "weights": "random",
                                 "image_size": size}, shape, "cpu")
    dim = extractor(torch.zeros(1, *shape, dtype=torch.uint8).numpy()).shape[1]
    yield Workload("s3_conv4_fit", "", f"MLP {dim}-{s3['conv4']['hidden']}-{classes} on conv4",
                   lambda: MLP(dim, (s3["conv4"]["hidden"],), classes), floats(dim, classes),
                   train_config(s3["train"]), n)
    for mode in s3["finetune"]["modes"]:
        yield Workload("s3_finetune", mode, f"alexnet {mode} {size}px",
                       lambda mode=mode: build_finetune_model("alexnet", "random", classes, mode, 0),
                       images(shape, classes), train_config(s3["finetune"], schedule="cosine"), n,
                       transform=imagenet_transform(size))


def plan_s4(config, s4):
    from dlrepro.models.small_cnn import build_conv_net
    from dlrepro.train.artists import GROUPS, Scale, engine_config, experiment

    n, classes, shape = dataset_shape(config, s4["dataset"])
    for group in GROUPS:
        for name in s4.get(group) or {}:
            run = experiment(s4, name)
            yield Workload("s4_train", name, f"conv net {run.spec}",
                           lambda run=run: build_conv_net(run.spec, shape, classes), images(shape, classes),
                           engine_config(run, 0), n, transform=Scale())


def plan_s5(config, s5):
    from dlrepro.models.factory import build_model
    from dlrepro.train.generalization import Normalise

    n, classes, shape = dataset_shape(config, s5["dataset"])
    n = min(n, s5["max_train"] or n)
    normalise = Normalise(torch.zeros(shape[-1]), torch.ones(shape[-1]))
    variants = [*s5["variants"], *(f"corrupt-{p}" for p in s5["corruption"])]
    for model, spec in s5["models"].items():
        for regularisation, setting in s5["regularisation"].items():
            for variant in [v for v in setting["variants"] or variants]:
                yield Workload("s5_fit", f"{model} {regularisation} {variant}", f"{spec['kind']} width {spec['width']}",
                               lambda spec=spec, setting=setting: build_model(spec["kind"], shape, classes,
                                                                              spec["width"], setting["dropout"]),
                               images(shape, classes), train_config(s5["train"], epochs=s5["train"]["max_epochs"]),
                               n, transform=normalise)
    for width in s5["sweep"]["widths"]:
        kind = s5["sweep"]["kind"]
        yield Workload("s5_sweep_fit", f"w{width}", f"{kind} width {width}",
                       lambda width=width: build_model(kind, shape, classes, width), images(shape, classes),
                       train_config(s5["train"], epochs=s5["train"]["max_epochs"]), n, transform=normalise)


def plan_s6(config, s6):
    from dlrepro.models.mlp import MLP

    _, classes, shape = dataset_shape(config, s6["dataset"])
    pixels = shape[0] * shape[1] * shape[2]
    for width in s6["widths"]:
        yield Workload("s6_sweep", "", f"MLP {pixels}-{width}-{classes}",
                       lambda width=width: MLP(pixels, (width,), classes), floats(pixels, classes),
                       train_config(s6, schedule="step"), s6["n_train"])


def plan_s7(config, s7):
    from dlrepro.models.attention import hybrid_objective
    from dlrepro.train.attention import Unit, build_model, model_train_settings, parse_model

    n, classes, _ = dataset_shape(config, s7["dataset"])
    models = [*s7["baselines"], *(f"ram-{g}" for g in s7["glimpses"])]
    for canvas_name, canvas in s7["canvases"].items():
        shape = (canvas["canvas"], canvas["canvas"], 1)
        for model in models:
            yield Workload("s7_train", f"{canvas_name} {model}", f"{model} on {canvas['canvas']}px",
                           lambda model=model, canvas=canvas: build_model(model, s7, canvas, classes),
                           images(shape, classes), train_config(model_train_settings(s7, model)),
                           n * canvas["copies"], transform=Unit(),
                           objective=hybrid_objective if parse_model(model)[0] == "ram" else None)


def plan_s8(config, s8):
    from dlrepro.models.generative import GAN_PHASES, vae_objective
    from dlrepro.train.generative import Unit, build_classifier, build_model, elbo_scores
    from dlrepro.train.generative import train_config as generator_config

    for dataset in s8["datasets"]:
        n, classes, shape = dataset_shape(config, dataset)
        side = s8["size"] or shape[0]
        shape = (side, side, shape[2])
        tune = s8["classifier"]
        yield Workload("s8_classifier", dataset, f"classifier width {tune['width']}",
                       lambda shape=shape, classes=classes: build_classifier(shape[2], shape[0], classes, s8),
                       images(shape, classes), TrainConfig(epochs=tune["epochs"], batch_size=tune["batch_size"],
                                                           optimizer="adam", lr=tune["lr"]), n, transform=Unit())
        for model in s8["models"]:
            tune, vae = generator_config(model, s8, 0), model == "vae"
            yield Workload("s8_train", f"{dataset} {model}", f"{model} {side}px",
                           lambda model=model, shape=shape: build_model(model, shape[2], shape[0], s8),
                           images(shape, classes), tune, n, transform=Unit(),
                           objective=vae_objective if vae else GAN_PHASES,
                           evaluation=elbo_scores(tune, Unit()) if vae else (lambda model, split: {}))


def plan_s10(config, s10):
    from dlrepro.data.palindromes import DIGITS
    from dlrepro.models.sequence import OneHot, Rows, SequenceClassifier

    tune = s10["palindromes"]
    for cell in tune["cells"]:
        for length in tune["lengths"]:
            yield Workload("s10_palindromes", cell, f"{cell} {tune['hidden']} T={length}",
                           lambda cell=cell: SequenceClassifier(cell, DIGITS, tune["hidden"], DIGITS,
                                                                tune["forget_bias"]),
                           tokens(length - 1, DIGITS), train_config(tune["train"]), tune["n_train"],
                           repeats=tune["seeds"] * len(tune["clipping"]), transform=OneHot(DIGITS))
    n, classes, shape = dataset_shape(config, s10["dataset"])
    row = s10["row_lstm"]
    yield Workload("s10_row_lstm", "", f"row lstm {row['hidden']} over {shape[0]} rows",
                   lambda: SequenceClassifier("lstm", shape[1], row["hidden"], classes), images(shape, classes),
                   train_config(row["train"]), n, transform=Rows())


def plan_s11(config, s11):
    from dlrepro.models.mlp import MLP
    from dlrepro.models.vgg import VGGSpec, build_vgg
    from dlrepro.train.baselines import Scaled

    for dataset in s11["datasets"]:
        n, classes, shape = dataset_shape(config, dataset)
        pixels = shape[0] * shape[1] * shape[2]
        mlp = s11["mlp"]
        for activation in mlp["activations"]:
            for depth in mlp["depths"]:
                for width in mlp["widths"]:
                    yield Workload("s11_sweep", f"{dataset} mlp", f"MLP {activation} {depth}x{width}",
                                   lambda d=depth, w=width, a=activation: MLP(pixels, [w] * d, classes,
                                                                              relu=a == "relu"),
                                   images(shape, classes), train_config(mlp["train"]), n, transform=Scaled())
        vgg = s11["vgg"]
        for depth in vgg["depths"]:
            spec = VGGSpec(vgg["widths"], depth, vgg["batch_norm"], vgg["hidden"])
            yield Workload("s11_sweep", f"{dataset} vgg", f"VGG {spec}",
                           lambda spec=spec, shape=shape, classes=classes: build_vgg(spec, shape, classes),
                           images(shape, classes), train_config(vgg["train"]), n, transform=Scaled())


def plan_s12(config, s12):
    from dlrepro.models.mlp import MLP
    from dlrepro.models.teacher_student import TwoLayerNet

    teach = s12.get("teacher_student")
    if teach:
        for multiple in teach["multiples"]:
            width = multiple * teach["teacher_width"]
            yield Workload("s12_teacher_student", "", f"student {teach['inputs']}-{width}-2",
                           lambda width=width: TwoLayerNet(teach["inputs"], width, 2, teach["activation"]),
                           floats(teach["inputs"], 2), train_config(teach["train"],
                                                                    epochs=teach["train"]["max_epochs"]),
                           teach["n_train"], repeats=teach["seeds"])
    lottery = s12.get("lottery")
    if lottery:
        n, classes, shape = dataset_shape(config, lottery["dataset"])
        n = min(n, lottery["max_train"] or n)
        pixels = shape[0] * shape[1] * shape[2]
        # one dense network, then a winning ticket and a random reinitialisation per round, per trial
        yield Workload("s12_lottery", "", f"MLP {pixels}-{'-'.join(map(str, lottery['hidden']))}-{classes}",
                       lambda: MLP(pixels, lottery["hidden"], classes), floats(pixels, classes),
                       train_config(lottery["train"]), round(n * (1 - lottery["val_fraction"])),
                       repeats=lottery["trials"] * (1 + 2 * lottery["rounds"]))


# study -> the workloads of its training jobs, from the config and the study's resolved section
STUDIES = {"s1": plan_s1, "s3": plan_s3, "s4": plan_s4, "s5": plan_s5, "s6": plan_s6, "s7": plan_s7, "s8": plan_s8,
           "s10": plan_s10, "s11": plan_s11, "s12": plan_s12}


def workloads(config: Mapping, studies: list[str] | None = None) -> tuple[list[Workload], dict[str, str]]:
    """Every training workload of the config's enabled studies (``studies``: only these), and the studies
    that cannot be planned here with the reason (a user's image folder that is not on this machine)."""
    config = without_switched_off(config)
    found, skipped = [], {}
    for study, plan in STUDIES.items():
        if (studies is None or study in studies) and config.get(study):
            try:
                found += plan(config, resolve_section(study, config[study]))
            except ValueError as err:
                skipped[study] = str(err)
    return found, skipped


def plan_training(config: Mapping, device: str | None = None, studies: list[str] | None = None
                  ) -> tuple[list[TrainingEstimate], dict[str, str]]:
    """One estimate per training job (rule and wildcards) of the config, and the studies not planned (why);
    networks of one shape and batch are timed once."""
    costs: dict[tuple, tuple[float, float]] = {}
    jobs: dict[tuple[str, str], TrainingEstimate] = {}
    found, skipped = workloads(config, studies)
    for work in found:
        if work.key not in costs:
            costs[work.key] = epoch_cost(work, device)
        per_epoch, per_image = costs[work.key]
        job = jobs.setdefault((work.rule, work.wildcards), TrainingEstimate(
            work.rule, work.wildcards, [], 0, 0.0, rule_limits(config, work.rule)[0]))
        job.networks.append(work.network)
        job.steps += -(-work.images // work.config.batch_size) * work.config.epochs * work.repeats
        job.seconds += (per_epoch + per_image * work.images) * work.config.epochs * work.repeats
    return list(jobs.values()), skipped
