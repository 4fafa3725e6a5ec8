import os
import signal
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import pytest

from dlrepro.io import atomic_output, sha256_file, write_csv, write_json


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


def test_temporaries_of_a_killed_writer_are_removed_by_the_next_write(tmp_path):
    path = tmp_path / "features.parquet"
    killed = subprocess.run(
        [sys.executable, "-c",
         "import os, signal, sys\nfrom dlrepro.io import atomic_output\n"
         "with atomic_output(sys.argv[1]) as tmp:\n    tmp.write_text('half')\n    os.kill(os.getpid(), signal.SIGKILL)",
         str(path)],
    )
    assert killed.returncode == -signal.SIGKILL
    left = [p.name for p in tmp_path.iterdir()]
    assert len(left) == 1 and left[0].startswith(".features.parquet.") and left[0].endswith(".part")
    (tmp_path / ".features.parquet.abc12345.part").write_text("left by an older version")
    (tmp_path / ".features.parquet.v2.12345678.part").write_text("another file's temporary")
    write_json({}, path)
    assert sorted(p.name for p in tmp_path.iterdir()) == [".features.parquet.v2.12345678.part", "features.parquet"]


def test_writing_never_sets_the_umask(tmp_path, monkeypatch):
    """os.umask is process-wide: setting it, even for a moment, races with other writer threads."""
    previous = os.umask(0o027)

    def set_umask(mask):
        raise AssertionError("the umask was set while writing")

    try:
        monkeypatch.setattr(os, "umask", set_umask)
        with ThreadPoolExecutor(4) as pool:
            list(pool.map(lambda i: write_json({}, tmp_path / f"{i}.json"), range(20)))
    finally:
        monkeypatch.undo()
        os.umask(previous)
    assert {p.stat().st_mode & 0o777 for p in tmp_path.iterdir()} == {0o640}


def test_write_csv_writes_the_table_without_its_index_and_keeps_the_old_file_on_failure(tmp_path):
    import pandas as pd

    path = tmp_path / "sub" / "table.csv"
    write_csv(pd.DataFrame({"a": [1, 2], "b": ["x", "y"]}, index=[7, 8]), path)
    assert path.read_text() == "a,b\n1,x\n2,y\n"

    class Broken(pd.DataFrame):
        def to_csv(self, *args, **kwargs):
            super().to_csv(*args, **kwargs)
            raise OSError("disk full")

    with pytest.raises(OSError):
        write_csv(Broken({"a": [3]}), path)
    assert path.read_text() == "a,b\n1,x\n2,y\n"
    assert [p.name for p in path.parent.iterdir()] == ["table.csv"]
