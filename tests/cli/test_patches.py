from __future__ import annotations

import json

import numpy as np
from click.testing import CliRunner
from PIL import Image

from dlrepro.cli import main


def test_patches_command_and_corrupt_file(tmp_path):
    folder = tmp_path / "scans"
    folder.mkdir()
    pixels = np.random.default_rng(0).integers(0, 65535, size=(20, 20), dtype=np.uint16)
    Image.fromarray(pixels).save(folder / "a.tif")
    runner = CliRunner()
    settings = {"images": str(folder), "size": 10, "stride": 10}
    done = runner.invoke(main, ["patches", "--settings", json.dumps(settings), "--out", str(tmp_path / "out")])
    assert done.exit_code == 0, done.output
    assert "4 patches from 1 images" in done.output
    (folder / "b.png").write_bytes(b"\x89PNG broken")
    failed = runner.invoke(main, ["patches", "--settings", json.dumps({"images": str(folder)}),
                                  "--out", str(tmp_path / "out2")])
    assert failed.exit_code == 1 and "b.png" in failed.output


def test_patches_without_images_names_the_key(tmp_path):
    result = CliRunner().invoke(main, ["patches", "--settings", "{}", "--out", str(tmp_path / "out")])
    assert result.exit_code == 1 and "config key patches.<name>: 'images' is a required property" in result.output
