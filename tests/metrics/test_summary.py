import json

import pytest

from dlrepro.embed.embedding import embed_and_plot
from dlrepro.metrics.summary import (
    best_classifiers,
    read_finetune_metrics,
    read_metrics,
    s1_section,
    summary_table,
)


def record(dataset, extractor, classifier, accuracy, **extra):
    return {"dataset": dataset, "extractor": extractor, "classifier": classifier, "kind": "knn", "scaling": "none",
            "params": {"n_neighbors": 5}, "seed": 0, "accuracy": accuracy, "top5": min(1.0, accuracy + 0.05),
            "fit_time_s": 0.1, "predict_time_s": 0.01, "n_train": 300, "n_test": 150, "n_features": 64,
            "figure": f"results/figures/s1/{dataset}/{extractor}/confusion_{classifier}.png"} | extra


@pytest.fixture
def records(tmp_path):
    rows = [record("digits", "pixels", "knn", 0.95), record("digits", "pixels", "lda", 0.91),
            record("digits", "resnet18", "knn", 0.60), record("digits", "resnet18", "lda", 0.70)]
    files = []
    for i, row in enumerate(rows):
        files.append(tmp_path / f"m{i}.json")
        files[-1].write_text(json.dumps(row))
    finetune = tmp_path / "results/s1/digits/finetune/full/metrics.json"
    finetune.parent.mkdir(parents=True)
    finetune.write_text(json.dumps({"dataset": "digits", "arch": "resnet18", "mode": "full", "accuracy": 0.8, "top5": 0.99,
                                    "fit_time_s": 12.0, "n_train": 300, "n_test": 150}))
    return [read_metrics(f) for f in files] + [read_finetune_metrics(finetune)]


def test_table_groups_by_extractor_and_labels_fine_tuning(records):
    table = summary_table(records)
    assert list(table["extractor"]) == ["pixels", "pixels", "resnet18", "resnet18", "resnet18"]
    assert table.loc[4, "classifier"] == "resnet18 fine-tuned (full)" and table.loc[4, "dataset"] == "digits"
    assert table.loc[4, "accuracy"] == 0.8 and table.loc[4, "fit_time_s"] == 12.0
    assert {"accuracy", "top5", "fit_time_s"} <= set(table.columns)


def test_best_classifier_per_extractor_ignores_fine_tuning(records):
    best = best_classifiers(records)
    assert best[("digits", "pixels")]["classifier"] == "knn"
    assert best[("digits", "resnet18")]["classifier"] == "lda"


def test_section_shows_best_confusion_matrices_and_states_data_and_reference(records, digits_features, tmp_path):
    features, dataset = digits_features
    embedding = tmp_path / "embedding_pca.parquet"
    embed_and_plot(features, "pca", 500, 0, dataset, embedding, tmp_path / "embedding_pca.png")
    section = s1_section(records, "results/s1/table.csv", {"accuracy": "a.png", "tradeoff": "b.png"}, [str(embedding)])
    paths = [f["path"] for f in section["figures"]]
    assert paths == ["a.png", "b.png", str(tmp_path / "embedding_pca.png"),
                     "results/figures/s1/digits/pixels/confusion_knn.png",
                     "results/figures/s1/digits/resnet18/confusion_lda.png"]
    assert section["tables"] == [{"path": "results/s1/table.csv", "caption": section["tables"][0]["caption"]}]
    assert "digits (300 train / 150 test images)" in section["intro"]
    assert "knn = knn(n_neighbors=5; scaling none)" in section["intro"]
    assert "Best here: knn on pixels features of digits, 95.0%" in section["intro"]
    assert f"PCA embedding of the pixels features of {dataset.name}" in section["figures"][2]["caption"]
    assert "at most 500 images" in section["figures"][2]["caption"]
    assert all("Reference" in f["caption"] for f in section["figures"])
    # digits has no published number: no caption quotes MNIST's
    assert "Reference: digits: no published number for this data." in section["intro"]
    assert not any("99.4%" in text for text in [section["intro"], *(f["caption"] for f in section["figures"])])


def test_captions_quote_the_references_of_the_datasets_run(records):
    runs = [r | {"dataset": "fashion-mnist"} for r in records if not r.get("finetuned")]
    section = s1_section(runs, "t.csv", {"accuracy": "a.png", "tradeoff": "b.png"}, [])
    texts = [section["intro"], *(f["caption"] for f in section["figures"]), section["tables"][0]["caption"]]
    assert "SVC rbf C=10 89.7%" in section["intro"] and "k-NN (k=5) 85.4%" in section["figures"][0]["caption"]
    assert not any("99.4%" in text or "CIFAR-10" in text for text in texts)


def test_table_rounds_accuracies_and_times(records):
    table = summary_table([records[0] | {"accuracy": 0.9550000000000001, "fit_time_s": 1.23456789}])
    assert table.loc[0, "accuracy"] == 0.955 and table.loc[0, "fit_time_s"] == 1.235


def test_finetune_metrics_need_dataset_arch_and_mode(tmp_path):
    path = tmp_path / "m.json"
    path.write_text(json.dumps({"accuracy": 0.5}))
    with pytest.raises(ValueError, match="fine-tuning metrics lack arch, dataset, mode"):
        read_finetune_metrics(path)
