"""S13 summary: test images with their generated and reference captions, the attention per word, the
training curves, BLEU-1..4 beside Xu et al.'s Flickr8K rows, the report section."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from dlrepro.data.captions import load_caption_dataset
from dlrepro.io import read_json, read_parquet_table, require_columns, write_csv, write_json
from dlrepro.plots.captions import plot_attention, plot_captioned_images
from dlrepro.plots.curves import plot_curves
from dlrepro.report.captions import (
    S13_REFERENCE, s13_attention_caption, s13_bleu_caption, s13_curves_caption, s13_data, s13_examples_caption,
)
from dlrepro.report.scorecard import load_references, parse_setting

BLEU = ("bleu1", "bleu2", "bleu3", "bleu4")
PREDICTION_COLUMNS = ("image", "greedy", "beam", "references")
ATTENTION_IMAGES = 3  # rows of the attention figure


def bleu_table(run: dict) -> pd.DataFrame:
    """Our greedy and beam-search BLEU (percent), then the published S13 rows of references.csv."""
    rows = [{"source": f"ours: {run['dataset']}", "model": run["model"], "decode": decode}
            | {name: round(100 * run[decode][name], 1) for name in BLEU} for decode in ("greedy", "beam")]
    published = load_references()
    published = published[published["study"] == "S13"]
    for setting, group in published.groupby("setting", sort=False):
        values = dict(zip(group["metric"], group["value"]))
        rows.append({"source": "Xu et al. 2015, Table 1 (Flickr8K)", "model": parse_setting(setting)["model"],
                     "decode": parse_setting(setting)["decode"]}
                    | {name: round(100 * values[name], 1) if name in values else None for name in BLEU})
    return pd.DataFrame(rows)


def settings_text(run: dict) -> str:
    attention = "soft attention" if run["model"] == "soft-attention" else "no attention (mean feature)"
    encoder = "a small CNN" if run["encoder"] == "small" else f"{run['encoder']} ({run['weights']} weights)"
    return (f"{encoder}{'' if run['fine_tune'] else ', frozen'}, LSTM decoder with {attention}, "
            f"{run['n_train']} training images ({run['train_captions']} captions), vocabulary of "
            f"{run['vocabulary']} words, {run['epochs']} epochs, beam size {run['beam_size']}")


def summarise_study(run_path: str | Path, dataset_dir: str | Path, figures_dir: str | Path, out_dir: str | Path,
                    examples: int) -> dict:
    """Write bleu.csv, the examples, attention (soft attention only) and curves figures and section.json of
    S13; returns the section."""
    run_dir, figures_dir, out_dir = Path(run_path).parent, Path(figures_dir), Path(out_dir)
    run = read_json(run_path)
    predictions_path = run_dir / "predictions.parquet"
    predictions = read_parquet_table(predictions_path)
    require_columns(predictions_path, predictions.column_names, PREDICTION_COLUMNS)
    shown = predictions.to_pandas().head(examples)
    data = s13_data(run["dataset"], str(run["size"]))
    settings = settings_text(run)

    images = load_caption_dataset(dataset_dir).images
    examples_png = figures_dir / "examples.png"
    plot_captioned_images(np.asarray(images[shown["image"].to_numpy()]), list(shown["greedy"]), list(shown["beam"]),
                          [list(refs) for refs in shown["references"]], examples_png,
                          title=f"S13 captions of test images ({run['dataset']})")
    figures = [{"path": str(examples_png), "caption": s13_examples_caption(data, settings)}]
    if run["model"] == "soft-attention":  # without attention every place weighs the same: nothing to draw
        attention_png = figures_dir / "attention.png"
        attention = np.load(run_dir / "attention.npy")
        plot_attention(np.asarray(images[shown["image"].to_numpy()[:ATTENTION_IMAGES]]),
                       list(shown["beam"][:ATTENTION_IMAGES]), attention[:ATTENTION_IMAGES].astype(np.float32),
                       attention_png, title=f"S13 soft attention while writing each word ({run['dataset']})")
        figures.append({"path": str(attention_png), "caption": s13_attention_caption(data)})
    curves_png = figures_dir / "curves.png"
    plot_curves(run_dir / "metrics.parquet", curves_png, title=f"S13 captioner on {run['dataset']}",
                loss_label="cross-entropy per word")
    table = bleu_table(run)
    write_csv(table, out_dir / "bleu.csv")
    greedy, beam = (", ".join(f"{100 * run[d][n]:.1f}" for n in BLEU) for d in ("greedy", "beam"))
    intro = (f"An image captioner ({settings}) on {data}. Corpus BLEU-1/2/3/4 on the {run['n_test']} test "
             f"images: greedy {greedy}; beam search {beam}. {S13_REFERENCE}")
    section = {"title": "S13. Image captioning", "intro": intro,
               "figures": figures + [{"path": str(curves_png), "caption": s13_curves_caption(data)}],
               "tables": [{"path": str(out_dir / "bleu.csv"), "caption": s13_bleu_caption(data)}]}
    write_json(section, out_dir / "section.json")
    return section
