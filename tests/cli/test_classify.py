import json

import pandas as pd
import pytest
from click.testing import CliRunner

from dlrepro.cli import main


def fit_args(features, dataset, out, settings):
    return ["classify", "fit", "--features", str(features), "--feature-kind", "pixels", "--dataset-dir", str(dataset),
            "--classifier", "clf",
            "--settings", settings, "--predictions", str(out / "predictions.parquet"),
            "--metrics", str(out / "metrics.json"), "--figure", str(out / "confusion.png")]


def test_fit_writes_predictions_metrics_and_figure(digits_features, tmp_path):
    features, dataset = digits_features
    result = CliRunner().invoke(main, fit_args(features, dataset, tmp_path, '{"kind": "logistic_regression", "C": 0.5}'))
    assert result.exit_code == 0, result.output
    metrics = json.loads((tmp_path / "metrics.json").read_text())
    assert metrics["dataset"] == "dataset" and metrics["extractor"] == "pixels" and metrics["classifier"] == "clf"
    assert metrics["params"] == {"C": 0.5} and metrics["score_kind"] == "probability"
    assert metrics["scaling"] == "none" and metrics["figure"] == str(tmp_path / "confusion.png")
    assert (metrics["n_train"], metrics["n_test"], metrics["n_features"]) == (300, 150, 64)
    assert metrics["accuracy"] > 0.8 and metrics["top5"] >= metrics["accuracy"]
    assert metrics["class_names"][3] == "digit 3"
    predictions = pd.read_parquet(tmp_path / "predictions.parquet")
    assert len(predictions) == 150 and "score_9" in predictions
    assert (predictions["label"] == predictions["predicted"]).mean() == metrics["accuracy"]
    assert (tmp_path / "confusion.png").stat().st_size > 0


@pytest.mark.parametrize(
    "settings, message",
    [
        ('{"kind": "knn", "k": 3}', "Error: classifier 'clf': knn: unknown parameter(s) k"),
        ('{"kind": "svm"}', "Error: config key s1.classifiers.<name>.kind: 'svm' is not one of"),
        ('{"kind": knn}', "Error: --settings is neither JSON nor YAML"),
        ("kind: knn", "Error: --settings kind: knn: neither a JSON object nor an existing file"),
        ('{"kind": "knn", "scaling": "unit"}', "Error: config key s1.classifiers.<name>.scaling: 'unit' is not one of"),
    ],
)
def test_fit_bad_settings_is_one_clear_line_and_writes_nothing(digits_features, tmp_path, settings, message):
    features, dataset = digits_features
    result = CliRunner().invoke(main, fit_args(features, dataset, tmp_path, settings))
    assert result.exit_code == 1
    assert result.output.startswith(message) and result.output.count("\n") == 1
    assert list(tmp_path.iterdir()) == []


def test_summarise_rejects_metrics_without_names(tmp_path):
    bad = tmp_path / "metrics.json"
    bad.write_text(json.dumps({"accuracy": 0.9}))
    result = CliRunner().invoke(main, ["classify", "summarise", str(bad), "--table", str(tmp_path / "t.csv"),
                                       "--accuracy-figure", str(tmp_path / "a.png"), "--tradeoff-figure",
                                       str(tmp_path / "b.png"), "--section", str(tmp_path / "s.json")])
    assert result.exit_code == 1
    assert "metrics lack classifier, dataset, extractor, figure, scaling" in result.output
    assert not (tmp_path / "t.csv").exists()


def test_fit_then_summarise_with_finetune_gives_table_figures_and_renderable_section(digits_features, tmp_path):
    from dlrepro.report.html import render_report

    features, dataset = digits_features
    runner = CliRunner()
    metrics = []
    for name, settings in (("lda", '{"kind": "lda"}'), ("knn", '{"kind": "knn", "n_neighbors": 3}')):
        out = tmp_path / name
        args = fit_args(features, dataset, out, settings)
        args[args.index("--classifier") + 1] = name
        args[args.index("--figure") + 1] = str(tmp_path / "figures/dataset/pixels" / f"confusion_{name}.png")
        assert runner.invoke(main, args).exit_code == 0
        metrics.append(str(out / "metrics.json"))
    finetune = tmp_path / "finetune.json"
    finetune.write_text(json.dumps({"dataset": "dataset", "arch": "pixels", "mode": "last_layer",
                                    "accuracy": 0.5, "top5": 0.9, "fit_time_s": 3.0}))
    out = {key: tmp_path / "s1" / name for key, name in
           (("table", "table.csv"), ("accuracy", "accuracy.png"), ("tradeoff", "tradeoff.png"), ("section", "section.json"))}
    result = runner.invoke(main, ["classify", "summarise", *metrics, "--finetune", str(finetune),
                                  "--table", str(out["table"]), "--accuracy-figure", str(out["accuracy"]),
                                  "--tradeoff-figure", str(out["tradeoff"]), "--section", str(out["section"])])
    assert result.exit_code == 0, result.output
    table = pd.read_csv(out["table"])
    assert list(table["classifier"]) == ["lda", "knn", "pixels fine-tuned (last_layer)"]
    assert table["accuracy"].iloc[:2].gt(0.8).all() and pd.isna(table["n_features"].iloc[2])
    section = json.loads(out["section"].read_text())
    assert len(section["figures"]) == 3  # accuracy, tradeoff, the best classifier's confusion matrix
    best = table.iloc[table["accuracy"].iloc[:2].idxmax()]["classifier"]
    assert section["figures"][2]["path"] == str(tmp_path / "figures/dataset/pixels" / f"confusion_{best}.png")
    assert "(features as extracted)" in section["figures"][2]["caption"]
    assert "no published number" in section["intro"] and "99.4%" not in section["intro"]
    render_report([out["section"]], tmp_path / "index.html", root="/")
    assert "pixels fine-tuned (last_layer)" in (tmp_path / "index.html").read_text()
