import numpy as np
import pandas as pd
import pytest

from dlrepro.data.captions import (
    END, PAD, SPECIALS, STANDIN_NAME, START, UNK, Vocabulary, build_caption_dataset, flickr8k_captions,
    load_caption_dataset, standin_dataset, tokenise,
)
from dlrepro.data.manifest import ManifestError
from dlrepro.io import InputError
from dlrepro.report.captions import S13_STANDIN
from tests.data.flickr8k_folder import make_flickr8k

STANDIN = {"n_train": 6, "n_val": 2, "n_test": 3, "captions_per_image": 3}


def settings(flickr8k=None, **overrides):
    return {"flickr8k": flickr8k, "manifest": None, "size": 16, "max_train": None, "max_val": None,
            "max_test": None, "standin": STANDIN} | overrides


def test_tokeniser_and_vocabulary_round_trip():
    text = "A dog's ball, 2 children: jumping!"
    words = tokenise(text)
    assert words == ["a", "dog's", "ball", "2", "children", "jumping"]
    vocabulary = Vocabulary.build([words], min_count=1)
    ids = vocabulary.encode(words, max_length=10)
    assert ids[0] == START and ids[len(words) + 1] == END and ids[len(words) + 2:] == [PAD] * 4
    assert vocabulary.decode(ids) == words


def test_vocabulary_keeps_words_seen_min_count_times_and_maps_the_rest_to_unk():
    vocabulary = Vocabulary.build([["a", "dog"], ["a", "cat"], ["a", "dog"]], min_count=2)
    assert vocabulary.words == SPECIALS + ("a", "dog")
    ids = vocabulary.encode(["a", "cat", "dog", "runs"], max_length=3)
    assert ids == [START, 4, UNK, 5, END]  # cut to three words
    assert vocabulary.decode(ids) == ["a", "<unk>", "dog"]


def test_standin_scenes_are_seeded_and_captioned_by_what_they_show():
    images, table = standin_dataset(STANDIN, 24, seed=3)
    again, same = standin_dataset(STANDIN, 24, seed=3)
    other, _ = standin_dataset(STANDIN, 24, seed=4)
    assert images.shape == (11, 24, 24, 3) and images.dtype == np.uint8
    assert np.array_equal(images, again) and same.equals(table) and not np.array_equal(images, other)
    assert table.groupby("image").size().eq(3).all()
    assert table.drop_duplicates("image")["split"].value_counts().to_dict() == {"train": 6, "test": 3, "val": 2}
    # every caption names two objects and a relation
    assert table["caption"].str.fullmatch(r"a (red|green|blue|yellow) (circle|square|triangle) .+").all()
    assert STANDIN_NAME == S13_STANDIN


def test_flickr8k_reader_keeps_the_listed_images_and_their_five_captions(tmp_path):
    files = make_flickr8k(tmp_path / "Flickr8k", {"train": 4, "val": 2, "test": 3})
    table = flickr8k_captions(tmp_path / "Flickr8k", tmp_path / "manifest.sha256")
    assert len(table) == 9 * 5 and table.groupby("file").size().eq(5).all()
    assert set(table[table["split"] == "test"]["file"]) == set(files["test"])
    assert "2258277193_586949ec62.jpg.1" not in set(table["file"])  # captioned, but in no list
    manifest = (tmp_path / "manifest.sha256").read_text()
    assert "Flicker8k_Dataset/" + files["train"][0] in manifest and "Flickr8k_text/Flickr8k.token.txt" in manifest


def test_flickr8k_dataset_subsets_resizes_and_writes_the_caption_dataset(tmp_path):
    make_flickr8k(tmp_path / "Flickr8k", {"train": 4, "val": 2, "test": 3}, text_folder=".")
    record = build_caption_dataset(settings(str(tmp_path / "Flickr8k"), max_train=2), 0, tmp_path / "out",
                                   tmp_path / "m.sha256")
    assert record["dataset"] == "flickr8k" and not record["standin"]
    assert record["images"] == {"train": 2, "val": 2, "test": 3}
    data = load_caption_dataset(tmp_path / "out")
    assert data.images.shape == (7, 16, 16, 3)
    assert sorted(data.captions["image"].unique()) == list(range(7))


@pytest.mark.parametrize("remove, named", [
    ("Flickr8k_text/Flickr8k.token.txt", "no Flickr8k.token.txt"),
    ("Flickr8k_text/Flickr_8k.testImages.txt", "no Flickr_8k.testImages.txt"),
    ("Flicker8k_Dataset/first-test", "listed in Flickr_8k.testImages.txt but missing"),
])
def test_flickr8k_reader_names_what_is_missing(tmp_path, remove, named):
    files = make_flickr8k(tmp_path / "Flickr8k", {"train": 2, "val": 1, "test": 2})
    (tmp_path / "Flickr8k" / remove.replace("first-test", files["test"][0])).unlink()
    with pytest.raises(InputError, match=named):
        flickr8k_captions(tmp_path / "Flickr8k", tmp_path / "manifest.sha256")
    assert not (tmp_path / "manifest.sha256").exists()


def test_flickr8k_reader_stops_when_an_image_changed_since_the_manifest(tmp_path):
    files = make_flickr8k(tmp_path / "Flickr8k", {"train": 2, "val": 1, "test": 2})
    flickr8k_captions(tmp_path / "Flickr8k", tmp_path / "manifest.sha256")
    changed = tmp_path / "Flickr8k" / "Flicker8k_Dataset" / files["train"][1]
    changed.write_bytes(changed.read_bytes() + b"\0")
    with pytest.raises(ManifestError, match=files["train"][1]):
        flickr8k_captions(tmp_path / "Flickr8k", tmp_path / "manifest.sha256")


def test_token_file_of_another_format_is_named(tmp_path):
    make_flickr8k(tmp_path / "Flickr8k", {"train": 1, "val": 1, "test": 1})
    (tmp_path / "Flickr8k" / "Flickr8k_text" / "Flickr8k.token.txt").write_text("image,caption\nx.jpg,a dog\n")
    with pytest.raises(InputError, match="Flickr8k.token.txt line 1"):
        flickr8k_captions(tmp_path / "Flickr8k", tmp_path / "manifest.sha256")


def test_standin_dataset_is_written_and_read_back(tmp_path):
    record = build_caption_dataset(settings(), 1, tmp_path)
    assert record == {"dataset": STANDIN_NAME, "standin": True, "size": 16,
                      "images": {"train": 6, "val": 2, "test": 3}, "captions": 33}
    data = load_caption_dataset(tmp_path)
    assert isinstance(data.captions, pd.DataFrame) and data.images.shape == (11, 16, 16, 3)
