"""Where each public dataset lives, and the SHA-256 every raw file must have."""

from __future__ import annotations

import string
from dataclasses import dataclass
from pathlib import Path

from dlrepro.io import InputError


@dataclass(frozen=True)
class RawFile:
    name: str
    url: str
    sha256: str


@dataclass(frozen=True)
class Source:
    """A downloadable dataset: its raw files and the reader that turns them into arrays."""

    name: str
    reader: str
    classes: tuple[str, ...]
    files: tuple[RawFile, ...]

    def file(self, name: str) -> RawFile:
        for raw in self.files:
            if raw.name == name:
                return raw
        known = ", ".join(f.name for f in self.files)
        raise KeyError(f"{self.name} has no raw file {name!r} (known: {known})")


def _idx_files(base_url: str, sha256: dict[str, str]) -> tuple[RawFile, ...]:
    return tuple(RawFile(name, f"{base_url}/{name}", digest) for name, digest in sha256.items())


# SHA-256 of the official files, as published by TensorFlow Datasets and Keras and checked
# against the byte-identical copies we hold.
SOURCES: dict[str, Source] = {
    "mnist": Source(
        name="mnist",
        reader="idx",
        classes=tuple(str(d) for d in range(10)),
        files=_idx_files(
            "https://ossci-datasets.s3.amazonaws.com/mnist",
            {
                "train-images-idx3-ubyte.gz": "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609",
                "train-labels-idx1-ubyte.gz": "3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c",
                "t10k-images-idx3-ubyte.gz": "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6",
                "t10k-labels-idx1-ubyte.gz": "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6",
            },
        ),
    ),
    "fashion-mnist": Source(
        name="fashion-mnist",
        reader="idx",
        classes=("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
                 "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"),
        files=_idx_files(
            "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com",
            {
                "train-images-idx3-ubyte.gz": "3aede38d61863908ad78613f6a32ed271626dd12800ba2636569512369268a84",
                "train-labels-idx1-ubyte.gz": "a04f17134ac03560a47e3764e11b92fc97de4d1bfaf8ba1a3aa29af54cc90845",
                "t10k-images-idx3-ubyte.gz": "346e55b948d973a97e58d2351dde16a484bd415d4595297633bb08f03db6a073",
                "t10k-labels-idx1-ubyte.gz": "67da17c76eaffca5446c3361aaab5c3cd6d1c2608764d35dfb1850b086bf8dd5",
            },
        ),
    ),
    "cifar10": Source(
        name="cifar10",
        reader="cifar10",
        classes=("airplane", "automobile", "bird", "cat", "deer",
                 "dog", "frog", "horse", "ship", "truck"),
        files=(
            RawFile(
                "cifar-10-python.tar.gz",
                "https://www.cs.toronto.edu/~kriz/cifar-10-python.tar.gz",
                "6d958be074577803d12ecdefd02955f39262c83c16fe9348329d7fe0b5c001ce",
            ),
        ),
    ),
    # The six actors and six actresses of the course assignment (a subset of the FaceScrub
    # lists); pinned to the copies in ../shared/data. The actresses file is truncated
    # mid-row in every public copy. FaceScrub itself: http://vintage.winklerbros.net/facescrub.html
    "facescrub": Source(
        name="facescrub",
        reader="facescrub",
        classes=(),
        files=(
            RawFile(
                "facescrub_actors.txt",
                "http://www.cs.toronto.edu/~guerzhoy/411/proj1/facescrub_actors.txt",
                "c68cfcae4e1ce89cccb3fe25ac5123c28a592882cf42c4a2845cbb880cf553b5",
            ),
            RawFile(
                "facescrub_actresses.txt",
                "http://www.cs.toronto.edu/~guerzhoy/411/proj1/facescrub_actresses.txt",
                "b19038c0fa42bfc0fd0de3eb0496dc8d67bf4b69d48a067adda5d74bdbd20e7a",
            ),
        ),
    ),
}


def read_manifest(path: str | Path) -> dict[str, str]:
    """Parse a ``sha256sum``-style manifest into {relative path: digest} (leading ``./`` dropped)."""
    digests: dict[str, str] = {}
    try:
        lines = Path(path).read_text().splitlines()
    except UnicodeDecodeError:
        raise InputError(f"{path}: not a text file; give a sha256sum-style manifest ('<sha256>  <file>' lines)") from None
    for line_no, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        parts = line.split(maxsplit=1)
        if len(parts) != 2 or len(parts[0]) != 64 or not all(c in string.hexdigits for c in parts[0]):
            raise InputError(f"{path}:{line_no}: expected '<sha256>  <file>', got {line[:80]!r}")
        digests[parts[1].lstrip("*").removeprefix("./")] = parts[0].lower()
    return digests


def expected_sha256(source: str, filename: str, manifest: str | Path | None = None) -> str:
    """The digest ``filename`` must have: from ``manifest`` when given, else the pinned one.

    A manifest written over a whole mirror tree lists ``<source>/<file>`` (MNIST and
    Fashion-MNIST share file names); one written in a source's own folder lists ``<file>``.
    """
    if manifest is not None:
        digests = read_manifest(manifest)
        for key in (f"{source}/{filename}", filename):
            if key in digests:
                return digests[key]
        raise KeyError(f"{manifest} lists no SHA-256 for {source}/{filename}; add a line for it")
    return SOURCES[source].file(filename).sha256


def source_url(source: str, filename: str, mirror: str | None = None) -> str:
    """URL of a raw file; ``mirror`` (a folder or URL prefix) replaces the official host.

    A mirror holds ``<mirror>/<source>/<file>``, the layout of ``../shared/data``.
    """
    raw = SOURCES[source].file(filename)
    if not mirror:
        return raw.url
    return f"{mirror.rstrip('/')}/{source}/{filename}"
