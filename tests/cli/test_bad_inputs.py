"""Every `dlrepro` command given a corrupt or wrong input stops with one line naming the file.

(`dlrepro bench features`, `dlrepro raphael generate`, `dlrepro artists generate`, `dlrepro industrial standins` and
`dlrepro landscape teacher-student` read no file: they generate their data.)
"""

from __future__ import annotations

import json

import numpy as np
import pytest
from click.testing import CliRunner

from dlrepro.cli import main
from dlrepro.data.dataset import write_dataset

TEXT = "this is not the file you are looking for\n"


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> dict:
    """Text files under the names of real inputs, a good dataset and three broken ones."""
    root = tmp_path_factory.mktemp("bad")
    found = {"root": root}
    for name in ("features.parquet", "manifest.parquet", "metrics.json", "fit.json", "run.json", "section.json",
                 "weights.pt", "table.csv", "labels.csv", "SHA256SUMS", "sketches.npz", "dream.json"):
        (root / name).write_text(TEXT)
        found[name] = root / name
    binary = root / "list.txt"
    binary.write_bytes(bytes(range(256)) * 4)
    found["list.txt"] = binary
    rng = np.random.default_rng(0)
    images = rng.integers(0, 255, size=(20, 8, 8, 1), dtype=np.uint8)
    labels, split = np.arange(20) % 2, np.array(["train"] * 14 + ["test"] * 6)
    write_dataset(root / "good", images, labels, split, ["a", "b"])
    (root / "empty").mkdir()
    write_dataset(root / "short", images, labels, split, ["a", "b"])
    write_dataset(root / "fewer", images[:15], labels[:15], split[:15], ["a", "b"])
    (root / "fewer" / "index.parquet").replace(root / "short" / "index.parquet")
    write_dataset(root / "npy", images, labels, split, ["a", "b"])
    (root / "npy" / "images.npy").write_text(TEXT)
    (root / "drawings").mkdir()
    (root / "s4run").mkdir()  # a run whose weights file is text
    (root / "s4run" / "model.pt").write_text(TEXT)
    run = {"name": "baseline", "group": "experiments", "network": {}, "train": {}, "augment": False,
           "image_shape": [8, 8, 1], "classes": ["a", "b"], "val_accuracy": 0.5, "val_loss": 1.0}
    (root / "s4run" / "run.json").write_text(json.dumps(run))
    (root / "s7run").mkdir()  # a RAM run whose weights file is text
    (root / "s7run" / "model.pt").write_text(TEXT)
    canvas = {"name": "t", "canvas": 8, "fragments": 0, "fragment_size": 2}
    run = {"model": "ram-2", "kind": "ram", "glimpses": 2, "canvas": canvas, "digit_size": 4, "parameters": 1,
           "classes": ["a", "b"], "n_train": 14, "n_test": 6, "epochs_run": 1, "seconds": 1.0, "test_error": 0.5,
           "ram": {"patch": 2, "scales": 1}, "dataset": str(root / "good")}
    (root / "s7run" / "run.json").write_text(json.dumps(run))
    for role, weights in (("classifier", "classifier.pt"), ("vae", "model.pt")):  # S8 runs whose weights are text
        (root / "s8run" / role).mkdir(parents=True)
        (root / "s8run" / role / weights).write_text(TEXT)
        run = {"role": "model" if role == "vae" else "classifier", "model": role, "dataset": "good",
               "dataset_dir": str(root / "good"), "channels": 1, "side": 8, "classes": ["a", "b"],
               "class_frequencies": [7, 7], "latent": 2, "epochs": 1, "seconds": 1.0, "test_nelbo": 1.0}
        (root / "s8run" / role / "run.json").write_text(json.dumps(run))
    write_dataset(root / "three", images, labels, np.array(["train"] * 10 + ["val"] * 4 + ["test"] * 6), ["a", "b"])
    (root / "s5run").mkdir()  # an S5 MLP run whose initial weights file is text
    (root / "s5run" / "init.pt").write_text(TEXT)
    fit = {"kind": "mlp", "variant": "true_labels", "corruption": 0.0, "width": 4, "train_error": 0.0,
           "test_error": 0.5}
    (root / "s5run" / "fit.json").write_text(json.dumps(fit))
    return found


def out(files, name):
    return str(files["root"] / "out" / name)


CASES = {
    "artists train --dataset": (lambda f: ["artists", "train", "--dataset", f["root"] / "npy", "--experiment", "baseline",
                                           "--out", out(f, "s4")], "npy/images.npy"),
    "artists summarise": (lambda f: ["artists", "summarise", f["run.json"], "--dataset", f["root"] / "good",
                                     "--settings", '{"dataset": "good"}', "--figures", out(f, "figs"),
                                     "--out-dir", out(f, "s4")],
                          "run.json"),
    "artists summarise (model.pt)": (lambda f: ["artists", "summarise", f["root"] / "s4run" / "run.json",
                                                "--dataset", f["root"] / "three", "--settings", '{"dataset": "three"}',
                                                "--figures", out(f, "figs"), "--out-dir", out(f, "s4")],
                                     "s4run/model.pt"),
    "attention canvases --dataset": (lambda f: ["attention", "canvases", "--dataset", f["root"] / "npy",
                                                "--settings", '{"canvas": 16}', "--out", out(f, "canvases")],
                                     "npy/images.npy"),
    "attention train --dataset": (lambda f: ["attention", "train", "--dataset", f["root"] / "short", "--canvas", "t",
                                             "--model", "fc", "--settings", '{"canvases": {"t": {"canvas": 8}}}',
                                             "--out", out(f, "s7")], "short/images.npy"),
    "attention summarise": (lambda f: ["attention", "summarise", f["run.json"], "--settings", '{"dataset": "good"}',
                                       "--source", "good", "--figures", out(f, "figs"), "--out-dir", out(f, "s7")],
                            "run.json"),
    "attention summarise (model.pt)": (lambda f: ["attention", "summarise", f["root"] / "s7run" / "run.json",
                                                  "--settings", '{"dataset": "good"}', "--source", "good",
                                                  "--figures", out(f, "figs"), "--out-dir", out(f, "s7")], "s7run/model.pt"),
    "generative classifier --dataset": (lambda f: ["generative", "classifier", "--dataset", f["root"] / "npy",
                                                   "--out", out(f, "s8c")], "npy/images.npy"),
    "generative train --dataset": (lambda f: ["generative", "train", "--dataset", f["root"] / "short",
                                              "--model", "vae", "--out", out(f, "s8")],
                                   "short/images.npy"),
    "generative summarise": (lambda f: ["generative", "summarise", f["run.json"], "--figures", out(f, "figs"),
                                        "--out-dir", out(f, "s8")], "run.json"),
    "generative summarise (classifier.pt)": (lambda f: ["generative", "summarise",
                                                        f["root"] / "s8run" / "classifier" / "run.json",
                                                        f["root"] / "s8run" / "vae" / "run.json",
                                                        "--settings", '{"size": 16}', "--figures", out(f, "figs"),
                                                        "--out-dir", out(f, "s8")], "s8run/classifier/classifier.pt"),
    "data fetch --checksums": (lambda f: ["data", "fetch", "--source", "mnist", "--file", "t10k-labels-idx1-ubyte.gz",
                                          "--checksums", f["SHA256SUMS"], "--out", out(f, "raw.gz")], "SHA256SUMS:1"),
    "data prepare --checksums": (lambda f: ["data", "prepare", "--settings", '{"source": "mnist"}', "--raw-dir", f["root"],
                                            "--checksums", f["SHA256SUMS"], "--out", out(f, "mnist")], "SHA256SUMS:1"),
    "facescrub fetch --list": (lambda f: ["facescrub", "fetch", "--list", f["list.txt"], "--settings", '{"people": ["Ann A", "Bob B"]}',
                                          "--raw-dir", out(f, "raw"), "--out", out(f, "m.parquet")], "list.txt"),
    "facescrub prepare --manifest": (lambda f: ["facescrub", "prepare", "--manifest", f["manifest.parquet"],
                                                "--raw-dir", f["root"], "--dataset", "fs",
                                                "--settings", '{"datasets": {"fs": {"size": 28}}}', "--out", out(f, "fs")],
                                     "manifest.parquet"),
    "features extract, empty folder": (lambda f: ["features", "extract", "--dataset", f["root"] / "empty",
                                                  "--settings", '{"kind": "pixels"}', "--out", out(f, "f.parquet")],
                                       "empty/index.parquet is missing"),
    "features extract, short index": (lambda f: ["features", "extract", "--dataset", f["root"] / "short",
                                                 "--settings", '{"kind": "pixels"}', "--out", out(f, "f.parquet")],
                                      "short/images.npy holds uint8 (20, 8, 8, 1)"),
    "classify fit --features": (lambda f: ["classify", "fit", "--features", f["features.parquet"], "--feature-kind", "pixels",
                                           "--dataset-dir", f["root"] / "good", "--classifier", "knn",
                                           "--settings", '{"kind": "knn"}', "--predictions", out(f, "p.parquet"),
                                           "--metrics", out(f, "m.json"), "--figure", out(f, "c.png")],
                                "features.parquet"),
    "classify summarise": (lambda f: ["classify", "summarise", f["metrics.json"], "--table", out(f, "t.csv"),
                                      "--accuracy-figure", out(f, "a.png"), "--tradeoff-figure", out(f, "t.png"),
                                      "--section", out(f, "s.json")], "metrics.json"),
    "embed --features": (lambda f: ["embed", "--features", f["features.parquet"], "--method", "pca",
                                    "--out", out(f, "e.parquet"), "--figure", out(f, "e.png")], "features.parquet"),
    "embed --dataset-dir": (lambda f: ["embed", "--features", f["features.parquet"], "--method", "pca",
                                       "--dataset-dir", f["root"] / "npy", "--out", out(f, "e.parquet"),
                                       "--figure", out(f, "e.png")], "npy/images.npy"),
    "faces mlp --dataset": (lambda f: ["faces", "mlp", "--dataset", f["root"] / "npy", "--name", "h300",
                                       "--out", out(f, "s3")], "npy/images.npy"),
    "faces conv4-fit --features": (lambda f: ["faces", "conv4-fit", "--features", f["features.parquet"],
                                              "--dataset", f["root"] / "good", "--out", out(f, "s3")],
                                   "features.parquet"),
    "faces finetune --dataset": (lambda f: ["faces", "finetune", "--dataset", f["root"] / "empty", "--mode", "full",
                                            "--settings", '{"alexnet": {"weights": "random"}}', "--out", out(f, "s3")],
                                 "empty/index.parquet is missing"),
    "faces explain --model": (lambda f: ["faces", "explain", "--dataset", f["root"] / "good",
                                         "--model", f["weights.pt"],
                                         "--predictions", out(f, "p.png"), "--saliency", out(f, "s.png")],
                              "weights.pt"),
    "faces summarise --mlp": (lambda f: ["faces", "summarise", "--mlp", f["fit.json"],
                                         "--settings", '{"hidden_units": ["a", "b"]}',
                                         "--source", "faces", "--figures", out(f, "figs"), "--out-dir", out(f, "s3")],
                              "fit.json"),
    "finetune --dataset-dir": (lambda f: ["finetune", "--dataset-dir", f["root"] / "empty", "--settings", '{"weights": "random"}',
                                          "--mode", "full", "--metrics", out(f, "m.json"),
                                          "--curves", out(f, "c.parquet"), "--figure", out(f, "f.png")],
                               "empty/index.parquet is missing"),
    "finetune --weights": (lambda f: ["finetune", "--dataset-dir", f["root"] / "good",
                                      "--settings", json.dumps({"weights": str(f["weights.pt"])}),
                                      "--mode", "full", "--metrics", out(f, "m.json"),
                                      "--curves", out(f, "c.parquet"), "--figure", out(f, "f.png")], "weights.pt"),
    "generalization fit --dataset": (lambda f: ["generalization", "fit", "--dataset", f["root"] / "npy",
                                                "--variant", "true_labels", "--out", out(f, "s5")], "npy/images.npy"),
    "generalization summarise": (lambda f: ["generalization", "summarise", f["fit.json"],
                                            "--figures", out(f, "figs"), "--out-dir", out(f, "s5")], "fit.json"),
    "double-descent run --dataset-dir": (lambda f: ["double-descent", "run", "--dataset-dir", f["root"] / "short",
                                                    "--settings", '{"n_train": 10, "widths": [2]}', "--runs-dir", out(f, "runs"), "--curves", out(f, "c.parquet"),
                                                    "--table", out(f, "t.csv"), "--weights", out(f, "w.pt")], "short/images.npy"),
    "double-descent summarise --table": (lambda f: ["double-descent", "summarise", "--table", f["table.csv"],
                                                    "--figure", out(f, "d.png"), "--section", out(f, "s.json")],
                                         "table.csv"),
    "landscape lottery --dataset-dir": (lambda f: ["landscape", "lottery", "--dataset-dir", f["root"] / "npy",
                                                   "--runs", out(f, "r.parquet")], "npy/images.npy"),
    "landscape bounds --sweep": (lambda f: ["landscape", "bounds", "--sweep", f["fit.json"], "--dataset-dir",
                                            f["root"] / "good", "--out", out(f, "b.parquet")], "fit.json"),
    "landscape bounds (init.pt)": (lambda f: ["landscape", "bounds", "--fit", f["root"] / "s5run" / "fit.json",
                                              "--dataset-dir", f["root"] / "good", "--out", out(f, "b.parquet")],
                                   "s5run/init.pt"),
    "landscape bounds --s6-weights": (lambda f: ["landscape", "bounds", "--s6-weights", f["weights.pt"], "--s6-table",
                                                 f["table.csv"], "--s6-dataset-dir", f["root"] / "good",
                                                 "--out", out(f, "b.parquet")], "weights.pt"),
    "landscape summarise --lottery": (lambda f: ["landscape", "summarise", "--lottery", f["features.parquet"],
                                                 "--figures", out(f, "figs"), "--out-dir", out(f, "s12")],
                                      "features.parquet"),
    "industrial images --dataset": (lambda f: ["industrial", "images", "--dataset", f["root"] / "npy",
                                               "--out", out(f, "s14")], "npy/images.npy"),
    "industrial timeseries --csv": (lambda f: ["industrial", "timeseries", "--csv", f["table.csv"],
                                               "--manifest", out(f, "SUMS"), "--out", out(f, "s14")], "table.csv"),
    "industrial summarise --images": (lambda f: ["industrial", "summarise", "--images", f["root"],
                                                 "--timeseries", f["root"], "--figures", out(f, "figs"),
                                                 "--out-dir", out(f, "s14")], "run.json"),
    "patches --labels": (lambda f: ["patches", "--settings", json.dumps({"images": str(f["root"] / "drawings"),
                                                                 "labels": str(f["labels.csv"])}),
                                    "--out", out(f, "patches")], "labels.csv"),
    "raphael verify --labels": (lambda f: ["raphael", "verify", "--drawings", f["root"] / "drawings",
                                           "--labels", f["labels.csv"], "--manifest", out(f, "SUMS"),
                                           "--out", out(f, "d.csv")], "labels.csv"),
    "raphael evaluate --features": (lambda f: ["raphael", "evaluate", "--features", f["features.parquet"], "--feature-kind", "pixels",
                                               "--patches", f["manifest.parquet"], "--drawings-table", f["table.csv"],
                                               "--drawings", f["root"] / "drawings", "--classifier", "knn",
                                               "--settings", '{"classifiers": {"knn": {"kind": "knn"}}, '
                                                             '"patches": {"size": 8}}',
                                               "--votes", out(f, "v.parquet"), "--decisions", out(f, "d.csv"),
                                               "--metrics", out(f, "m.json"), "--figure", out(f, "v.png")],
                                    "features.parquet"),
    "raphael summarise": (lambda f: ["raphael", "summarise", f["metrics.json"],
                                     "--table", out(f, "t.csv"),
                                     "--disputed", out(f, "d.csv"), "--section", out(f, "s.json")], "metrics.json"),
    "scorecard --s12-lottery": (lambda f: ["scorecard", "--s12-lottery", f["features.parquet"], "--run",
                                           '{"sources": {}, "s12_dataset": "mnist"}', "--table", out(f, "t.csv"),
                                           "--section", out(f, "s.json")], "features.parquet"),
    "report": (lambda f: ["report", f["section.json"], "--out", out(f, "index.html")], "section.json"),
    "sequences row-lstm --dataset": (lambda f: ["sequences", "row-lstm", "--dataset", f["root"] / "npy",
                                                "--out", out(f, "s10")], "npy/images.npy"),
    "sequences summarise --sweep": (lambda f: ["sequences", "summarise", "--sweep", f["table.csv"],
                                               "--figures", out(f, "figs"),
                                               "--out-dir", out(f, "s10")], "table.csv"),
    "sequences summarise --row-run": (lambda f: ["sequences", "summarise", "--row-run", f["run.json"],
                                                 "--figures", out(f, "figs"),
                                                 "--out-dir", out(f, "s10")], "run.json"),
    "visualise sketches (folder)": (lambda f: ["visualise", "sketches", "--settings",
                                               json.dumps({"folder": str(f["root"] / "drawings")}),
                                               "--manifest", out(f, "m.sha256"), "--out", out(f, "s.npz")],
                                    "drawings: no SVG sketches"),
    "visualise sketch-a-net --sketches": (lambda f: ["visualise", "sketch-a-net", "--sketches", f["sketches.npz"],
                                                     "--out", out(f, "s9")], "sketches.npz"),
    "visualise dream --sketch-run": (lambda f: ["visualise", "dream", "--sketch-run", f["root"], "--out", out(f, "d")],
                                     "run.json"),
    "visualise dream (image)": (lambda f: ["visualise", "dream", "--settings",
                                           json.dumps({"network": "alexnet", "weights": "random",
                                                       "image": str(f["table.csv"])}), "--out", out(f, "d")],
                                "table.csv"),
    "visualise summarise --dreams": (lambda f: ["visualise", "summarise", "--dreams", f["root"], "--figures",
                                                out(f, "figs"), "--out-dir", out(f, "s9")], "dream.json"),
    "visualise summarise --sketch-run": (lambda f: ["visualise", "summarise", "--sketch-run", f["root"], "--sketches",
                                                    f["sketches.npz"], "--figures", out(f, "figs"),
                                                    "--out-dir", out(f, "s9")], "run.json"),
    "captions train --dataset": (lambda f: ["captions", "train", "--dataset", f["root"] / "good",
                                            "--out", out(f, "s13")], "good/captions.parquet"),
    "captions summarise --run": (lambda f: ["captions", "summarise", "--run", f["run.json"], "--dataset",
                                            f["root"] / "good", "--figures", out(f, "figs"), "--out-dir",
                                            out(f, "s13")], "run.json"),
    "captions dataset --settings flickr8k": (lambda f: ["captions", "dataset", "--settings",
                                                        f'{{"flickr8k": "{f["root"] / "drawings"}"}}', "--manifest",
                                                        out(f, "m.sha256"), "--out", out(f, "s13")], "drawings"),
    "baselines mlp --dataset": (lambda f: ["baselines", "mlp", "--dataset", f["root"] / "npy", "--out", out(f, "s11")],
                                "npy/images.npy"),
    "baselines vgg --dataset": (lambda f: ["baselines", "vgg", "--dataset", f["root"] / "short", "--out", out(f, "s11")],
                                "short/images.npy"),
    "baselines summarise --runs": (lambda f: ["baselines", "summarise", "--runs", "good", f["table.csv"],
                                              "--figures", out(f, "figs"), "--out-dir", out(f, "s11")], "table.csv"),
}


@pytest.mark.parametrize("case", CASES)
def test_bad_input_is_one_line_naming_the_file(files, case):
    arguments, named = CASES[case]
    result = CliRunner().invoke(main, [str(a) for a in arguments(files)])
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit), result.exception
    lines = [line for line in result.output.splitlines() if line.strip()]
    errors = [line for line in lines if line.startswith("Error: ")]
    assert len(errors) == 1 and named in errors[0], result.output
    assert "Traceback" not in result.output
