"""The SVG reader keeps stroke order; the rasteriser and the stroke-order channels; the TU-Berlin
folder reader verifies the files by manifest."""

import zipfile

import numpy as np
import pytest

from dlrepro.data.doodles import DOODLES, doodle_set
from dlrepro.data.manifest import ManifestError
from dlrepro.data.sketches import (
    STROKE_CHANNELS, full_sketch, normalised, part_images, path_points, rasterise, read_sketch_folder,
    read_svg_strokes, sketch_names, stroke_channels, stroke_parts,
)
from dlrepro.io import InputError


def svg(*paths: str) -> bytes:
    """A TU-Berlin-style SVG: one <path> per stroke inside a group, in drawing order."""
    body = "".join(f'<path id="{i}" d="{d}" style="fill:none;stroke:#000"/>' for i, d in enumerate(paths))
    return (f'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 800 800">'
            f'<g>{body}</g></svg>').encode()


def test_reader_keeps_the_strokes_in_document_order():
    strokes = read_svg_strokes(svg("M 10,10 L 20,10", "M 100,100 C 110,100 120,100 130,100", "M 5,700 L 5,790"))
    assert [tuple(s[0]) for s in strokes] == [(10, 10), (100, 100), (5, 700)]
    assert [tuple(s[-1]) for s in strokes] == [(20, 10), (130, 100), (5, 790)]


def test_cubic_segments_are_sampled_on_the_curve():
    points = path_points("M 0,0 C 0,100 100,100 100,0")
    assert len(points) == 9 and tuple(points[-1]) == (100, 0)
    assert points[:, 1].max() == pytest.approx(75.0)  # the Bezier's apex: 3/4 of the control height


def test_relative_commands_and_implicit_linetos():
    assert path_points("m 10,10 5,0 l 0,5 h -5 z").tolist() == [[10, 10], [15, 10], [15, 15], [10, 15], [10, 10]]


def test_a_broken_svg_names_its_file():
    with pytest.raises(InputError, match="cat/1.svg: not a readable SVG"):
        read_svg_strokes(b"<svg><path d='M 1,1 C 2'", "cat/1.svg")
    with pytest.raises(InputError, match="without strokes"):
        read_svg_strokes(svg(), "cat/2.svg")


def test_rasteriser_draws_ink_where_the_strokes_are():
    image = rasterise([np.array([[0.0, 0.5], [1.0, 0.5]])], 16)
    assert image.dtype == np.uint8 and image.shape == (16, 16)
    assert set(np.unique(image)) == {0, 255}
    assert (image[7:9].max(axis=0) == 255).all() and image[:6].max() == 0


def test_parts_are_chronological_thirds():
    strokes = [np.full((2, 2), i, dtype=float) for i in range(7)]
    assert [[int(s[0, 0]) for s in part] for part in stroke_parts(strokes)] == [[0, 1], [2, 3], [4, 5, 6]]
    assert [len(part) for part in stroke_parts(strokes[:2])] == [0, 1, 1]


@pytest.mark.parametrize("name", sorted(DOODLES))
def test_stroke_channels_sum_back_to_the_full_sketch(name):
    """The three parts' images add up (clipped at full ink) to the whole sketch drawn at once, and every
    channel is exactly the union (pixelwise maximum) of the parts it names; p1+p2+p3 is the full sketch."""
    strokes = normalised(DOODLES[name](np.random.default_rng(0)))
    parts = part_images(strokes, 48)
    whole = rasterise(strokes, 48)
    assert np.array_equal(np.minimum(parts.astype(int).sum(axis=0), 255), whole)
    channels = stroke_channels(parts)
    assert channels.shape == (6, 48, 48)
    assert np.array_equal(channels[5], whole) and np.array_equal(full_sketch(parts)[0], whole)
    for channel, names in zip(channels, STROKE_CHANNELS):
        assert np.array_equal(channel, np.max([parts[int(p[1]) - 1] for p in names], axis=0))
    assert all(channels[k].any() for k in range(6))


def test_doodles_are_seeded_and_split_per_class():
    first = doodle_set(["house", "star"], 8, 32, seed=3)
    again = doodle_set(["house", "star"], 8, 32, seed=3)
    assert np.array_equal(first.parts, again.parts) and first.parts.shape == (16, 3, 32, 32)
    assert (first.split == "test").sum() == 4 and "STAND-IN" in first.source
    assert not np.array_equal(first.parts, doodle_set(["house", "star"], 8, 32, seed=4).parts)


def write_tu_berlin(root, per_class=3):
    for label, name in enumerate(["airplane", "zebra"]):
        (root / name).mkdir(parents=True)
        for n in range(per_class):
            x = 100 + 50 * n
            (root / name / f"{n + 1}.svg").write_bytes(svg(f"M {x},100 C {x},200 {x + 10},300 {x},400",
                                                            f"M {x},400 L {x + 200 * (1 + label)},400"))


def test_tu_berlin_folder_is_read_and_pinned_by_its_manifest(tmp_path):
    root = tmp_path / "png" / "sketches"
    write_tu_berlin(root)
    (root / "airplane" / ".DS_Store").write_bytes(b"junk")
    manifest = tmp_path / "sketches.sha256"
    sketches = read_sketch_folder(tmp_path / "png", manifest, 32, per_class=2, seed=0)
    assert sketches.classes == ["airplane", "zebra"] and sketches.labels.tolist() == [0, 0, 1, 1]
    assert sketches.parts.shape == (4, 3, 32, 32) and sketches.parts[:, 1].any()  # two strokes: p2, p3 drawn
    assert len(manifest.read_text().splitlines()) == 6
    assert sketch_names(tmp_path / "png") == sorted(f"sketches/{c}/{n}.svg" for c in ("airplane", "zebra")
                                                    for n in (1, 2, 3))
    (root / "zebra" / "2.svg").write_bytes(svg("M 0,0 L 1,1"))
    with pytest.raises(ManifestError, match="sketches/zebra/2.svg: SHA-256"):
        read_sketch_folder(tmp_path / "png", manifest, 32)


def test_tu_berlin_zip_and_missing_class(tmp_path):
    write_tu_berlin(tmp_path / "tree")
    archive = tmp_path / "sketches.zip"
    with zipfile.ZipFile(archive, "w") as handle:
        for path in sorted((tmp_path / "tree").rglob("*.svg")):
            handle.write(path, path.relative_to(tmp_path / "tree").as_posix())
    sketches = read_sketch_folder(archive, tmp_path / "m.sha256", 24, classes=["zebra", "airplane"])
    assert sketches.classes == ["zebra", "airplane"] and sketches.labels.tolist() == [0, 0, 0, 1, 1, 1]
    with pytest.raises(InputError, match="no class folder 'cat'"):
        read_sketch_folder(archive, tmp_path / "m.sha256", 24, classes=["cat", "zebra"])
