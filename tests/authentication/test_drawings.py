import numpy as np
import pytest
from PIL import Image

from dlrepro.authentication.drawings import drawing_files, read_drawing_labels, verified_drawings
from dlrepro.data.manifest import ManifestError


def save_drawing(path, seed=0):
    pixels = np.random.default_rng(seed).integers(0, 255, size=(12, 12), dtype=np.uint8)
    Image.fromarray(pixels).save(path)


@pytest.fixture
def folder(tmp_path):
    drawings = tmp_path / "drawings"
    drawings.mkdir()
    for name, seed in (("1.jpg", 1), ("2.png", 2), ("drawing 3.tif", 3), ("3A.tif", 4), ("10b.png", 5)):
        save_drawing(drawings / name, seed)
    (drawings / "notes.txt").write_text("not an image")
    (tmp_path / "labels.csv").write_text("number,label\n1,Raphael\n2, not  raphael \n3,Disputed\n")
    return drawings


def test_names_ending_in_a_letter_are_ignored(folder):
    numbered, ignored = drawing_files(folder)
    assert {n: p.name for n, p in numbered.items()} == {1: "1.jpg", 2: "2.png", 3: "drawing 3.tif"}
    assert [p.name for p in ignored] == ["10b.png", "3A.tif"]


def test_two_files_for_one_number_are_refused(folder):
    save_drawing(folder / "01.png")
    with pytest.raises(ValueError, match="two files for drawing 1"):
        drawing_files(folder)


def test_labels_are_read_case_and_space_insensitively(folder):
    table = read_drawing_labels(folder.parent / "labels.csv")
    assert table["label"].tolist() == ["Raphael", "Not Raphael", "Disputed"]
    (folder.parent / "bad.csv").write_text("number,label\n1,Leonardo\n")
    with pytest.raises(ValueError, match="'Leonardo' unknown; expected one of Raphael, Not Raphael, Disputed"):
        read_drawing_labels(folder.parent / "bad.csv")


def test_manifest_is_written_once_then_checked(folder):
    manifest = folder.parent / "drawings.sha256"
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    table, written = verified_drawings(folder, folder.parent / "labels.csv", manifest)
    assert written and manifest.read_text().count("\n") == 3
    assert table[["file", "number", "split"]].values.tolist() == [
        ["1.jpg", 1, "train"], ["2.png", 2, "train"], ["drawing 3.tif", 3, "test"]]
    again, written = verified_drawings(folder, folder.parent / "labels.csv", manifest)
    assert not written and again.equals(table)
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before, "the drawings are never modified"


def test_a_changed_drawing_is_named_with_both_hashes_and_the_fix(folder):
    manifest = folder.parent / "drawings.sha256"
    table, _ = verified_drawings(folder, folder.parent / "labels.csv", manifest)
    save_drawing(folder / "2.png", seed=99)
    with pytest.raises(ManifestError) as caught:
        verified_drawings(folder, folder.parent / "labels.csv", manifest)
    message = str(caught.value)
    expected = table.loc[table["file"] == "2.png", "sha256"].item()
    assert message.startswith("2.png: SHA-256 ") and expected in message
    assert f"delete {manifest}" in message and "restore the original" in message


def test_labels_and_files_must_match(folder):
    (folder.parent / "labels.csv").write_text("number,label\n1,Raphael\n2,Raphael\n")
    with pytest.raises(ValueError, match=r"no label for drawings \[3\]"):
        verified_drawings(folder, folder.parent / "labels.csv", folder.parent / "m")
    (folder.parent / "labels.csv").write_text("number,label\n1,Raphael\n2,Raphael\n3,Raphael\n4,Disputed\n")
    with pytest.raises(ValueError, match=r"drawings \[4\] have no file"):
        verified_drawings(folder, folder.parent / "labels.csv", folder.parent / "m")
    assert not (folder.parent / "m").exists(), "no manifest is recorded for a folder that fails its checks"
