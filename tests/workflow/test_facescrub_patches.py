"""The real snakemake on a tiny config: FaceScrub photos over HTTP, and a patch dataset."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml
from PIL import Image

from dlrepro.data.dataset import load_dataset
from tests.data.test_facescrub import BOX, face_photo, host  # noqa: F401  (host is a fixture)

REPO = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.workflow


def snakemake(workdir: Path, *targets: str) -> str:
    command = [sys.executable, "-m", "snakemake", "-s", str(REPO / "Snakefile"), "--configfile", "config.yaml",
               "--cores", "2", "--", *targets]
    done = subprocess.run(command, cwd=workdir, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stderr


def test_facescrub_and_patch_datasets(host, tmp_path):  # noqa: F811
    lines = []  # Bob's rows start with a dead link: it is tried and skipped, then four photos kept
    for person, base in (("Ann A", 0), ("Bob B", 10)):
        for k in range(5):
            photo = face_photo(base + k, BOX)
            host.routes[f"/photos.example.org/{person[0]}/{k}.jpg"] = photo
            lines.append(f"{person}\t{base + k}\t{base + k}\thttp://photos.example.org/{person[0]}/{k}.jpg\t"
                         f"{','.join(map(str, BOX))}\t{hashlib.sha256(photo).hexdigest()}")
    lines.insert(0, f"Bob B\t99\t99\thttp://photos.example.org/gone.jpg\t1,1,5,5\t{'0' * 64}")
    listed = tmp_path / "mirror" / "facescrub" / "facescrub_actors.txt"
    listed.parent.mkdir(parents=True)
    listed.write_text("\n".join(lines) + "\n")
    (tmp_path / "SHA256SUMS").write_text(f"{hashlib.sha256(listed.read_bytes()).hexdigest()}  facescrub_actors.txt\n")

    drawings = tmp_path / "drawings dir"
    drawings.mkdir()
    rng = np.random.default_rng(0)
    for name, dtype in (("one.png", np.uint8), ("two.tif", np.uint16)):
        pixels = np.full((32, 48), np.iinfo(dtype).max, dtype=dtype)
        pixels[:16, :16] = rng.integers(0, np.iinfo(dtype).max, size=(16, 16), dtype=dtype)
        Image.fromarray(pixels).save(drawings / name)

    config = {
        "datasets": {"digits": {"source": "digits"}},
        "mirror": str(tmp_path / "mirror"),
        "checksums": str(tmp_path / "SHA256SUMS"),
        "facescrub": {"people": ["Bob B", "Ann A"], "faces_per_person": 4, "train_per_person": 2,
                      "datasets": {"faces-8": {"size": 8}, "faces-16": {"size": 16, "channels": 3}},
                      "image_mirror": host.url(""), "timeout": 2, "retries": 0, "workers": 4},
        "patches": {"drawing-patches": {"images": str(drawings), "size": 16, "stride": 16}},
    }
    (tmp_path / "config.yaml").write_text(yaml.safe_dump(config))
    targets = ("facescrub_datasets", "results/datasets/drawing-patches/images.npy")
    snakemake(tmp_path, *targets)

    faces = load_dataset(tmp_path / "results/datasets/faces-16")
    assert faces.classes == ["Bob B", "Ann A"] and faces.images.shape == (8, 16, 16, 3)
    assert faces.index["split"].value_counts().to_dict() == {"train": 4, "val": 2, "test": 2}
    manifest = pd.read_parquet(tmp_path / "results/facescrub/manifest.parquet")
    assert manifest.loc[manifest["face_id"] == 99, "reason"].item() == "http 404"
    patches = load_dataset(tmp_path / "results/datasets/drawing-patches")
    assert patches.index["group"].tolist() == [0, 1], "only the textured corner of each drawing is kept"

    assert "Nothing to be done" in snakemake(tmp_path, *targets)
    requests = sum(host.hits.values())
    (tmp_path / "results/facescrub/manifest.parquet").unlink()
    snakemake(tmp_path, *targets)
    assert sum(host.hits.values()) == requests, "a rebuilt manifest reuses every verified photo and failure"
