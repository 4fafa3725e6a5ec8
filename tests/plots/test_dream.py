"""S9 dream figures: each writes one PNG whose size follows its grid."""

from __future__ import annotations

import numpy as np
import torch
from PIL import Image

from dlrepro.plots.dream import image_row, layer_step_grid, objective_curves, octave_progression, picture


def size(path) -> tuple[int, int]:
    with Image.open(path) as image:
        assert image.format == "PNG"
        return image.size


def test_picture_shows_colour_grey_and_many_channels_as_grey():
    colour, options = picture(torch.rand(3, 5, 7))
    assert colour.shape == (5, 7, 3) and options == {}
    many, options = picture(torch.full((6, 5, 7), 0.25))
    assert many.shape == (5, 7) and options["cmap"] == "gray" and np.allclose(many, 0.25)


def test_layer_step_grid_has_a_row_per_layer_and_a_column_per_step(tmp_path):
    images = {(layer, step): torch.rand(3, 16, 16) for layer in ("conv1", "conv2", "conv3") for step in (0.01, 0.03)}
    del images["conv3", 0.03]  # an absent pair leaves an empty cell
    layer_step_grid(images, tmp_path / "grid.png", "layers x step sizes")
    layer_step_grid({("conv1", 0.01): torch.rand(1, 16, 16)}, tmp_path / "one.png")
    width, height = size(tmp_path / "grid.png")
    one_width, one_height = size(tmp_path / "one.png")
    assert height > 2.5 * one_height and width > 1.5 * one_width


def test_objective_curves_octaves_and_rows(tmp_path):
    objective_curves({"conv3": [1.0, 2.0, 3.5, 5.0, 9.0, 11.0], "conv4": [0.5, 0.7, 0.9, 2.0, 2.5, 3.0]},
                     tmp_path / "curves.png", steps_per_octave=3)
    octave_progression([torch.rand(3, 10, 12), torch.rand(3, 14, 17), torch.rand(3, 20, 24)], tmp_path / "octaves.png")
    image_row({"guide": torch.rand(3, 20, 20), "start": torch.rand(1, 20, 20), "dream": torch.rand(3, 20, 20)},
              tmp_path / "row.png", "guided dream")
    assert size(tmp_path / "curves.png")[0] > 400
    assert size(tmp_path / "octaves.png")[0] > 2.5 * size(tmp_path / "octaves.png")[1]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["curves.png", "octaves.png", "row.png"]
