"""S9 summary: the Sketch-a-Net table and figures, the dream figures, the report section."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import torch
from sklearn.metrics import confusion_matrix

from dlrepro.data.sketches import SketchSet
from dlrepro.io import InputError, read_csv_table, read_json, write_csv, write_json
from dlrepro.plots.dream import image_row, layer_step_grid, objective_curves, octave_progression
from dlrepro.plots.sketches import plot_accuracy, plot_most_confused, plot_sketch_examples
from dlrepro.report.captions import (
    S9_REFERENCE, s9_accuracy_caption, s9_class_dreams_caption, s9_confusion_caption, s9_data, s9_grid_caption,
    s9_guided_caption, s9_network, s9_objective_caption, s9_octaves_caption, s9_sketch_dreams_caption,
    s9_sketches_caption,
)
from dlrepro.train.sketches import FUSED

RUN_COLUMNS = ("network", "channels", "scale", "parameters", "epochs", "cpu_seconds", "top1", "top5")
TITLE = "S9. Sketch-a-Net and network visualisation (deep dream)"


def sketch_settings(run: dict) -> str:
    settings = run["settings"]
    train = settings["train"]
    return (f"{len(run['classes'])} classes, {run['n_train']} training and {run['n_test']} test sketches at "
            f"{run['size']} px; first filters {settings['first_kernel']}x{settings['first_kernel']} stride "
            f"{settings['first_stride']}, conv widths {settings['widths']}, fc {settings['fc']}, dropout "
            f"{settings['dropout']}; {train['epochs']} epochs of {train['optimizer']} (lr {train['lr']}, batches of "
            f"{train['batch_size']})")


def summarise_sketches(run_dir: Path, sketches_file: Path, figures_dir: Path, out_dir: Path) -> tuple[list, list, str]:
    run = read_json(run_dir / "run.json")
    runs = read_csv_table(run_dir / "runs.csv", RUN_COLUMNS, "`dlrepro visualise sketch-a-net`")
    data, settings = s9_data(run["source"]), sketch_settings(run)
    table = out_dir / "sketch_a_net.csv"
    write_csv(runs[list(RUN_COLUMNS)], table)
    sketches = SketchSet.load(sketches_file)
    examples, accuracy, confusion = (figures_dir / name for name in ("sketches.png", "accuracy.png", "confusion.png"))
    plot_sketch_examples(sketches.parts, sketches.labels, sketches.classes, examples)
    plot_accuracy(runs, accuracy, f"S9 Sketch-a-Net, {len(run['classes'])} classes")
    best = runs.loc[runs["top1"].idxmax(), "network"] if FUSED not in set(runs["network"]) else FUSED
    with np.load(run_dir / "predictions.npz") as saved:
        labels, predicted = saved["labels"], saved[best].argmax(axis=1)
    matrix = confusion_matrix(labels, predicted, labels=np.arange(len(run["classes"])))
    plot_most_confused(matrix, run["classes"], confusion, f"S9 {best} network: most confused classes")
    figures = [{"path": str(examples), "caption": s9_sketches_caption(data)},
               {"path": str(accuracy), "caption": s9_accuracy_caption(data, settings)},
               {"path": str(confusion), "caption": s9_confusion_caption(data, best)}]
    tables = [{"path": str(table), "caption": s9_accuracy_caption(data, settings)}]
    rows = runs.set_index("network")["top1"]
    intro = (f"Sketch-a-Net on {data}: full sketch {rows['full']:.1%}, stroke-order channels {rows['strokes']:.1%}"
             + (f", scales fused {rows[FUSED]:.1%}" if FUSED in rows else "") + f" top-1. {S9_REFERENCE}")
    return figures, tables, intro


def summarise_dreams(dream_dir: Path, sketch_data: str, figures_dir: Path) -> tuple[list, str]:
    record = read_json(dream_dir / "dream.json")
    try:
        dreams = torch.load(dream_dir / "dreams.pt", weights_only=True)
    except Exception as err:  # torch raises many kinds for a file that holds no such dict
        raise InputError(f"{dream_dir / 'dreams.pt'}: not the dreams of `dlrepro visualise dream` "
                         f"({type(err).__name__}); rerun it") from None
    settings = record["settings"]
    network = s9_network(record["network"], record["weights"])
    photo = f"{record['photo']} at {record['photo_size'][0]}x{record['photo_size'][1]} px"
    grid_settings = (f"{settings['steps']} steps, jitter {settings['jitter']} px, blur sigma {settings['blur_sigma']}, "
                     f"tile {settings['tile'] or 'none'}, one octave")
    figures = []

    def add(name: str, caption: str, draw) -> None:
        path = figures_dir / name
        draw(path)
        figures.append({"path": str(path), "caption": caption})

    if dreams["sketch_classes"]:
        add("sketch_dreams.png", s9_sketch_dreams_caption(sketch_data, settings["class_steps"]),
            lambda p: image_row(dreams["sketch_classes"], p, "Sketch-a-Net class dreams from noise"))
    grid = {(key.rsplit("@", 1)[0], float(key.rsplit("@", 1)[1])): image for key, image in dreams["grid"].items()}
    add("layer_steps.png", s9_grid_caption(network, photo, grid_settings),
        lambda p: layer_step_grid(grid, p, f"deep dream, {record['network']}"))
    add("objective.png", s9_objective_caption(network),
        lambda p: objective_curves(record["curves"], p, title=f"deep dream, {record['network']}"))
    add("octaves.png", s9_octaves_caption(network, record["deepest_layer"], settings["octaves"]),
        lambda p: octave_progression(dreams["octaves"], p, f"{settings['octaves']} octaves, {record['deepest_layer']}"))
    add("guided.png", s9_guided_caption(network, record["deepest_layer"], record["guide"]),
        lambda p: image_row({"guide": dreams["guide"], "start": dreams["photo"], "guided dream": dreams["guided"]}, p,
                            f"guided dreaming, {record['deepest_layer']}"))
    if dreams["classes"]:
        add("class_dreams.png", s9_class_dreams_caption(network, settings["class_steps"]),
            lambda p: image_row({f"class {k}": v for k, v in dreams["classes"].items()}, p, "class dreams"))
    curves = record["curves"]
    rises = sum(values[-1] > values[0] for values in curves.values())
    intro = (f"Deep dreams of {photo} with {network}: layers {', '.join(settings['layers'])} x step sizes "
             f"{', '.join(f'{s:g}' for s in settings['step_sizes'])}; the L2 norm rose in {rises} of {len(curves)} runs.")
    return figures, intro


def summarise_study(sketch_run: str | Path | None, sketches_file: str | Path | None, dream_dir: str | Path | None,
                    figures_dir: str | Path, out_dir: str | Path) -> dict:
    """Write the tables, figures and section.json of S9 for the parts given; returns the section."""
    figures_dir, out_dir = Path(figures_dir), Path(out_dir)
    figures, tables, intro = [], [], []
    sketch_data = s9_data("")
    if sketch_run is not None:
        if sketches_file is None:
            raise ValueError("the Sketch-a-Net run needs its sketches (--sketches) for the example figure")
        sketch_data = s9_data(read_json(Path(sketch_run) / "run.json")["source"])
        part_figures, tables, text = summarise_sketches(Path(sketch_run), Path(sketches_file), figures_dir, out_dir)
        figures += part_figures
        intro.append(text)
    if dream_dir is not None:
        part_figures, text = summarise_dreams(Path(dream_dir), sketch_data, figures_dir)
        figures += part_figures
        intro.append(text)
    if not figures:
        raise ValueError("no Sketch-a-Net run and no dreams given: nothing to summarise")
    section = {"title": TITLE, "intro": " ".join(intro), "figures": figures, "tables": tables}
    write_json(section, out_dir / "section.json")
    return section
