import subprocess
import sys

import numpy as np

from dlrepro.features.pixels import pixels_extractor


def test_pixels_are_the_flattened_image_scaled_to_unit_range(images):
    features = pixels_extractor()(images)
    expected = images.reshape(len(images), -1).astype(np.float32) / np.float32(255)
    assert features.dtype == np.float32
    np.testing.assert_array_equal(features, expected)
    assert features.min() >= 0 and features.max() <= 1


def test_colour_pixels_are_channel_major():
    rgb = np.random.default_rng(1).integers(0, 256, size=(2, 4, 5, 3), dtype=np.uint8)
    features = pixels_extractor()(rgb)
    expected = rgb.transpose(0, 3, 1, 2).reshape(2, -1).astype(np.float32) / np.float32(255)
    np.testing.assert_array_equal(features, expected)


def test_a_pixel_job_does_not_import_torch(dataset_dir, tmp_path):
    """torch costs seconds and most of a gigabyte to import: the pixel baseline must not pay it."""
    out = tmp_path / "pixels.parquet"
    settings = '{"kind": "pixels"}'
    script = ("import sys; from dlrepro.cli import main; "
              f"main(['features', 'extract', '--dataset', {str(dataset_dir)!r}, '--settings', {settings!r}, '--threads', '1', "
              f"'--out', {str(out)!r}], standalone_mode=False); "
              "print(sorted(m for m in ('torch', 'torchvision', 'kymatio') if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert result.stdout.splitlines()[-1] == "[]"
    assert out.exists()
