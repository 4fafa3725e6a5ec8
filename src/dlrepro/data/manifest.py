"""A SHA-256 manifest that pins a user's own files: written on first use, checked on every later run.

User-supplied data (the S2 drawings, image-folder datasets) has no published checksum; the
manifest records the files as first seen, so a later run stops, naming the file, when one was
changed, added or removed, instead of silently computing on other data. It is in ``sha256sum``
format, so ``sha256sum -c`` in the data folder checks it too.
"""

from __future__ import annotations

from pathlib import Path

from dlrepro.data.sources import read_manifest
from dlrepro.io import atomic_output


class ManifestError(ValueError):
    """The files on disk are not the ones the manifest recorded."""


def write_manifest(path: str | Path, hashes: dict[str, str]) -> None:
    """One ``<sha256>  <name>`` line per file, sorted by name."""
    with atomic_output(path) as tmp:
        tmp.write_text("".join(f"{digest}  {name}\n" for name, digest in sorted(hashes.items())))


def check_manifest(hashes: dict[str, str], manifest: str | Path, noun: str) -> None:
    """Raise :class:`ManifestError` naming the first file whose hash, or presence, differs.

    ``noun`` says what the files are in the messages ("drawing", "image").
    """
    recorded = read_manifest(manifest)
    fix = f"restore the original {noun}s, or delete {manifest} to record the files as they are now"
    for name, actual in sorted(hashes.items()):
        if name not in recorded:
            raise ManifestError(f"{name}: not in the manifest {manifest}; {fix}")
        if recorded[name] != actual:
            raise ManifestError(
                f"{name}: SHA-256 {actual} differs from {recorded[name]} recorded in {manifest}; "
                f"the {noun} changed since it was recorded: {fix}"
            )
    absent = sorted(set(recorded) - set(hashes))
    if absent:
        raise ManifestError(f"{absent[0]}: recorded in the manifest {manifest} but not among the {noun}s; {fix}")


def record_or_check(hashes: dict[str, str], manifest: str | Path, noun: str) -> bool:
    """Write ``manifest`` when it does not exist yet, else check ``hashes`` against it; True when written."""
    written = not Path(manifest).exists()
    if written:
        write_manifest(manifest, hashes)
    else:
        check_manifest(hashes, manifest, noun)
    return written
