"""S9 by the real snakemake at a tiny size: stand-in doodles, Sketch-a-Net with stroke-order channels
and a blurred scale, dreams with the trained network, the report section; then a TU-Berlin-style
folder of SVGs, pinned by its manifest."""

import json

import pandas as pd
import pytest

from tests.data.test_sketches import write_tu_berlin
from tests.workflow.conftest import Workflow

CONFIG = {
    "seed": 0,
    "datasets": {"digits": {"source": "digits"}},
    "s9": {
        "sketches": {"classes": ["house", "face", "star", "sun"], "per_class": 8, "size": 32},
        "sketch_a_net": {"first_kernel": 7, "first_stride": 2, "widths": [4, 4, 8, 8, 8], "fc": 16,
                         "scales": [1.0, 0.5], "train": {"epochs": 2, "batch_size": 8}},
        "dream": {"network": "sketch", "size": 40, "layers": ["conv1", "conv3"], "step_sizes": [0.02, 0.05],
                  "steps": 3, "jitter": 2, "octaves": 2, "class_steps": 3, "sketch_classes": ["house", "star"]},
    },
}


@pytest.mark.workflow
def test_s9_trains_sketch_a_net_dreams_and_summarises(tmp_path):
    workflow = Workflow(tmp_path, CONFIG)
    assert workflow.planned_jobs("results/s9/section.json") == {
        "s9_sketches": 1, "s9_sketch_a_net": 1, "s9_dream": 1, "s9_summarise": 1}
    workflow.run("results/s9/section.json")
    runs = pd.read_csv(tmp_path / "results/s9/sketch_a_net.csv")
    assert runs["network"].tolist() == ["full", "strokes", "strokes-s0.5", "fused"]
    assert runs["channels"].tolist() == [1, 6, 6, 6] and runs["top1"].between(0, 1).all()
    record = json.loads((tmp_path / "results/s9/dream/dream.json").read_text())
    assert record["photo"] == "grace_hopper.jpg" and len(record["curves"]) == 4
    assert all(len(curve) == 3 for curve in record["curves"].values())
    assert len(record["octave_curve"]) == 2 * 3 and set(record["sketch_class_logits"]) == {"house", "star"}
    section = json.loads((tmp_path / "results/s9/section.json").read_text())
    assert section["title"].startswith("S9. ")
    names = [f["path"].rsplit("/", 1)[1] for f in section["figures"]]
    assert names == ["sketches.png", "accuracy.png", "confusion.png", "sketch_dreams.png", "layer_steps.png",
                     "objective.png", "octaves.png", "guided.png"]
    assert all((tmp_path / f["path"]).stat().st_size > 5_000 for f in section["figures"])
    assert "STAND-IN" in section["figures"][1]["caption"] and "74.9 %" in section["figures"][1]["caption"]
    assert "trained here" in section["figures"][4]["caption"]

    without = json.loads(json.dumps(CONFIG))
    without["s9"]["dream"] = None
    workflow.write_config(without)
    assert workflow.planned_jobs("results/s9/section.json") == {"s9_summarise": 1}


@pytest.mark.workflow
def test_s9_reads_a_tu_berlin_folder_and_stops_when_a_sketch_changed(tmp_path):
    folder = tmp_path / "tu-berlin"
    write_tu_berlin(folder, per_class=4)
    config = json.loads(json.dumps(CONFIG))
    config["s9"]["sketches"] = {"folder": str(folder), "classes": None, "size": 32}
    config["s9"]["dream"] = None
    (tmp_path / "wf").mkdir()
    workflow = Workflow(tmp_path / "wf", config)
    workflow.run("results/s9/sketches.npz")
    manifest = tmp_path / "wf/results/s9/sketches.sha256"
    assert len(manifest.read_text().splitlines()) == 8
    (folder / "zebra" / "3.svg").write_text((folder / "zebra" / "1.svg").read_text())
    failed = workflow.run("results/s9/sketches.npz", check=False)
    assert failed.returncode != 0
    assert "zebra/3.svg: SHA-256" in failed.stderr + failed.stdout
