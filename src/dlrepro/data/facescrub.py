"""FaceScrub: parse the face lists, fetch the listed photos, crop the faces into datasets.

A list is tab-separated without a header: name, image_id, face_id, url, bbox "x1,y1,x2,y2"
(pixels, x2/y2 exclusive), sha256 of the photo. Several faces may share one photo (same
image_id); each photo is fetched once. A photo is stored under ``<raw_dir>/images/`` only
after its SHA-256 matches the list, so the raw folder never holds a wrong or partial file and a
rerun reads it instead of the network. Photos that failed for good (4xx, unknown host, wrong
bytes: most FaceScrub links are dead) are remembered in ``<raw_dir>/failures.parquet`` and not
asked again unless ``retry_failed``; timeouts, refused or dropped connections, 429 and 5xx are
asked again on the next run.
"""

from __future__ import annotations

import hashlib
import http.client
import math
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

import numpy as np
import pandas as pd
from PIL import Image

from dlrepro.data.dataset import write_dataset
from dlrepro.data.download import check_complete, transient, with_retries
from dlrepro.io import atomic_output, read_parquet_table, require_columns, sha256_file
from dlrepro.progress import progress_bar

LIST_FIELDS = ("name", "image_id", "face_id", "url", "bbox", "sha256")

# Some photo hosts refuse urllib's default agent; a browser-like one is what the lists were
# collected with.
HEADERS = {
    "User-Agent": "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0",
    "Accept": "image/avif,image/webp,image/png,image/jpeg,image/*;q=0.8,*/*;q=0.5",
}
MAX_PHOTO_BYTES = 64 << 20
MAGIC_EXTENSIONS = ((b"\xff\xd8\xff", "jpg"), (b"\x89PNG", "png"), (b"GIF8", "gif"), (b"BM", "bmp"))
FAILURES = "failures.parquet"
# what cropping the kept faces reads of a manifest
MANIFEST_COLUMNS = ("name", "label", "face_id", "image_id", "status", "file", "x1", "y1", "x2", "y2")


def parse_list_row(line: str) -> dict:
    """One list row as a dict; ``ValueError`` says what is wrong with it."""
    fields = line.rstrip("\r\n").split("\t")
    if len(fields) != len(LIST_FIELDS):
        raise ValueError(f"{len(fields)} of {len(LIST_FIELDS)} tab-separated fields")
    name, image_id, face_id, url, bbox, sha256 = fields
    coords = bbox.split(",")
    if len(coords) != 4 or not all(c.strip().lstrip("-").isdigit() for c in coords):
        raise ValueError(f"bbox {bbox!r} is not 'x1,y1,x2,y2'")
    if len(sha256) != 64 or any(c not in "0123456789abcdefABCDEF" for c in sha256):
        raise ValueError(f"sha256 {sha256!r} is not 64 hex digits")
    if not (image_id.isdigit() and face_id.isdigit()):
        raise ValueError(f"image_id {image_id!r} / face_id {face_id!r} are not integers")
    x1, y1, x2, y2 = (int(c) for c in coords)
    return {"name": name.strip(), "image_id": int(image_id), "face_id": int(face_id), "url": url.strip(),
            "x1": x1, "y1": y1, "x2": x2, "y2": y2, "sha256": sha256.lower()}


def read_face_list(path: str | Path) -> tuple[pd.DataFrame, list[str]]:
    """Rows of one list file, and one message per malformed row that was skipped.

    Every public copy of the actresses list ends in the middle of a row, so a broken row is
    reported and skipped rather than fatal. A header row, present in some copies, is dropped.
    """
    path = Path(path)
    lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    rows, problems = [], []
    for line_no, line in enumerate(lines, start=1):
        if not line.strip() or (line_no == 1 and line.split("\t")[0].strip().lower() == "name"):
            continue
        try:
            rows.append(parse_list_row(line) | {"list": path.name, "line": line_no})
        except ValueError as err:
            where = "last row, the file is truncated" if line_no == len(lines) else "malformed row"
            problems.append(f"{path}:{line_no}: skipped ({where}: {err})")
    columns = ["list", "line", "name", "image_id", "face_id", "url", "x1", "y1", "x2", "y2", "sha256"]
    return pd.DataFrame(rows, columns=columns), problems


def select_people(faces: pd.DataFrame, people: list[str]) -> pd.DataFrame:
    """Rows of ``people`` in list order, with ``label`` = the person's position in ``people``."""
    missing = [p for p in people if p not in set(faces["name"])]
    if missing:
        known = ", ".join(sorted(set(faces["name"])))
        raise ValueError(f"people {missing} are not in the lists (they hold: {known})")
    label = {name: i for i, name in enumerate(people)}
    chosen = faces[faces["name"].isin(label)].copy()
    chosen.insert(3, "label", chosen["name"].map(label).astype(np.int64))
    return chosen.sort_values(["label", "list", "line"], kind="stable").reset_index(drop=True)


def mirrored_url(url: str, image_mirror: str | None) -> str:
    """``url`` served from ``image_mirror`` as ``<mirror>/<host>/<path>``, the layout of
    ``wget --mirror``; a mirror without a URL scheme is a local folder."""
    if not image_mirror:
        return url
    parts = urlsplit(url)
    relative = parts.netloc + parts.path + (f"?{parts.query}" if parts.query else "")
    if urlsplit(image_mirror).scheme in ("http", "https", "file"):
        return f"{image_mirror.rstrip('/')}/{relative}"
    return str(Path(image_mirror) / unquote(relative))


@dataclass
class Photo:
    """What fetching one listed photo gave: a verified file, or why not."""

    image_id: int
    file: str | None = None
    reason: str | None = None
    http_status: int | None = None
    requests: int = 0
    width: int | None = None
    height: int | None = None
    transient: bool = False  # the host may answer next time: not remembered as failed
    remembered: bool = False  # the failure was recorded by an earlier run and not asked again


def _get(url: str, timeout: float) -> tuple[bytes, int | None]:
    if urlsplit(url).scheme not in ("http", "https", "file"):
        local = Path(url)
        if not local.is_file():
            raise FileNotFoundError("not in the image mirror")
        return local.read_bytes(), None
    request = urllib.request.Request(url, headers=HEADERS)
    with urllib.request.urlopen(request, timeout=timeout) as response:
        body = response.read(MAX_PHOTO_BYTES + 1)
        if len(body) > MAX_PHOTO_BYTES:
            raise ValueError(f"larger than {MAX_PHOTO_BYTES >> 20} MiB")
        size = response.headers.get("Content-Length")
        check_complete(len(body), int(size) if size else None)
        return body, getattr(response, "status", None)


def failure_reason(err: Exception) -> tuple[str, int | None]:
    """(reason, HTTP status) of a failed request, as the manifest and the failure record say it."""
    if isinstance(err, urllib.error.HTTPError):
        return f"http {err.code}", err.code
    cause = err.reason if isinstance(err, urllib.error.URLError) else err
    if isinstance(cause, TimeoutError):
        return "timeout", None
    if isinstance(cause, ConnectionRefusedError):
        return "connection refused", None
    if isinstance(cause, (ConnectionError, http.client.HTTPException)):
        return f"connection dropped: {type(cause).__name__}", None
    if isinstance(err, urllib.error.URLError):
        return f"connection error: {err.reason}", None
    return str(err), None


def download(url: str, timeout: float, retries: int, backoff: float, photo: Photo) -> bytes | None:
    """The body of ``url``, or None; ``photo`` records the requests made, the HTTP status and why not.

    Refused, dropped or timed-out connections, 429 and 5xx are retried after ``backoff * 2**k``
    seconds and, if they persist, marked transient; other HTTP errors (404, 403, ...) and
    unknown hosts are final at once.
    """
    got, error, photo.requests = with_retries(lambda: _get(url, timeout), retries, backoff)
    if error is None:
        body, photo.http_status = got
        return body
    photo.reason, photo.http_status = failure_reason(error)
    photo.transient = transient(error)
    return None


def photo_extension(body: bytes) -> str:
    for magic, ext in MAGIC_EXTENSIONS:
        if body.startswith(magic):
            return ext
    return "bin"


def stored_photo(raw_dir: Path, image_id: int) -> Path | None:
    found = sorted((raw_dir / "images").glob(f"{image_id}.*"))
    return found[0] if found else None


def inspect_photo(path: Path) -> tuple[int, int]:
    """(width, height) of a photo that decodes completely; ``ValueError`` with the reason otherwise."""
    try:
        with Image.open(path) as image:
            image.load()
            return image.size
    except Image.UnidentifiedImageError:
        raise ValueError("not an image") from None
    except Image.DecompressionBombError:
        raise ValueError("image too large to decode safely") from None
    except (OSError, SyntaxError) as err:
        raise ValueError(f"truncated or corrupt image ({err})") from None


def obtain_photo(row: dict, raw_dir: Path, timeout: float, retries: int, backoff: float,
                 image_mirror: str | None) -> Photo:
    """The verified photo of ``row``: read from ``raw_dir`` when present, else fetched."""
    photo = Photo(int(row["image_id"]))
    path = stored_photo(raw_dir, photo.image_id)
    if path is not None and sha256_file(path) != row["sha256"]:
        photo.reason = f"stored copy {path} has another SHA-256: delete it to fetch again"
        return photo
    if path is None:
        body = download(mirrored_url(row["url"], image_mirror), timeout, retries, backoff, photo)
        if body is None:
            return photo
        if hashlib.sha256(body).hexdigest() != row["sha256"]:
            photo.reason = "sha256 mismatch"
            return photo
        path = raw_dir / "images" / f"{photo.image_id}.{photo_extension(body)}"
        with atomic_output(path) as tmp:
            tmp.write_bytes(body)
    photo.file = str(path.relative_to(raw_dir))
    try:
        photo.width, photo.height = inspect_photo(path)
    except ValueError as err:
        photo.reason = str(err)
    return photo


def face_box(row: dict) -> tuple[int, int, int, int]:
    return row["x1"], row["y1"], row["x2"], row["y2"]


def bbox_problem(box: tuple[int, int, int, int], width: int, height: int) -> str | None:
    x1, y1, x2, y2 = box
    if not (0 <= x1 < x2 <= width and 0 <= y1 < y2 <= height):
        return f"bbox {x1},{y1},{x2},{y2} outside the {width}x{height} image"
    return None


def read_failures(raw_dir: Path) -> dict[tuple[int, str, str], Photo]:
    path = raw_dir / FAILURES
    if not path.exists():
        return {}
    table = pd.read_parquet(path)
    return {
        (int(r.image_id), r.url, r.sha256): Photo(int(r.image_id), reason=r.reason, remembered=True,
                                                   http_status=None if pd.isna(r.http_status) else int(r.http_status))
        for r in table.itertuples()
    }


def write_failures(raw_dir: Path, failures: dict[tuple[int, str, str], Photo]) -> None:
    table = pd.DataFrame(
        [(key[0], key[1], key[2], p.reason, p.http_status) for key, p in failures.items()],
        columns=["image_id", "url", "sha256", "reason", "http_status"],
    ).astype({"image_id": "int64", "http_status": "Int64"})
    with atomic_output(raw_dir / FAILURES) as tmp:
        table.to_parquet(tmp, index=False)


@dataclass
class FetchSettings:
    workers: int = 16
    timeout: float = 10.0
    retries: int = 2
    backoff: float = 1.0
    image_mirror: str | None = None
    retry_failed: bool = False


def fetch_faces(faces: pd.DataFrame, faces_per_person: int, raw_dir: str | Path,
                settings: FetchSettings = FetchSettings()) -> pd.DataFrame:
    """Fetch photos until each person has ``faces_per_person`` usable faces; return the manifest.

    ``faces`` comes from :func:`select_people`. Each person's rows are tried in list order,
    in waves sized by the success rate so far, so the kept faces are the first usable ones
    of the list. The manifest has one row per face of the chosen people: ``status`` kept or
    skipped, ``reason`` (HTTP status, timeout, sha256 mismatch, not an image, bbox outside,
    surplus, not needed), the photo ``file`` relative to ``raw_dir``, ``requests`` made, and
    whether its failure may pass (``transient``) or was read from an earlier run (``remembered``).
    """
    raw_dir = Path(raw_dir)
    failures = {} if settings.retry_failed else read_failures(raw_dir)
    rows = faces.to_dict("records")
    by_person = {label: [i for i, r in enumerate(rows) if r["label"] == label] for label in sorted(faces["label"].unique())}
    photos: dict[int, Photo] = {}
    usable = np.zeros(len(rows), dtype=bool)
    considered = np.zeros(len(rows), dtype=bool)
    with ThreadPoolExecutor(max_workers=settings.workers) as pool:
        while True:
            wave = _next_wave(by_person, usable, considered, faces_per_person)
            if not wave:
                break
            considered[wave] = True
            _fetch_wave([rows[i] for i in wave], photos, failures, raw_dir, settings, pool)
            for i in wave:
                photo = photos[rows[i]["image_id"]]
                usable[i] = photo.reason is None and bbox_problem(face_box(rows[i]), photo.width, photo.height) is None
            write_failures(raw_dir, failures)
    return _manifest(faces, rows, photos, by_person, usable, considered, faces_per_person)


def _next_wave(by_person, usable, considered, target: int) -> list[int]:
    """Next untried rows of every person still short of ``target``, more when many failed."""
    tried = considered.sum()
    rate = min(1.0, max(0.2, (usable.sum() + 1) / (tried + 1))) if tried else 1.0
    wave = []
    for members in by_person.values():
        short = target - usable[members].sum()
        untried = [i for i in members if not considered[i]]
        if short > 0:
            wave += untried[: math.ceil(short / rate)]
    return wave


def _fetch_wave(wave_rows, photos, failures, raw_dir, settings: FetchSettings, pool) -> None:
    jobs = {}
    for row in wave_rows:
        key = (int(row["image_id"]), row["url"], row["sha256"])
        if key[0] in photos or key[0] in jobs:
            continue
        if key in failures and stored_photo(raw_dir, key[0]) is None:
            photos[key[0]] = failures[key]
            continue
        jobs[key[0]] = (key, pool.submit(obtain_photo, row, raw_dir, settings.timeout, settings.retries,
                                         settings.backoff, settings.image_mirror))
    futures = {future: key for key, future in jobs.values()}
    for future in progress_bar(as_completed(futures), total=len(futures), desc="photos", unit="photo", mininterval=1.0):
        key = futures[future]
        photo = photos[key[0]] = future.result()
        if photo.file is None and not photo.transient:
            failures[key] = photo


def _manifest(faces, rows, photos, by_person, usable, considered, target: int) -> pd.DataFrame:
    status = np.full(len(rows), "skipped", dtype=object)
    reason = np.full(len(rows), None, dtype=object)
    for members in by_person.values():
        kept = 0
        for i in members:
            photo = photos.get(rows[i]["image_id"])
            if not considered[i]:
                reason[i] = "not needed"
            elif not usable[i]:
                reason[i] = photo.reason or bbox_problem(face_box(rows[i]), photo.width, photo.height)
            elif kept < target:
                status[i], kept = "kept", kept + 1
            else:
                reason[i] = "surplus"
    manifest = faces.copy()
    manifest["status"], manifest["reason"] = status, reason

    def column(attr, dtype):
        values = [getattr(photos[r["image_id"]], attr) if considered[i] else None for i, r in enumerate(rows)]
        return pd.array(values, dtype=dtype)

    manifest["http_status"] = column("http_status", "Int64")
    manifest["requests"] = column("requests", "Int64")
    manifest["file"] = column("file", "string")
    manifest["width"] = column("width", "Int64")
    manifest["height"] = column("height", "Int64")
    manifest["transient"] = column("transient", "boolean").fillna(False)
    manifest["remembered"] = column("remembered", "boolean").fillna(False)
    # a photo shared by several faces is fetched once: count its requests on its first face only
    manifest.loc[manifest["image_id"].duplicated(), "requests"] = 0
    return manifest


def refetch_hint(manifest: pd.DataFrame) -> str:
    """How to fetch again the photos that failed for now or in an earlier run; empty when none did."""
    hints = []
    for column, hint in (
        ("transient", "failed for reasons that may pass (timeouts, refused or dropped connections, 429, 5xx): "
                      "once their hosts answer, fetch again (snakemake --forcerun facescrub_fetch)"),
        ("remembered", f"failed in an earlier run and were not asked for again (see {FAILURES}): set "
                       "facescrub.retry_failed: true (dlrepro facescrub fetch --retry-failed) to ask their hosts again"),
    ):
        if column not in manifest:  # a manifest of an earlier version
            continue
        photos = manifest.loc[manifest[column].astype(bool), "image_id"].nunique()
        if photos:
            hints.append(f"{photos} photos {hint}")
    return "; ".join(hints)


def write_manifest(manifest: pd.DataFrame, path: str | Path) -> None:
    with atomic_output(path) as tmp:
        manifest.to_parquet(tmp, index=False)


def read_face_manifest(path: str | Path) -> pd.DataFrame:
    """A manifest written by :func:`write_manifest`; :class:`InputError` naming ``path`` otherwise."""
    table = read_parquet_table(path)
    require_columns(path, table.column_names, MANIFEST_COLUMNS)
    return table.to_pandas()


def split_per_person(labels: np.ndarray, train_per_person: int, seed: int) -> np.ndarray:
    """``train``/``val``/``test`` per face: a seeded shuffle of each person's faces gives
    ``train_per_person`` to train (at most all but two) and halves the rest, val first.

    Each person draws from their own stream (seed, label), so adding a person or a face of
    someone else leaves a person's split unchanged.
    """
    split = np.empty(len(labels), dtype=object)
    for label in np.unique(labels):
        rows = np.flatnonzero(labels == label)
        order = rows[np.random.default_rng([seed, int(label)]).permutation(len(rows))]
        n_train = min(train_per_person, max(len(rows) - 2, 0))
        n_val = (len(rows) - n_train + 1) // 2
        split[order[:n_train]] = "train"
        split[order[n_train:n_train + n_val]] = "val"
        split[order[n_train + n_val:]] = "test"
    return split.astype(str)


def crop_face(path: Path, box: tuple[int, int, int, int], size: int, channels: int) -> np.ndarray:
    """The bbox of ``path`` resized to ``size`` x ``size`` (Lanczos), uint8 H x W x C.

    The box is stretched to a square as in the original assignment; grayscale is Pillow's
    ITU-R 601-2 luma.
    """
    with Image.open(path) as image:
        face = image.crop(box).convert("L" if channels == 1 else "RGB")
    face = face.resize((size, size), Image.Resampling.LANCZOS)
    return np.asarray(face, dtype=np.uint8).reshape(size, size, channels)


def write_face_dataset(manifest: pd.DataFrame, raw_dir: str | Path, out_dir: str | Path, size: int,
                       channels: int, train_per_person: int, seed: int) -> pd.DataFrame:
    """Crop every kept face of ``manifest`` into a dataset folder; return its split table.

    Dataset id ``i`` is the ``i``-th kept row of the manifest, so the datasets of every size
    share ids, labels and splits. The classes are the manifest's people in label order.
    """
    if channels not in (1, 3):
        raise ValueError(f"channels must be 1 (grayscale) or 3 (RGB), got {channels}")
    kept = manifest[manifest["status"] == "kept"].reset_index(drop=True)
    if kept.empty:
        hint = refetch_hint(manifest)
        raise ValueError("the manifest keeps no face: nothing to write" + (f"; {hint}" if hint else ""))
    raw_dir = Path(raw_dir)
    images = np.stack([
        crop_face(raw_dir / r.file, (r.x1, r.y1, r.x2, r.y2), size, channels)
        for r in progress_bar(kept.itertuples(), total=len(kept), desc=f"crop {size}", unit="face", mininterval=1.0)
    ])
    labels = kept["label"].to_numpy(np.int64)
    classes = manifest.drop_duplicates("label").sort_values("label")["name"].tolist()
    split = split_per_person(labels, train_per_person, seed)
    write_dataset(out_dir, images, labels, split, classes, group=labels)
    return kept.assign(split=split)[["name", "label", "face_id", "image_id", "split"]]
