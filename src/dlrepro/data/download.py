"""Fetch a raw file by URL, local path or ``file://`` and keep it only if its SHA-256 matches."""

from __future__ import annotations

import hashlib
import http.client
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar
from urllib.parse import urlparse

from dlrepro.io import atomic_output, sha256_file
from dlrepro.progress import progress_bar

T = TypeVar("T")
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


class DownloadError(OSError):
    """A raw file could not be fetched: a permanent error, or transient ones past the retries."""


def transient(err: BaseException) -> bool:
    """Whether asking again may help: a refused, dropped or timed-out connection, HTTP 429 or 5xx.

    A dead link (4xx, unknown host, missing mirror file) and wrong bytes are answers that stay.
    """
    if isinstance(err, urllib.error.HTTPError):
        return err.code == 429 or err.code >= 500
    if isinstance(err, urllib.error.URLError) and isinstance(err.reason, BaseException):
        err = err.reason
    return isinstance(err, (TimeoutError, ConnectionError, http.client.HTTPException))


def with_retries(request: Callable[[], T], retries: int, backoff: float) -> tuple[T | None, Exception | None, int]:
    """(result, None, requests made) once ``request`` succeeds, else (None, last error, requests made).

    Transient errors are retried ``retries`` times, ``backoff * 2**k`` seconds after the k-th;
    any other error ends at once.
    """
    attempt = 0
    while True:
        try:
            return request(), None, attempt + 1
        except (OSError, http.client.HTTPException, ValueError) as err:
            if isinstance(err, urllib.error.HTTPError):
                err.close()
            if not transient(err) or attempt == retries:
                return None, err, attempt + 1
        attempt += 1
        time.sleep(backoff * 2 ** (attempt - 1))


def check_complete(received: int, size: int | None) -> None:
    """Raise ``IncompleteRead`` when a body ended before its announced size: the connection dropped."""
    if size is not None and received < size:
        raise http.client.IncompleteRead(b"", size - received)


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


def _download(url: str, dest: Path, sha256: str, timeout: float) -> None:
    digest = hashlib.sha256()
    stream, size = _open(url, timeout)
    with atomic_output(dest) as tmp:
        with stream, open(tmp, "wb") as out, progress_bar(
            total=size, unit="B", unit_scale=True, desc=dest.name, mininterval=1.0
        ) as bar:
            received = 0
            while chunk := stream.read(1 << 20):
                digest.update(chunk)
                out.write(chunk)
                bar.update(len(chunk))
                received += len(chunk)
            check_complete(received, size)
        if digest.hexdigest() != sha256.lower():
            raise ChecksumError(checksum_message(url, sha256, digest.hexdigest()))


def fetch(url: str, dest: str | Path, sha256: str, timeout: float = 60.0, retries: int = 2,
          backoff: float = 5.0) -> Path:
    """Download ``url`` to ``dest`` and verify it against ``sha256``.

    The bytes go to a temporary file that is renamed onto ``dest`` only after the hash
    matches: a mismatch or a broken transfer leaves no file behind, and an existing
    ``dest`` is never touched (it is verified instead). A refused, dropped or timed-out
    transfer is tried again (see :func:`with_retries`); a hash mismatch is final at once.
    """
    dest = Path(dest)
    if dest.exists():
        verify_file(dest, sha256)
        return dest
    _, error, requests = with_retries(lambda: _download(url, dest, sha256, timeout), retries, backoff)
    if isinstance(error, FileNotFoundError):
        raise error
    if error is not None:
        tries = f" (tried {requests} times)" if requests > 1 else ""
        raise DownloadError(f"{url}: {error}{tries}; check the network or the 'mirror' setting") from error
    return dest
