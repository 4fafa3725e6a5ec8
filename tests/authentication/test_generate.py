import pandas as pd
import pytest

from dlrepro.authentication.drawings import verified_drawings
from dlrepro.authentication.generate import write_generated_drawings


def test_generated_drawings_are_deterministic_and_pass_their_manifest(tmp_path):
    table = write_generated_drawings(tmp_path / "a", tmp_path / "a.csv", count=6, disputed=1, size=32, seed=3)
    write_generated_drawings(tmp_path / "b", tmp_path / "b.csv", count=6, disputed=1, size=32, seed=3)
    assert (tmp_path / "a" / "SHA256SUMS").read_text() == (tmp_path / "b" / "SHA256SUMS").read_text()
    assert table["label"].tolist() == ["Raphael", "Not Raphael", "Raphael", "Disputed", "Raphael", "Not Raphael"]
    assert pd.read_csv(tmp_path / "a.csv").equals(table)
    drawings, written = verified_drawings(tmp_path / "a", tmp_path / "a.csv", tmp_path / "a" / "SHA256SUMS")
    assert not written and "1A.png" not in drawings["file"].tolist() and (tmp_path / "a" / "1A.png").exists()


def test_too_few_drawings_are_refused(tmp_path):
    with pytest.raises(ValueError, match="count >= disputed \\+ 4"):
        write_generated_drawings(tmp_path, tmp_path / "l.csv", count=5, disputed=2)
