import os

import pytest

from dlrepro.io import atomic_output, sha256_file, write_json


def test_failed_write_leaves_the_earlier_file_and_no_temporary(tmp_path):
    path = tmp_path / "result.json"
    write_json({"a": 1}, path)
    with pytest.raises(RuntimeError):
        with atomic_output(path) as tmp:
            tmp.write_text("half")
            raise RuntimeError("crash")
    assert path.read_text() == '{\n  "a": 1\n}\n'
    assert [p.name for p in tmp_path.iterdir()] == ["result.json"]


def test_output_permissions_follow_the_umask(tmp_path):
    previous = os.umask(0o022)
    try:
        write_json({}, tmp_path / "out.json")
    finally:
        os.umask(previous)
    assert (tmp_path / "out.json").stat().st_mode & 0o777 == 0o644


def test_sha256_of_a_known_string(tmp_path):
    (tmp_path / "abc").write_bytes(b"abc")
    assert sha256_file(tmp_path / "abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
