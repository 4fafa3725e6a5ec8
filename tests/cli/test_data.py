import json

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
    result = CliRunner().invoke(main, ["data", "prepare", "--settings", '{"source": "mnist"}', "--raw-dir", str(tmp_path),
                                       "--out", str(tmp_path / "d")])
    assert result.exit_code == 1
    assert "train-images-idx3-ubyte.gz" in result.output


def test_folder_writes_the_dataset_then_a_changed_image_is_one_line(tmp_path):
    from PIL import Image

    for name in ("cat", "dog"):
        (tmp_path / "tree" / name).mkdir(parents=True)
        for i in range(3):
            Image.new("L", (6, 4), 40 * i).save(tmp_path / "tree" / name / f"{i}.png")
    (tmp_path / "tree" / ".DS_Store").write_bytes(b"")
    entry = {"source": "folder", "images": str(tmp_path / "tree"), "manifest": str(tmp_path / "m.sha256"), "size": 4,
             "channels": 1, "fit": "crop"}
    args = ["data", "folder", "--settings", json.dumps(entry), "--out", str(tmp_path / "d")]
    ok = CliRunner().invoke(main, args)
    assert ok.exit_code == 0, ok.output
    assert "skipped 1 hidden, 0 not an image" in ok.output
    assert "6 images of 2 classes (train 4, val 0, test 2); SHA-256 recorded in" in ok.output
    Image.new("L", (6, 4), 255).save(tmp_path / "tree" / "dog" / "2.png")
    bad = CliRunner().invoke(main, args)
    error = [line for line in bad.output.splitlines() if line.startswith("Error:")]
    assert bad.exit_code == 1 and len(error) == 1 and error[0].startswith("Error: dog/2.png: SHA-256 ")
