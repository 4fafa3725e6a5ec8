"""S13 by the real snakemake at a tiny size: the stand-in scenes captioned and summarised, then a tiny
folder in Flickr8K's layout read, verified by its manifest and captioned; a changed image stops the
dataset job with one line naming it."""

import json

import pandas as pd
import pytest

from tests.data.flickr8k_folder import make_flickr8k
from tests.workflow.conftest import Workflow

CAPTIONER = {
    "vocabulary": {"min_count": 1, "max_length": 10},
    "model": {"encoder": "small", "width": 4, "fine_tune": True, "embedding": 8, "hidden": 16, "attention": True,
              "attention_dim": 8, "dropout": 0.0},
    "train": {"epochs": 2, "batch_size": 16, "optimizer": "adam", "lr": 0.01},
    "decode": {"beam_size": 2, "max_length": 10},
}
CONFIG = {
    "seed": 0,
    "datasets": {"digits": {"source": "digits"}},  # required; no study here uses it, so it is not built
    "s13": {"data": {"size": 16, "standin": {"n_train": 24, "n_val": 4, "n_test": 6, "captions_per_image": 2}},
            "captioner": CAPTIONER, "examples": 4},
}


@pytest.mark.workflow
def test_s13_captions_the_standin_then_a_flickr8k_folder(tmp_path):
    workflow = Workflow(tmp_path, CONFIG)
    assert workflow.planned_jobs("results/s13/section.json") == {"s13_dataset": 1, "s13_train": 1,
                                                                 "s13_summarise": 1}
    workflow.run("results/s13/section.json", "results/references.csv")
    run = json.loads((tmp_path / "results/s13/captioner/run.json").read_text())
    assert run["dataset"] == "shapes-standin" and run["n_test"] == 6
    section = json.loads((tmp_path / "results/s13/section.json").read_text())
    assert section["title"] == "S13. Image captioning"
    assert [f["path"].rsplit("/", 1)[1] for f in section["figures"]] == ["examples.png", "attention.png",
                                                                         "curves.png"]
    assert all((tmp_path / f["path"]).stat().st_size > 10_000 for f in section["figures"])
    assert all("STAND-IN" in f["caption"] for f in section["figures"]) and "Xu et al. 2015" in section["intro"]
    bleu = pd.read_csv(tmp_path / "results/s13/bleu.csv")
    assert list(bleu["decode"][:2]) == ["greedy", "beam"] and len(bleu) == 5  # ours twice, three published rows
    card = pd.read_csv(tmp_path / "results/references.csv").query("study == 'S13'")
    assert len(card) == 9 and (card["verdict"] == "not run").all()  # the stand-in answers no Flickr8K row

    files = make_flickr8k(tmp_path / "Flickr8k", {"train": 6, "val": 2, "test": 3})
    flickr = json.loads(json.dumps(CONFIG))
    flickr["s13"]["data"] |= {"flickr8k": "Flickr8k", "max_train": 5}
    workflow.write_config(flickr)
    workflow.run("results/s13/captioner/run.json")
    run = json.loads((tmp_path / "results/s13/captioner/run.json").read_text())
    assert (run["dataset"], run["n_train"], run["n_val"], run["n_test"]) == ("flickr8k", 5, 2, 3)
    assert (tmp_path / "results/s13/flickr8k.sha256").is_file()

    image = tmp_path / "Flickr8k" / "Flicker8k_Dataset" / files["test"][0]
    image.write_bytes(image.read_bytes() + b"\0")
    failed = workflow.run("results/s13/captioner/run.json", check=False)
    assert failed.returncode != 0
    assert f"Flicker8k_Dataset/{files['test'][0]}: SHA-256" in failed.stderr
