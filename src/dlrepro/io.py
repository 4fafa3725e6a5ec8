"""Atomic file output and hashing shared by every stage."""

from __future__ import annotations

import contextlib
import glob
import hashlib
import json
import os
import re
import uuid
from collections.abc import Iterator
from pathlib import Path


# the random part of a temporary's name: ours (uuid4 hex) or tempfile.mkstemp's of earlier versions
TEMPORARY_TAG = "(?:[0-9a-f]{32}|[a-z0-9_]{8})"


@contextlib.contextmanager
def atomic_output(path: str | os.PathLike) -> Iterator[Path]:
    """Yield a temporary path next to ``path``; rename it onto ``path`` only on success.

    A crash or an exception leaves neither a partial file nor a changed ``path`` behind,
    so a failed run never destroys a good earlier result. Temporaries of ``path`` left by a
    killed earlier writer (a kill skips the clean-up) are removed first: Snakemake runs one job
    per output at a time, so no live writer owns them.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = re.compile(rf"\.{re.escape(path.name)}\.{TEMPORARY_TAG}\.part")
    for stale in path.parent.glob(f".{glob.escape(path.name)}.*.part"):
        if temporary.fullmatch(stale.name):
            stale.unlink(missing_ok=True)
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.part")
    # created by the kernel with mode 0o666 less the umask: outputs are as readable as any file,
    # without reading the umask (os.umask sets it, a race between threads)
    os.close(os.open(tmp, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o666))
    try:
        yield tmp
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def write_json(obj, path: str | os.PathLike) -> None:
    """Write ``obj`` as indented JSON, atomically."""
    with atomic_output(path) as tmp:
        tmp.write_text(json.dumps(obj, indent=2, sort_keys=True) + "\n")


def sha256_file(path: str | os.PathLike, chunk_size: int = 1 << 20) -> str:
    """Hex SHA-256 of a file, read in chunks so large archives need little memory."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(chunk_size):
            digest.update(chunk)
    return digest.hexdigest()
