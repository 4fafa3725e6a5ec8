import hashlib
import http.server
import threading
from collections import Counter
from functools import partial

import pytest

from dlrepro.data.download import ChecksumError, DownloadError, fetch


def test_fetch_local_path_and_file_url(tmp_path):
    src = tmp_path / "src.bin"
    src.write_bytes(b"raw bytes")
    digest = hashlib.sha256(b"raw bytes").hexdigest()
    assert fetch(str(src), tmp_path / "a" / "out.bin", digest).read_bytes() == b"raw bytes"
    assert fetch(src.as_uri(), tmp_path / "b" / "out.bin", digest).read_bytes() == b"raw bytes"


def test_mismatch_names_file_and_both_hashes_and_leaves_nothing(tmp_path):
    src = tmp_path / "src.bin"
    src.write_bytes(b"tampered")
    dest = tmp_path / "raw" / "out.bin"
    with pytest.raises(ChecksumError) as err:
        fetch(src.as_uri(), dest, "0" * 64)
    message = str(err.value)
    assert "src.bin" in message and "0" * 64 in message and hashlib.sha256(b"tampered").hexdigest() in message
    assert list(dest.parent.iterdir()) == []


def test_existing_file_is_verified_not_replaced(tmp_path):
    dest = tmp_path / "out.bin"
    dest.write_bytes(b"corrupted")
    src = tmp_path / "src.bin"
    src.write_bytes(b"good")
    with pytest.raises(ChecksumError, match="out.bin"):
        fetch(str(src), dest, hashlib.sha256(b"good").hexdigest())
    assert dest.read_bytes() == b"corrupted"


def test_missing_mirror_file_is_one_clear_error(tmp_path):
    with pytest.raises(FileNotFoundError, match="mirror"):
        fetch(str(tmp_path / "nope.gz"), tmp_path / "out.gz", "0" * 64)


def test_fetch_over_http(tmp_path):
    served = tmp_path / "www"
    served.mkdir()
    (served / "file.gz").write_bytes(b"x" * 5000)
    handler = partial(http.server.SimpleHTTPRequestHandler, directory=str(served))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/file.gz"
        out = fetch(url, tmp_path / "out.gz", hashlib.sha256(b"x" * 5000).hexdigest(), timeout=10)
        assert out.read_bytes() == b"x" * 5000
    finally:
        server.shutdown()


class RawHost(http.server.ThreadingHTTPServer):
    """Serves one body at every path; the first ``drops`` responses are cut off mid-body."""

    daemon_threads = True

    def __init__(self, body: bytes, drops: int = 0):
        super().__init__(("127.0.0.1", 0), RawHandler)
        self.body, self.drops, self.hits = body, drops, Counter()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}{path}"


class RawHandler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.server.hits[self.path] += 1
        body = self.server.body
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        cut = self.server.hits[self.path] <= self.server.drops
        self.wfile.write(body[: len(body) // 2] if cut else body)

    def log_message(self, *args):
        pass


@pytest.fixture
def raw_host(request):
    server = RawHost(*request.param)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize("raw_host", [(b"y" * 9000, 1)], indirect=True)
def test_body_cut_short_is_fetched_again(raw_host, tmp_path):
    out = fetch(raw_host.url("/f.gz"), tmp_path / "f.gz", hashlib.sha256(b"y" * 9000).hexdigest(), backoff=0)
    assert out.read_bytes() == b"y" * 9000 and raw_host.hits["/f.gz"] == 2


@pytest.mark.parametrize("raw_host", [(b"not the release", 0)], indirect=True)
def test_checksum_mismatch_is_final_at_once(raw_host, tmp_path):
    with pytest.raises(ChecksumError, match="SHA-256 mismatch"):
        fetch(raw_host.url("/f.gz"), tmp_path / "f.gz", "0" * 64, backoff=0)
    assert raw_host.hits["/f.gz"] == 1 and list(tmp_path.iterdir()) == []


def test_refused_connection_is_retried_then_named(tmp_path):
    down = RawHost(b"")
    down.server_close()
    with pytest.raises(DownloadError, match=r"^http://127.0.0.1:\d+/f.gz: .*Connection refused.* \(tried 3 times\)"):
        fetch(down.url("/f.gz"), tmp_path / "f.gz", "0" * 64, retries=2, backoff=0)
    assert list(tmp_path.iterdir()) == []
