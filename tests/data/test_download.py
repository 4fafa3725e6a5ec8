import hashlib
import http.server
import threading
from functools import partial

import pytest

from dlrepro.data.download import ChecksumError, fetch


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
