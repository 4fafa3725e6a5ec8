"""Atomic file output, hashing and the readers of our own file formats, shared by every stage."""

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


class InputError(ValueError):
    """A file given to a command cannot be used; the message names the file and what to do.

    The ``dlrepro`` command turns it into one line on stderr and exit status 1.
    """


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


def read_json(path: str | os.PathLike) -> dict:
    """A JSON object written by an earlier step; :class:`InputError` when the file holds none."""
    try:
        record = json.loads(Path(path).read_bytes())
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        raise InputError(f"{path}: not JSON ({err}); rebuild it with the step that writes it") from None
    if not isinstance(record, dict):
        raise InputError(f"{path}: holds a JSON {type(record).__name__}, not an object; rebuild it")
    return record


def read_parquet_table(path: str | os.PathLike, **options):
    """``pyarrow.parquet.read_table(path, **options)``; :class:`InputError` when it is no Parquet file."""
    import pyarrow as pa  # here: the stages that write only JSON need not load pyarrow
    import pyarrow.parquet as pq

    try:
        return pq.read_table(path, **options)
    except (pa.ArrowException, OSError) as err:
        raise InputError(f"{path}: not a readable Parquet file ({err}); rebuild it with the step that writes it") from None


def require_columns(path: str | os.PathLike, names, wanted) -> None:
    """:class:`InputError` naming ``path`` unless the columns ``names`` include all of ``wanted``."""
    missing = [name for name in wanted if name not in names]
    if missing:
        raise InputError(f"{path}: no column {', '.join(missing)} (has {', '.join(map(str, names))}); "
                         "rebuild it with the step that writes it")


def read_csv_table(path: str | os.PathLike, columns, what: str):
    """A CSV table with at least ``columns``; :class:`InputError` naming ``path`` and ``what`` writes it otherwise."""
    import pandas as pd

    try:
        table = pd.read_csv(path)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as err:
        raise InputError(f"{path}: not a table of {what} ({err}); rerun {what}") from err
    missing = [column for column in columns if column not in table]
    if missing:
        raise InputError(f"{path}: no columns {', '.join(missing)}; not a table of {what}")
    return table


def write_json(obj, path: str | os.PathLike) -> None:
    """Write ``obj`` as indented JSON, atomically."""
    with atomic_output(path) as tmp:
        tmp.write_text(json.dumps(obj, indent=2, sort_keys=True) + "\n")


def write_csv(table, path: str | os.PathLike) -> None:
    """Write a pandas ``table`` as CSV without its index, atomically."""
    with atomic_output(path) as tmp:
        table.to_csv(tmp, index=False)


def sha256_file(path: str | os.PathLike, chunk_size: int = 1 << 20) -> str:
    """Hex SHA-256 of a file, read in chunks so large archives need little memory."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(chunk_size):
            digest.update(chunk)
    return digest.hexdigest()
