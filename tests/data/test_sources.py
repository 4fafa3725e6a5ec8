import pytest

from dlrepro.data.sources import SOURCES, expected_sha256, read_manifest, source_url
from tests.conftest import SHARED_DATA


def test_manifest_keys_are_relative_paths(tmp_path):
    manifest = tmp_path / "SHA256SUMS"
    manifest.write_text("a" * 64 + "  ./mnist/t10k-labels-idx1-ubyte.gz\n\n")
    assert read_manifest(manifest) == {"mnist/t10k-labels-idx1-ubyte.gz": "a" * 64}


def test_tree_manifest_tells_sources_with_the_same_file_names_apart(tmp_path):
    manifest = tmp_path / "SHA256SUMS"
    manifest.write_text("a" * 64 + "  ./fashion-mnist/t10k-labels-idx1-ubyte.gz\n" + "b" * 64 + "  ./mnist/t10k-labels-idx1-ubyte.gz\n")
    assert expected_sha256("fashion-mnist", "t10k-labels-idx1-ubyte.gz", manifest) == "a" * 64
    assert expected_sha256("mnist", "t10k-labels-idx1-ubyte.gz", manifest) == "b" * 64
    with pytest.raises(KeyError, match="lists no SHA-256 for cifar10/cifar-10-python.tar.gz"):
        expected_sha256("cifar10", "cifar-10-python.tar.gz", manifest)


def test_malformed_manifest_names_file_and_line(tmp_path):
    manifest = tmp_path / "SHA256SUMS"
    manifest.write_text("nothex  file.gz\n")
    with pytest.raises(ValueError, match=r"SHA256SUMS:1"):
        read_manifest(manifest)


def test_manifest_overrides_pinned_digest(tmp_path):
    manifest = tmp_path / "SHA256SUMS"
    manifest.write_text("b" * 64 + "  train-images-idx3-ubyte.gz\n")
    assert expected_sha256("mnist", "train-images-idx3-ubyte.gz", manifest) == "b" * 64
    assert expected_sha256("mnist", "train-images-idx3-ubyte.gz") == SOURCES["mnist"].file(
        "train-images-idx3-ubyte.gz"
    ).sha256


def test_mirror_replaces_host():
    assert source_url("mnist", "t10k-labels-idx1-ubyte.gz", "/data/mirror/") == "/data/mirror/mnist/t10k-labels-idx1-ubyte.gz"
    assert source_url("cifar10", "cifar-10-python.tar.gz").startswith("https://www.cs.toronto.edu/")


@pytest.mark.skipif(not SHARED_DATA.is_dir(), reason=f"{SHARED_DATA} is absent: no byte-identical official files to check pins against")
def test_pins_match_byte_identical_official_copies():
    """The shared copies marked byte-identical to the official files must hash to our pins."""
    identical = {
        "mnist": ["t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz", "train-labels-idx1-ubyte.gz"],
        "fashion-mnist": ["train-labels-idx1-ubyte.gz", "t10k-labels-idx1-ubyte.gz"],
    }
    lines = read_manifest(SHARED_DATA / "SHA256SUMS")
    for source, names in identical.items():
        for name in names:
            assert SOURCES[source].file(name).sha256 == lines[f"{source}/{name}"]
