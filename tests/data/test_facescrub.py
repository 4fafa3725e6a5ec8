"""FaceScrub acquisition over real HTTP: a local server plays the photo hosts of the list."""

from __future__ import annotations

import csv
import hashlib
import http.server
import io
import threading
from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from PIL import Image

from dlrepro.data.dataset import load_dataset
from dlrepro.data.facescrub import (
    FetchSettings,
    fetch_faces,
    mirrored_url,
    read_face_list,
    select_people,
    split_per_person,
    write_face_dataset,
)
from tests.conftest import SHARED_DATA

FACESCRUB = SHARED_DATA / "facescrub"


class PhotoHost(http.server.ThreadingHTTPServer):
    """Serves ``routes`` (path -> bytes or a behaviour) and counts every request per path."""

    daemon_threads = True

    def __init__(self, routes: dict):
        super().__init__(("127.0.0.1", 0), PhotoHandler)
        self.routes = routes
        self.hits: Counter = Counter()
        self.lock = threading.Lock()
        self.release = threading.Event()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}{path}"


class PhotoHandler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        server: PhotoHost = self.server
        with server.lock:
            server.hits[self.path] += 1
            hit = server.hits[self.path]
        route = server.routes.get(self.path)
        if route == "stall":
            server.release.wait(10)
            return
        if route == "flaky" and hit == 1:
            self.send_error(503)
            return
        if route == "flaky":
            route = server.routes["flaky-body"]
        if route == "dropped":  # the connection drops mid-body once, then the photo comes whole
            route = server.routes["dropped-body"]
            if hit == 1:
                self.send_response(200)
                self.send_header("Content-Length", str(len(route)))
                self.end_headers()
                self.wfile.write(route[: len(route) // 2])
                return
        if route is None or not isinstance(route, bytes):
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Type", "image/jpeg")
        self.send_header("Content-Length", str(len(route)))
        self.end_headers()
        self.wfile.write(route)

    def log_message(self, *args):
        pass


@pytest.fixture
def host():
    server = PhotoHost({})
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.release.set()
    server.shutdown()
    server.server_close()


def face_photo(seed: int, box: tuple[int, int, int, int], size=(64, 48)) -> bytes:
    """A dark noisy JPEG with a bright face box, so a crop in the wrong place is visible."""
    rng = np.random.default_rng(seed)
    pixels = rng.integers(0, 60, size=(size[1], size[0], 3), dtype=np.uint8)
    x1, y1, x2, y2 = box
    pixels[y1:y2, x1:x2] = 230
    buffer = io.BytesIO()
    Image.fromarray(pixels).save(buffer, format="JPEG", quality=95)
    return buffer.getvalue()


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


BOX = (10, 8, 40, 38)


def build_lists(host: PhotoHost, folder: Path) -> Path:
    """A list of two people whose photos exercise every failure, served by ``host``."""
    good = {i: face_photo(i, BOX) for i in range(1, 10)}
    whole = face_photo(20, BOX)
    truncated = whole[: len(whole) // 2]
    rows = [  # name, image_id, face_id, path, bbox, served bytes (None: not served), listed sha
        ("Ann A", 1, 101, "/a/1.jpg", BOX, good[1], sha(good[1])),
        ("Ann A", 2, 102, "/a/2.jpg", BOX, good[2], "0" * 64),             # wrong hash
        ("Ann A", 3, 103, "/a/3.jpg", BOX, None, sha(b"gone")),           # 404
        ("Ann A", 4, 104, "/a/4.jpg", BOX, good[4], sha(good[4])),
        ("Ann A", 4, 105, "/a/4.jpg", (0, 0, 64, 48), good[4], sha(good[4])),  # second face, same photo
        ("Ann A", 5, 106, "/a/5.jpg", BOX, good[5], sha(good[5])),        # surplus or not needed
        ("Ann A", 6, 107, "/a/6.jpg", BOX, good[6], sha(good[6])),
        ("Bob B", 7, 201, "/b/stall.jpg", BOX, "stall", sha(b"never")),   # past the timeout
        ("Bob B", 8, 202, "/b/trunc.jpg", BOX, truncated, sha(truncated)),  # listed hash, broken JPEG
        ("Bob B", 9, 203, "/b/text.jpg", BOX, b"<html>moved</html>", sha(b"<html>moved</html>")),
        ("Bob B", 10, 204, "/b/7.jpg", (30, 8, 70, 38), good[7], sha(good[7])),  # bbox outside
        ("Bob B", 11, 205, "/b/flaky.jpg", BOX, "flaky", sha(good[8])),   # 503 once, then fine
        ("Bob B", 12, 206, "/b/9.jpg", BOX, good[9], sha(good[9])),
        ("Cat C", 13, 301, "/c/1.jpg", BOX, good[3], sha(good[3])),       # not a configured person
    ]
    for _, _, _, path, _, served, _ in rows:
        host.routes[path] = served
    host.routes["flaky-body"] = good[8]
    lines = [f"{n}\t{i}\t{f}\t{host.url(p)}\t{','.join(map(str, b))}\t{s}" for n, i, f, p, b, _, s in rows]
    path = folder / "list.txt"
    path.write_text("\n".join(lines) + "\nCat C\t14\t302\thttp://trunc")
    return path


SETTINGS = FetchSettings(workers=4, timeout=0.5, retries=1, backoff=0.01)


def reasons(manifest: pd.DataFrame) -> dict[int, str]:
    return {r.face_id: r.status if r.status == "kept" else r.reason for r in manifest.itertuples()}


def test_fetch_keeps_verified_faces_and_says_why_others_are_skipped(host, tmp_path):
    faces, problems = read_face_list(build_lists(host, tmp_path))
    assert len(faces) == 14 and len(problems) == 1 and "truncated" in problems[0]
    chosen = select_people(faces, ["Ann A", "Bob B"])
    raw = tmp_path / "raw"
    manifest = fetch_faces(chosen, 3, raw, SETTINGS)

    got = reasons(manifest)
    assert [got[f] for f in (101, 104, 105)] == ["kept"] * 3
    assert got[102] == "sha256 mismatch" and got[103] == "http 404"
    assert got[106] in ("surplus", "not needed") and got[107] in ("surplus", "not needed")
    assert got[201] == "timeout"
    assert got[202].startswith("truncated or corrupt image") and got[203] == "not an image"
    assert got[204] == "bbox 30,8,70,38 outside the 64x48 image"
    assert got[205] == "kept" and got[206] == "kept"
    assert set(manifest["name"]) == {"Ann A", "Bob B"}
    # no retry on 404, one retry on timeout and 503, one request for a photo with two faces
    assert host.hits["/a/3.jpg"] == 1 and host.hits["/b/stall.jpg"] == 2 and host.hits["/b/flaky.jpg"] == 2
    assert host.hits["/a/4.jpg"] == 1
    stored = sorted(p.name for p in (raw / "images").iterdir())
    assert "2.jpg" not in stored and "7.jpg" not in stored and "9.bin" in stored
    for r in manifest[manifest["status"] == "kept"].itertuples():
        assert sha((raw / r.file).read_bytes()) == r.sha256

    before = Counter(host.hits)
    again = fetch_faces(chosen, 3, raw, SETTINGS)
    assert Counter(host.hits) - before == {"/b/stall.jpg": 2}, "a rerun asks again only what may pass now"
    assert reasons(again) == got and again["requests"].fillna(0).sum() == 2
    remembered = again.set_index("face_id")["remembered"]
    assert remembered[[102, 103]].all() and not remembered[[101, 201, 202, 205]].any()

    retried = fetch_faces(chosen, 3, raw, FetchSettings(**{**SETTINGS.__dict__, "retry_failed": True}))
    assert host.hits["/a/3.jpg"] == 2 and host.hits["/a/1.jpg"] == 1
    assert reasons(retried) == got


def test_refused_or_dropped_connections_are_retried_and_not_remembered(host, tmp_path):
    photos = {i: face_photo(i, BOX) for i in range(3)}
    served = {"/photos.example.org/p/0.jpg": photos[0], "/photos.example.org/p/1.jpg": "dropped"}
    host.routes |= served | {"dropped-body": photos[1]}
    lists = tmp_path / "list.txt"
    lists.write_text("".join(f"Ann A\t{i}\t{i}\thttp://photos.example.org/p/{i}.jpg\t10,8,40,38\t{sha(photos[i])}\n"
                             for i in range(3)))
    chosen = select_people(read_face_list(lists)[0], ["Ann A"])
    down = PhotoHost({})  # a mirror that is down: its port refuses connections
    down.server_close()
    raw = tmp_path / "raw"
    refused = fetch_faces(chosen, 3, raw, FetchSettings(workers=2, retries=1, backoff=0.01, image_mirror=down.url("")))
    assert set(refused["reason"]) == {"connection refused"} and set(refused["requests"]) == {2}
    with pytest.raises(ValueError, match="keeps no face.*; 3 photos failed for reasons that may pass .* --forcerun"):
        write_face_dataset(refused, raw, tmp_path / "fs", 28, 1, 1, seed=0)

    mirror = FetchSettings(workers=2, retries=1, backoff=0.01, image_mirror=host.url(""))
    back = fetch_faces(chosen, 3, raw, mirror)
    assert reasons(back) == {0: "kept", 1: "kept", 2: "http 404"}, "a refused host is asked again once it is back"
    assert host.hits["/photos.example.org/p/1.jpg"] == 2, "a body cut short is fetched again, not a SHA-256 mismatch"

    only_dead = select_people(read_face_list(lists)[0].iloc[[2]], ["Ann A"])
    with pytest.raises(ValueError, match="1 photos failed in an earlier run .* facescrub.retry_failed: true"):
        write_face_dataset(fetch_faces(only_dead, 1, raw, mirror), raw, tmp_path / "fs", 28, 1, 1, seed=0)


def test_datasets_share_ids_and_crop_the_box(host, tmp_path):
    chosen = select_people(read_face_list(build_lists(host, tmp_path))[0], ["Ann A", "Bob B"])
    raw = tmp_path / "raw"
    manifest = fetch_faces(chosen, 3, raw, SETTINGS)
    table = write_face_dataset(manifest, raw, tmp_path / "fs-28", 28, 1, 1, seed=0)
    write_face_dataset(manifest, raw, tmp_path / "fs-32", 32, 3, 1, seed=0)
    small, rgb = load_dataset(tmp_path / "fs-28"), load_dataset(tmp_path / "fs-32")
    assert small.images.shape == (5, 28, 28, 1) and rgb.images.shape == (5, 32, 32, 3)
    assert small.index[["label", "split", "group"]].equals(rgb.index[["label", "split", "group"]])
    assert list(table["face_id"]) == [101, 104, 105, 205, 206]
    boxed = small.images[[0, 1, 3, 4]]
    assert boxed.mean() > 200, "the crop must be the bright face box"
    assert small.images[2].mean() < 150, "face 105 is the whole photo, mostly dark"
    assert small.classes == ["Ann A", "Bob B"]


def test_split_is_per_person_and_reproducible():
    labels = np.repeat([0, 1, 2], [90, 90, 40])
    split = split_per_person(labels, 70, seed=3)
    assert np.array_equal(split, split_per_person(labels, 70, seed=3))
    assert not np.array_equal(split, split_per_person(labels, 70, seed=4))
    counts = pd.crosstab(labels, split)
    assert counts.loc[0].to_dict() == {"test": 10, "train": 70, "val": 10}
    assert counts.loc[2].to_dict() == {"test": 1, "train": 38, "val": 1}
    # another person's faces do not move this person's split
    fewer = split_per_person(labels[labels != 2], 70, seed=3)
    assert np.array_equal(fewer, split[labels != 2])


def test_unknown_person_lists_the_people_held(tmp_path):
    faces = pd.DataFrame({"name": ["Ann A"], "list": ["l"], "line": [1]})
    with pytest.raises(ValueError, match="Ann A"):
        select_people(faces, ["Nobody"])


def test_mirror_keeps_host_and_path():
    url = "http://img.example.com/a/b%20c.jpg?x=1"
    assert mirrored_url(url, "http://127.0.0.1:8000/") == "http://127.0.0.1:8000/img.example.com/a/b%20c.jpg?x=1"
    assert mirrored_url(url, "/data/www") == "/data/www/img.example.com/a/b c.jpg?x=1"
    assert mirrored_url(url, None) == url


@pytest.mark.skipif(not FACESCRUB.is_dir(), reason=f"{FACESCRUB} is absent: no real FaceScrub lists to parse")
def test_real_actresses_list_skips_its_truncated_last_row():
    path = FACESCRUB / "facescrub_actresses.txt"
    n_lines = len(path.read_text().splitlines())
    faces, problems = read_face_list(path)
    assert len(faces) == n_lines - 1
    assert len(problems) == 1 and f":{n_lines}: skipped (last row, the file is truncated" in problems[0]
    assert faces["name"].nunique() == 6 and faces["sha256"].str.len().eq(64).all()


@pytest.mark.skipif(not (FACESCRUB / "subset.tsv").is_file(),
                    reason=f"{FACESCRUB}/subset.tsv is absent: no real FaceScrub photos to serve")
def test_real_photos_served_under_their_original_paths(host, tmp_path):
    """The real list, with the real photos served as <host>/<path> of their listed URLs."""
    with open(FACESCRUB / "subset.tsv") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            parts = row["url"].split("/", 3)
            host.routes[f"/{parts[2]}/{parts[3]}"] = (FACESCRUB / row["file"]).read_bytes()
    faces, _ = read_face_list(FACESCRUB / "facescrub_actors.txt")
    people = sorted(faces["name"].unique())
    settings = FetchSettings(workers=8, timeout=5, retries=0, image_mirror=host.url(""))
    manifest = fetch_faces(select_people(faces, people), 2, tmp_path / "raw", settings)
    kept = manifest[manifest["status"] == "kept"]
    assert kept.groupby("name").size().to_dict() == {p: 2 for p in people}
    assert set(manifest.loc[manifest["status"] == "skipped", "reason"]) <= {"http 404", "not needed", "surplus"}
    dataset = write_face_dataset(manifest, tmp_path / "raw", tmp_path / "fs", 32, 3, 1, 0)
    assert len(dataset) == 12


@pytest.mark.skipif(not (SHARED_DATA / "SHA256SUMS").is_file(), reason=f"{SHARED_DATA} is absent: no list copies to check pins against")
def test_list_pins_match_the_course_copies():
    from dlrepro.data.sources import SOURCES, read_manifest

    sums = read_manifest(SHARED_DATA / "SHA256SUMS")
    for raw in SOURCES["facescrub"].files:
        assert raw.sha256 == sums[f"facescrub/{raw.name}"]
