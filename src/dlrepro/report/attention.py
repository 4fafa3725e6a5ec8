"""S7 summary: the test-error table next to Mnih et al. 2014's, glimpse paths and glimpses of the
RAM with the most glimpses on each canvas, RAM's training curves, the report section."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import torch

from dlrepro.io import read_json, write_csv, write_json
from dlrepro.models.attention import glimpse
from dlrepro.plots.attention import plot_glimpse_paths, plot_glimpses, plot_ram_curves
from dlrepro.report.captions import (
    S7_REFERENCE, s7_curves_caption, s7_data, s7_errors_caption, s7_glimpses_caption, s7_paths_caption,
)
from dlrepro.report.scorecard import load_references, parse_setting
from dlrepro.train.attention import Unit, load_canvases, load_model, model_train_settings

PATH_IMAGES = 6
PAPER_KEYS = ("canvas", "fragments", "digit_size", "model")


def read_runs(run_files: list[str | Path]) -> list[dict]:
    """Run summaries (run.json) with their folder added, in the order given."""
    return [read_json(path) | {"folder": str(Path(path).parent)} for path in run_files]


def paper_setting(run: dict) -> dict:
    """The keys S7's references are filed under, for one run."""
    canvas = run["canvas"]
    return {"canvas": canvas["canvas"], "fragments": canvas["fragments"], "digit_size": run["digit_size"],
            "model": run["model"]}


def published_errors() -> dict[tuple, float]:
    """(canvas, fragments, digit_size, model) -> Mnih et al.'s test error, from references.csv."""
    table = load_references()
    rows = table[(table["study"] == "S7") & (table["metric"] == "test_error")]
    return {tuple(parse_setting(text)[key] for key in PAPER_KEYS): value
            for text, value in zip(rows["setting"], rows["value"])}


def errors_table(runs: list[dict]) -> pd.DataFrame:
    published = published_errors()
    rows = []
    for run in runs:
        paper = published.get(tuple(paper_setting(run)[key] for key in PAPER_KEYS))
        rows.append({
            "canvas": run["canvas"]["name"], "side": run["canvas"]["canvas"], "fragments": run["canvas"]["fragments"],
            "model": run["model"], "parameters": run["parameters"], "n_train": run["n_train"],
            "epochs": run["epochs_run"], "seconds": round(run["seconds"], 1),
            "test_error_pct": round(100 * run["test_error"], 2),
            "mnih2014_pct": None if paper is None else round(100 * paper, 2),
        })
    return pd.DataFrame(rows)


def describe_training(train: dict) -> str:
    """A run's optimiser, schedule and length in words, for the section's intro."""
    schedule = "" if train.get("schedule", "constant") == "constant" else f" ({train['schedule']})"
    return (f"{train['optimizer'].upper()}, learning rate {train['lr']}{schedule}, batch {train['batch_size']}, "
            f"{train['epochs']} epochs")


@torch.no_grad()
def watch(run: dict, settings: dict, seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[str], list[str]]:
    """The first test canvases of a RAM run: images, sampled locations (N x T x 2), the first
    canvas's glimpses (T x scales x p x p), "true -> predicted" titles and the class names."""
    model = load_model(run["folder"], run, settings).eval()
    data, classes = load_canvases(run["dataset"], ("test",))
    images, labels = data["test"][0][:PATH_IMAGES], data["test"][1][:PATH_IMAGES]
    torch.manual_seed(seed)
    inputs = Unit()(images)
    episode = model.episode(inputs)
    spec = model.spec
    patches = torch.stack([glimpse(inputs[:1], episode.locations[:1, t], spec.patch, spec.scales)[0]
                           for t in range(spec.glimpses)])
    titles = [f"{classes[y]} -> {classes[p]}" for y, p in zip(labels.tolist(), episode.logits.argmax(1).tolist())]
    return images[..., 0].numpy(), episode.locations.numpy(), patches.numpy(), titles, classes


def summarise_study(run_files: list[str | Path], settings: dict, source: str, figures_dir: str | Path,
                    out_dir: str | Path, seed: int = 0) -> dict:
    """Write errors.csv, the figures and ``section.json`` from the runs' run.json files; returns the section."""
    figures_dir, out_dir = Path(figures_dir), Path(out_dir)
    runs = read_runs(run_files)
    if not runs:
        raise ValueError("no run.json files given: nothing to summarise")
    sizes = sorted({run["digit_size"] for run in runs})
    data = s7_data(source, "/".join(map(str, sizes)))
    table = errors_table(runs)
    write_csv(table, out_dir / "errors.csv")
    figures = []
    for canvas in dict.fromkeys(run["canvas"]["name"] for run in runs):
        rams = sorted((run for run in runs if run["canvas"]["name"] == canvas and run["kind"] == "ram"),
                      key=lambda run: run["glimpses"])
        if not rams:
            continue
        most = rams[-1]
        images, locations, patches, titles, _ = watch(most, settings, seed)
        curves_png = figures_dir / f"curves_{canvas}.png"
        plot_ram_curves({run["model"]: pd.read_parquet(Path(run["folder"]) / "metrics.parquet") for run in rams},
                        f"S7 RAM on {canvas}", curves_png)
        paths_png, glimpses_png = figures_dir / f"paths_{canvas}.png", figures_dir / f"glimpses_{canvas}.png"
        plot_glimpse_paths(images, locations, titles, most["ram"]["patch"], most["ram"]["scales"], paths_png)
        plot_glimpses(patches, f"S7 {most['model']} on {canvas}: {titles[0]}", glimpses_png)
        figures += [{"path": str(paths_png), "caption": f"{canvas}, {most['model']}. " + s7_paths_caption(data)},
                    {"path": str(glimpses_png), "caption": f"{canvas}, {most['model']}. " + s7_glimpses_caption(data)},
                    {"path": str(curves_png), "caption": f"{canvas}. " + s7_curves_caption(data)}]
    canvases = "; ".join(
        f"{name} {c['canvas']}x{c['canvas']}" + (f" with {c['fragments']} fragments of {c['fragment_size']} px"
                                                 if c["fragments"] else " translated")
        + (f", each training digit at {c['copies']} positions" if c.get("copies", 1) > 1 else "")
        + (", training canvases redrawn every epoch" if c.get("redraw") else "")
        for name, c in {run["canvas"]["name"]: run["canvas"] for run in runs}.items())
    ram = settings["ram"]
    ram_train, baseline_train = model_train_settings(settings, "ram-1"), model_train_settings(settings, "conv")
    training = (f"All: {describe_training(ram_train)}." if ram_train == baseline_train else
                f"RAM: {describe_training(ram_train)}; FC and conv: {describe_training(baseline_train)}.")
    section = {
        "title": "S7. Recurrent attention model",
        "intro": (
            f"RAM (Mnih et al. 2014) classifies {data} ({canvases}; {runs[0]['n_train']} training and "
            f"{runs[0]['n_test']} test digits) from a few retina glimpses: {ram['core']} core of {ram['hidden']} "
            f"units, Gaussian location policy (std {ram['std']}{', learned' if ram['learn_std'] else ''}), "
            "trained by the hybrid loss: cross-entropy of the final class + REINFORCE on the locations with reward "
            "1 for a correct class and a learned baseline + the baseline's squared error; "
            f"{ram['samples']} Monte Carlo episode(s) per test image. The FC ({settings['fc']['hidden']}) and conv "
            f"({settings['conv']['filters']} filters of {settings['conv']['kernel']} px, stride "
            f"{settings['conv']['stride']}) baselines see the whole canvas. {training} {S7_REFERENCE}"
        ),
        "figures": figures,
        "tables": [{"path": str(out_dir / "errors.csv"), "caption": s7_errors_caption(data) + (
            " Seconds: wall-clock training time of each run.")}],
    }
    write_json(section, out_dir / "section.json")
    return section
