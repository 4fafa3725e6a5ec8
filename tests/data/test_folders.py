import tarfile
import zipfile

import numpy as np
import pytest
from PIL import Image

from dlrepro.data.dataset import load_dataset
from dlrepro.data.folders import (
    FolderSettings,
    fit_image,
    image_names,
    prepare_image_folder,
    scan_tree,
    stratified_split,
    tree_layout,
)
from dlrepro.data.manifest import ManifestError
from tests.conftest import SHARED_DATA

# one class per format, named as users name folders: spaces, dots, non-ASCII letters
COLOURS = {"red jpeg": (200, 30, 30), "j. m. w. png": (30, 200, 30), "Café Müller tiff": (30, 30, 200),
           "bmp": (200, 200, 30), "gif": (30, 200, 200)}


def save(path, colour, size=(12, 8), fmt=None, **kwargs):
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", size, colour).save(path, fmt, **kwargs)


@pytest.fixture
def tree(tmp_path):
    """Five classes of three images each, one format per class, plus files that must be skipped."""
    root = tmp_path / "tree"
    for i in range(3):
        save(root / "red jpeg" / f"{i}.jpg", COLOURS["red jpeg"])
        save(root / "j. m. w. png" / f"{i}.png", COLOURS["j. m. w. png"])
        save(root / "bmp" / f"{i}.BMP", COLOURS["bmp"], fmt="BMP")
        # 16-bit grayscale and multi-page TIFF: the first page at full scale
        sixteen = Image.fromarray(np.full((8, 12), 65535 * (i + 1) // 4, dtype=np.uint16))
        first = Image.new("RGB", (12, 8), COLOURS["Café Müller tiff"])
        tiff = root / "Café Müller tiff" / f"{i}.tif"
        tiff.parent.mkdir(parents=True, exist_ok=True)
        if i == 0:
            sixteen.save(tiff)
        else:
            first.save(tiff, save_all=True, append_images=[Image.new("RGB", (12, 8), (0, 0, 0))])
        frames = [Image.new("RGB", (12, 8), COLOURS["gif"]), Image.new("RGB", (12, 8), (255, 255, 255))]
        (root / "gif").mkdir(exist_ok=True)
        frames[0].save(root / "gif" / f"{i}.gif", save_all=True, append_images=frames[1:])
    save(root / "red jpeg" / ".hidden.jpg", (0, 0, 0))
    save(root / ".thumbnails" / "x.png", (0, 0, 0))
    (root / "gif" / ".DS_Store").write_bytes(b"\0\0")
    (root / "bmp" / "notes.txt").write_text("not an image")
    return root


def archive(tree, path):
    """``tree`` packed under its own name, as people archive folders."""
    if path.suffix == ".zip":
        with zipfile.ZipFile(path, "w") as packed:
            for file in sorted(tree.rglob("*")):
                packed.write(file, f"{tree.name}/{file.relative_to(tree)}")
    else:
        with tarfile.open(path, "w:gz") as packed:
            packed.add(tree, arcname=tree.name)
    return path


def prepare(tree, tmp_path, settings=FolderSettings(size=8), limits=None, name="out"):
    return prepare_image_folder(tree, tmp_path / name, tmp_path / f"{name}.sha256", settings, limits or {}, seed=0)


def test_every_format_and_class_name_is_read_and_other_files_are_counted(tree, tmp_path):
    summary = prepare(tree, tmp_path)
    assert summary.classes == sorted(COLOURS) and summary.images == 15
    assert summary.skipped == {"hidden": 3, "not an image": 1}
    dataset = load_dataset(tmp_path / "out")
    assert dataset.images.shape == (15, 8, 8, 3) and dataset.classes == sorted(COLOURS)
    labels = dataset.index["label"].to_numpy()
    centre = dataset.images[:, 4, 4].astype(int)
    for label, name in enumerate(dataset.classes):
        if name != "Café Müller tiff":  # JPEG is lossy: colours within a few levels
            assert np.abs(centre[labels == label] - COLOURS[name]).max() <= 6, name
    tiffs = centre[labels == dataset.classes.index("Café Müller tiff")]
    # the 16-bit page at 1/4 of full scale is 64 in 8 bits; multi-page files give their first page
    assert sorted(map(tuple, tiffs)) == [(30, 30, 200), (30, 30, 200), (64, 64, 64)]


def test_class_folders_may_be_links(tree, tmp_path):
    (tmp_path / "linked").mkdir()
    for folder in tree.iterdir():
        (tmp_path / "linked" / folder.name).symlink_to(folder)
    assert image_names(tmp_path / "linked") == image_names(tree) and len(image_names(tree)) == 15


def test_archives_give_the_same_dataset_as_the_folder(tree, tmp_path):
    prepare(tree, tmp_path)
    folder = load_dataset(tmp_path / "out")
    for suffix in (".tar.gz", ".zip"):
        summary = prepare(archive(tree, tmp_path / f"tree{suffix}"), tmp_path, name=suffix)
        packed = load_dataset(tmp_path / suffix)
        assert summary.skipped == {"hidden": 3, "not an image": 1}
        assert packed.classes == folder.classes and np.array_equal(packed.images, folder.images)
        assert packed.index.equals(folder.index)
        assert "tree/Café Müller tiff/0.tif" in (tmp_path / f"{suffix}.sha256").read_text()


def test_the_manifest_is_written_once_then_a_changed_or_added_image_stops_the_run(tree, tmp_path):
    before = {p: p.read_bytes() for p in tree.rglob("*") if p.is_file()}
    assert prepare(tree, tmp_path).manifest_written
    manifest = tmp_path / "out.sha256"
    assert manifest.read_text().count("\n") == 15 and "gif/0.gif" in manifest.read_text()
    assert not prepare(tree, tmp_path).manifest_written
    save(tree / "bmp" / "1.BMP", (0, 0, 0), fmt="BMP")
    with pytest.raises(ManifestError, match=r"^bmp/1.BMP: SHA-256 \w+ differs from") as caught:
        prepare(tree, tmp_path)
    assert f"the image changed since it was recorded: restore the original images, or delete {manifest}" in str(
        caught.value)
    (tree / "bmp" / "1.BMP").write_bytes(before[tree / "bmp" / "1.BMP"])
    save(tree / "gif" / "new.png", (1, 2, 3))
    with pytest.raises(ManifestError, match=f"^gif/new.png: not in the manifest {manifest}"):
        prepare(tree, tmp_path)


def test_no_manifest_and_no_dataset_are_written_for_a_tree_that_fails(tree, tmp_path):
    (tree / "bmp" / "2.BMP").write_bytes(b"BM truncated")
    with pytest.raises(ValueError, match="bmp/2.BMP: not a readable image"):
        prepare(tree, tmp_path)
    assert not (tmp_path / "out.sha256").exists() and not (tmp_path / "out").exists()


def test_images_of_other_sizes_need_a_size(tree, tmp_path):
    save(tree / "bmp" / "3.bmp", (1, 2, 3), size=(5, 5), fmt="BMP")
    with pytest.raises(ValueError, match=r"bmp/3.bmp: 5x5 pixels, but .* has 12x8; give a size"):
        prepare(tree, tmp_path, FolderSettings(size=None))


def test_split_folders_are_kept_and_misplaced_images_named(tmp_path):
    root = tmp_path / "release" / "cifar"
    for split, n in (("train", 4), ("test", 2)):
        for name in ("cat", "dog"):
            for i in range(n):
                save(root / split / name / f"{i}.png", (i, 0, 0))
    names = image_names(tmp_path / "release")
    split, classes = tree_layout(names, tmp_path / "release")
    assert names[0] == "cifar/test/cat/0.png" and list(split).count("train") == 8 and set(classes) == {"cat", "dog"}
    summary = prepare(tmp_path / "release", tmp_path, limits={"train": 4})
    assert summary.split_counts == {"train": 4, "val": 0, "test": 4}
    assert load_dataset(tmp_path / "out").split("train")[1]["label"].tolist() == [0, 0, 1, 1]
    save(root / "train" / "stray.png", (0, 0, 0))
    with pytest.raises(ValueError, match=r"train/stray.png: not in the tree's layout \(<split>/<class>/<file>"):
        scan_and_layout(tmp_path / "release")


def scan_and_layout(path):
    return tree_layout(sorted(scan_tree(path).hashes), path)


def test_a_tree_needs_images_in_at_least_two_class_folders(tmp_path):
    (tmp_path / "empty" / "a").mkdir(parents=True)
    (tmp_path / "empty" / "a" / "readme.txt").write_text("x")
    with pytest.raises(ValueError, match="empty: no images"):
        scan_tree(tmp_path / "empty")
    save(tmp_path / "one" / "cat" / "0.png", (0, 0, 0))
    with pytest.raises(ValueError, match=r"one class folder \(cat\)"):
        scan_and_layout(tmp_path / "one")


def flat_images(root, colours):
    """Images of one colour each, all in one folder (the layout of a dataset that ships a labels CSV)."""
    for name, colour in colours.items():
        save(root / "images" / name, colour)


def test_a_labels_csv_gives_the_classes_and_splits_and_is_pinned_by_the_manifest(tmp_path):
    flat_images(tmp_path / "flat", {"a.png": (250, 0, 0), "b.png": (0, 250, 0), "c.png": (250, 0, 0),
                                    "d.png": (0, 250, 0), "unlisted.png": (0, 0, 250)})
    labels = tmp_path / "labels.csv"
    labels.write_text("file,label,split\na.png,bad,train\nimages/b.png,good,train\nc.png,bad,test\n"
                      "d.png,good,test\n")
    summary = prepare_image_folder(tmp_path / "flat", tmp_path / "out", tmp_path / "m.sha256", FolderSettings(),
                                   {}, seed=0, labels_csv=labels)
    assert summary.classes == ["bad", "good"] and summary.split_counts == {"train": 2, "val": 0, "test": 2}
    assert summary.skipped["not labelled"] == 1
    dataset = load_dataset(tmp_path / "out")
    red = dataset.images[:, 0, 0, 0] > 200
    assert (dataset.index["label"].to_numpy()[red] == 0).all() and red.sum() == 2
    assert "labels.csv" in (tmp_path / "m.sha256").read_text()
    labels.write_text(labels.read_text().replace("c.png,bad", "c.png,good"))
    with pytest.raises(ManifestError, match="^labels.csv: SHA-256"):
        prepare_image_folder(tmp_path / "flat", tmp_path / "out", tmp_path / "m.sha256", FolderSettings(), {},
                             seed=0, labels_csv=labels)


@pytest.mark.parametrize("text, message", [
    ("file,class\na.png,x\n", "no label column .* a labels CSV has the columns file, label"),
    ("file,label\na.png,x\nz.png,y\n", "1 listed files are not images of .* \\(first: z.png\\)"),
    ("file,label\na.png,x\nimages/a.png,y\n", "images/a.png is listed more than once"),
    ("file,label,split\na.png,x,train\nb.png,y,holdout\n", "split 'holdout' is not one of train, val, test"),
    ("file,label\na.png,x\nb.png,x\n", "one class \\(x\\)"),
])
def test_a_labels_csv_that_does_not_fit_the_images_is_named(tmp_path, text, message):
    flat_images(tmp_path / "flat", {"a.png": (250, 0, 0), "b.png": (0, 250, 0)})
    (tmp_path / "labels.csv").write_text(text)
    with pytest.raises(ValueError, match=f"labels.csv: {message}"):
        prepare_image_folder(tmp_path / "flat", tmp_path / "out", tmp_path / "m.sha256", FolderSettings(), {},
                             seed=0, labels_csv=tmp_path / "labels.csv")
    assert not (tmp_path / "m.sha256").exists()


def test_stratified_split_takes_each_class_share_reproducibly():
    labels = np.repeat([0, 1, 2], [10, 20, 40])
    split = stratified_split(labels, 0.1, 0.2, seed=3)
    for label, n in ((0, 10), (1, 20), (2, 40)):
        counts = {name: int((split[labels == label] == name).sum()) for name in ("train", "val", "test")}
        assert counts == {"train": n - round(0.1 * n) - round(0.2 * n), "val": round(0.1 * n), "test": round(0.2 * n)}
    assert np.array_equal(split, stratified_split(labels, 0.1, 0.2, seed=3))
    assert not np.array_equal(split, stratified_split(labels, 0.1, 0.2, seed=4))


@pytest.mark.parametrize("fit, expected_rows", [("pad", [0, 1, 1, 0]), ("crop", [1, 1, 1, 1]), ("resize", [1, 1, 1, 1])])
def test_fit_modes_pad_crop_or_stretch_to_the_square(fit, expected_rows):
    wide = np.ones((4, 8, 1), dtype=np.float32)  # 8 wide, 4 high
    fitted = fit_image(wide, FolderSettings(size=4, channels=3, fit=fit))
    assert fitted.shape == (4, 4, 3)
    assert np.round(fitted[:, 2, 0]).tolist() == expected_rows


def test_settings_are_checked():
    with pytest.raises(ValueError, match="leave some training images"):
        FolderSettings(val_fraction=0.5, test_fraction=0.5)
    with pytest.raises(ValueError, match="fit must be one of resize, pad, crop"):
        FolderSettings(fit="squash")


ART = SHARED_DATA / "art_data"
CIFAR = SHARED_DATA / "cifar-10-jpeg" / "cifar10-jpeg.tar.gz"


@pytest.mark.skipif(not ART.is_dir(), reason=f"{ART} (the 451 paintings of 11 artists) is absent")
def test_the_real_paintings_of_eleven_artists(tmp_path):
    summary = prepare(ART, tmp_path, FolderSettings(size=50, fit="pad", val_fraction=0.1, test_fraction=0.2))
    assert summary.images == 451 and len(summary.classes) == 11 and "j. m. w. turner" in summary.classes
    dataset = load_dataset(tmp_path / "out")
    per_class = dataset.index.groupby("label").size()
    assert per_class[summary.classes.index("claude monet")] == 54 and per_class.sum() == 451
    assert dataset.images.shape == (451, 50, 50, 3)
    assert summary.split_counts == {"train": 315, "val": 45, "test": 91}


@pytest.mark.skipif(not CIFAR.is_file(), reason=f"{CIFAR} (CIFAR-10 as a JPEG tree) is absent")
def test_the_cifar10_jpeg_archive_has_5000_train_and_1000_test_images_per_class():
    names = sorted(scan_tree(CIFAR).hashes)
    split, class_of = tree_layout(names, CIFAR)
    assert len(names) == 60_000 and len(set(class_of)) == 10
    pairs, counts = np.unique(np.char.add(split.astype(str), np.array(class_of)), return_counts=True)
    assert dict(zip(pairs, counts)) == {f"{s}{c}": n for s, n in (("train", 5000), ("test", 1000))
                                        for c in set(class_of)}
