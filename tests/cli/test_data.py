from click.testing import CliRunner

from dlrepro.cli import main


def test_root_help_lists_stages_without_importing_them():
    result = CliRunner().invoke(main, ["--help"])
    assert result.exit_code == 0 and "data" in result.output and "report" in result.output


def test_fetch_through_mirror_then_mismatch_is_one_line(idx_mirror, tmp_path):
    mirror, manifest = idx_mirror
    out = tmp_path / "raw" / "t10k-labels-idx1-ubyte.gz"
    args = ["data", "fetch", "--source", "mnist", "--file", out.name, "--mirror", mirror.as_uri(), "--out", str(out)]
    ok = CliRunner().invoke(main, args + ["--checksums", str(manifest)])
    assert ok.exit_code == 0, ok.output
    assert out.exists()
    bad = CliRunner().invoke(main, args[:-1] + [str(tmp_path / "other.gz")])  # pinned official hash
    assert bad.exit_code == 1
    error = [line for line in bad.output.splitlines() if line.startswith("Error:")]
    assert len(error) == 1 and "mnist/t10k-labels-idx1-ubyte.gz: SHA-256 mismatch (expected f7ae60f9" in error[0]
    assert not (tmp_path / "other.gz").exists()


def test_prepare_reports_missing_raw_file(tmp_path):
    result = CliRunner().invoke(main, ["data", "prepare", "--source", "mnist", "--raw-dir", str(tmp_path), "--out", str(tmp_path / "d")])
    assert result.exit_code == 1
    assert "train-images-idx3-ubyte.gz" in result.output
