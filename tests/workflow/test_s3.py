"""S3 by the real snakemake: on the generated stand-in faces at a tiny size, and on the 240 real
FaceScrub photos served by a loopback server playing their original hosts."""

from __future__ import annotations

import csv
import json
import re

import pandas as pd
import pytest

from tests.conftest import SHARED_DATA
from tests.data.test_facescrub import host  # noqa: F401  (a fixture)
from tests.workflow.conftest import Workflow

pytestmark = pytest.mark.workflow
FACESCRUB = SHARED_DATA / "facescrub"

S3_TINY = {
    "mlps": {"h30": {"hidden": 30, "weight_decay": 0.0}, "h30_l2": {"hidden": 30, "weight_decay": 0.05}},
    "hidden_units": ["h30", "h30_l2"],
    "train": {"optimizer": "adam", "lr": 0.003, "batch_size": 32, "epochs": 30},
    "alexnet": {"weights": "random", "image_size": 63},
    "conv4": {"hidden": 16},
}


def test_s3_on_the_stand_in_faces(tmp_path):
    config = {
        "seed": 0,
        "datasets": {"faces-28": {"source": "faces", "size": 28, "channels": 1},
                     "faces-63": {"source": "faces", "size": 63, "channels": 3}},
        "s3": {"pixel_dataset": "faces-28", "image_dataset": "faces-63", **S3_TINY,
               "finetune": {"modes": ["last_layer"], "epochs": 1, "optimizer": "adam", "lr": 0.0003}},
    }
    workflow = Workflow(tmp_path, config)
    workflow.run("results/s3/section.json", "results/references.csv")

    table = pd.read_csv(tmp_path / "results/s3/accuracy.csv").set_index("model")
    assert list(table.index) == ["h30: MLP, 30 hidden", "h30_l2: MLP, 30 hidden, L2 0.05", "conv4 + FC 16 hidden",
                                 "AlexNet fine-tuned (last layer)"]
    assert (table["n_train"] == 144).all() and table.loc["h30: MLP, 30 hidden", "test_accuracy"] > 0.4
    section = json.loads((tmp_path / "results/s3/section.json").read_text())
    assert section["title"] == "S3. FaceScrub transfer learning"
    assert len(section["figures"]) == 5 and all("STAND-IN" in figure["caption"] for figure in section["figures"])
    assert all((tmp_path / figure["path"]).stat().st_size > 10_000 for figure in section["figures"])
    scores = pd.read_csv(tmp_path / "results/references.csv")
    assert scores.loc[scores["study"] == "S3", "verdict"].tolist() == ["not run"], "stand-in faces are not FaceScrub"

    changed = json.loads(json.dumps(config))
    changed["s3"]["mlps"]["h30_l2"]["weight_decay"] = 0.1
    workflow.write_config(changed)
    plan = workflow.run("results/s3/section.json", "--dry-run", "--quiet", "rules").stdout
    jobs = dict(re.findall(r"^(\w+) +(\d+)$", plan, flags=re.MULTILINE))
    assert jobs == {"s3_mlp": "1", "s3_summarise": "1", "total": "2"}


@pytest.mark.skipif(not (FACESCRUB / "subset.tsv").is_file(),
                    reason=f"{FACESCRUB}/subset.tsv is absent: no real FaceScrub photos to serve")
def test_s3_on_the_real_facescrub_photos(host, tmp_path):  # noqa: F811
    with open(FACESCRUB / "subset.tsv") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            parts = row["url"].split("/", 3)
            host.routes[f"/{parts[2]}/{parts[3]}"] = (FACESCRUB / row["file"]).read_bytes()
    config = {
        "seed": 0,
        "mirror": str(SHARED_DATA),  # the list file, checked against its pinned SHA-256
        "datasets": {"digits": {"source": "digits"}},
        "facescrub": {"faces_per_person": 40, "train_per_person": 24, "image_mirror": host.url(""),
                      "timeout": 5, "retries": 0, "workers": 8,
                      "datasets": {"facescrub-28": {"size": 28, "channels": 1},
                                   "facescrub-63": {"size": 63, "channels": 3}}},
        "s3": {"pixel_dataset": "facescrub-28", "image_dataset": "facescrub-63", **S3_TINY,
               "mlps": {"h300": {"hidden": 300}, "h300_l2": {"hidden": 300, "weight_decay": 0.01}},
               "hidden_units": ["h300", "h300_l2"], "train": {"optimizer": "adam", "lr": 0.001, "epochs": 40},
               "finetune": {"modes": []}},
    }
    workflow = Workflow(tmp_path, config)
    workflow.run("results/s3/section.json", "results/references.csv")

    table = pd.read_csv(tmp_path / "results/s3/accuracy.csv").set_index("model")
    mlp = table.loc["h300: MLP, 300 hidden"]
    assert mlp["n_train"] == 6 * 24
    assert mlp["test_accuracy"] > 0.4 > 2 / 6, f"clearly above chance (1/6): {table['test_accuracy'].to_dict()}"
    section = json.loads((tmp_path / "results/s3/section.json").read_text())
    assert "FaceScrub photos" in section["figures"][0]["caption"] and "STAND-IN" not in section["intro"]
    scores = pd.read_csv(tmp_path / "results/references.csv")
    assert scores.loc[scores["study"] == "S3", "verdict"].str.startswith("not run at this scale (n_train 144").all()
