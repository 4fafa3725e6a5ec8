"""Fetch a raw file by URL, local path or ``file://`` and keep it only if its SHA-256 matches."""

from __future__ import annotations

import hashlib
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

from dlrepro.io import atomic_output, sha256_file
from dlrepro.progress import progress_bar

USER_AGENT = "Mozilla/5.0 (X11; Linux x86_64) dlrepro/0.1"


class ChecksumError(RuntimeError):
    """A raw file's bytes are not the ones the pipeline pinned."""


def checksum_message(path: str | Path, expected: str, actual: str) -> str:
    return (
        f"{path}: SHA-256 mismatch (expected {expected}, got {actual}); "
        "the file is corrupt or not the official release: delete it and fetch it again, "
        "or point 'checksums' in the config at a manifest that lists this file"
    )


def verify_file(path: str | Path, expected: str) -> None:
    """Raise :class:`ChecksumError` unless ``path`` hashes to ``expected``."""
    actual = sha256_file(path)
    if actual != expected.lower():
        raise ChecksumError(checksum_message(path, expected, actual))


def _open(url: str, timeout: float):
    parsed = urlparse(url)
    if parsed.scheme in ("", "file"):
        local = Path(parsed.path if parsed.scheme else url)
        if not local.is_file():
            raise FileNotFoundError(f"{local}: no such file in the mirror; check the 'mirror' setting")
        return open(local, "rb"), local.stat().st_size
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    response = urllib.request.urlopen(request, timeout=timeout)
    size = response.headers.get("Content-Length")
    return response, int(size) if size else None


def fetch(url: str, dest: str | Path, sha256: str, timeout: float = 60.0) -> Path:
    """Download ``url`` to ``dest`` and verify it against ``sha256``.

    The bytes go to a temporary file that is renamed onto ``dest`` only after the hash
    matches: a mismatch or a broken transfer leaves no file behind, and an existing
    ``dest`` is never touched (it is verified instead).
    """
    dest = Path(dest)
    if dest.exists():
        verify_file(dest, sha256)
        return dest
    digest = hashlib.sha256()
    stream, size = _open(url, timeout)
    with atomic_output(dest) as tmp:
        with stream, open(tmp, "wb") as out, progress_bar(
            total=size, unit="B", unit_scale=True, desc=dest.name, mininterval=1.0
        ) as bar:
            while chunk := stream.read(1 << 20):
                digest.update(chunk)
                out.write(chunk)
                bar.update(len(chunk))
        if digest.hexdigest() != sha256.lower():
            raise ChecksumError(checksum_message(url, sha256, digest.hexdigest()))
    return dest
