import json

import pandas as pd
import pytest
from click.testing import CliRunner

from dlrepro.cli import main
from dlrepro.report.scorecard import (
    REFERENCE_COLUMNS,
    Result,
    load_references,
    parse_setting,
    s3_results,
    s5_results,
    s6_results,
    s7_results,
    s9_results,
    s10_results,
    s11_results,
    s12_results,
    s13_results,
    scorecard,
)
from tests.cli.test_classify import fit_args


def references(*rows):
    return pd.DataFrame([dict(zip(REFERENCE_COLUMNS, row)) for row in rows])


def s1_result(n_train=60000, accuracy=0.97, C=10):
    setting = {"n_train": n_train, "extractor.kind": "pixels", "classifier.kind": "rbf_svm", "classifier.C": C}
    return Result("S1", "mnist", setting, {"accuracy": accuracy}, "pixels + rbf_svm")


SVM = ("S1", "mnist", "n_train=60000 extractor.kind=pixels classifier.kind=rbf_svm classifier.C=10",
       "accuracy", 0.973, 0.01, "Xiao et al. 2017, Table 3")


def test_parse_setting_types_numbers_and_refuses_bare_words():
    assert parse_setting("n_train=4000 loss=squared classifier.C=0.5") == {
        "n_train": 4000, "loss": "squared", "classifier.C": 0.5}
    with pytest.raises(ValueError, match="'loss' is not key=value"):
        parse_setting("n_train=4000 loss")


@pytest.mark.parametrize("result, verdict", [
    (s1_result(accuracy=0.968), "reproduced"),
    (s1_result(accuracy=0.95), "off by -0.023"),
    (s1_result(n_train=10000, accuracy=0.95), "not run at this scale (n_train 10000 vs 60000)"),
    (s1_result(C=1), "not run"),
])
def test_verdict_of_a_result_against_a_published_number(result, verdict):
    card = scorecard(references(SVM), [result])
    assert len(card) == 1 and card["verdict"].iloc[0] == verdict
    assert card["ours"].iloc[0] == (None if verdict == "not run" else result.metrics["accuracy"])


def test_a_reference_lists_every_result_that_answers_it_and_ignores_other_datasets():
    fashion = Result("S1", "fashion-mnist", s1_result().setting, {"accuracy": 0.97}, "fashion")
    card = scorecard(references(SVM), [s1_result(accuracy=0.97), s1_result(n_train=5000), fashion])
    assert card["verdict"].tolist() == ["reproduced", "not run at this scale (n_train 5000 vs 60000)"]


def run_summary(model, regularisation, variant, epochs, test_error, weight_decay=0.0):
    return {"model": model, "regularisation": regularisation, "variant": variant, "kind": "mlp", "width": 512,
            "parameters": 400_000, "weight_decay": weight_decay, "dropout": 0.0, "shift": 0, "flip": False,
            "n_train": 50000, "epochs_to_zero_error": epochs, "seconds_to_zero_error": epochs * 2.0,
            "epochs_run": epochs, "train_error": 0.0, "test_error": test_error, "test_loss": 1.0}


def test_s5_runs_answer_table_1_and_the_random_label_slowdown():
    runs = [run_summary("mlp", "plain", "true_labels", 20, 0.49),
            run_summary("mlp", "plain", "random_labels", 60, 0.90),
            run_summary("mlp", "wd", "true_labels", 25, 0.50, weight_decay=5e-4)]
    published = load_references()
    card = scorecard(published[published["study"] == "S5"], s5_results(runs, "cifar10"))
    answered = card[card["verdict"] != "not run"].set_index("source")
    slowdown = answered.filter(like="Fig. 1a", axis=0).iloc[0]
    assert slowdown["ours"] == 3.0 and slowdown["verdict"] == "reproduced"  # 60 / 20 epochs, within 2.5 +- 1
    plain = answered.loc["Zhang et al. 2017 (ICLR), Table 1: MLP 1x512, no regularisation"]
    assert plain["ours"] == pytest.approx(0.51) and plain["verdict"] == "reproduced"
    decayed = answered.loc["Zhang et al. 2017 (ICLR), Table 1: MLP 1x512, weight decay (train accuracy 99.80%)"]
    assert decayed["ours"] == pytest.approx(0.50)
    assert not answered.index.str.contains("3x512|Inception|AlexNet").any()


def test_s3_mlps_on_facescrub_answer_the_course_range():
    run = {"name": "h300", "dataset": "facescrub-28", "hidden": 300, "weight_decay": 0.0, "classes": list("abcdef"),
           "n_train": 420, "test_accuracy": 0.81}
    published = load_references()
    card = scorecard(published[published["study"] == "S3"],
                     s3_results([run, run | {"name": "small", "n_train": 144}], {"facescrub-28": "facescrub"}))
    assert card["verdict"].tolist() == ["reproduced", "not run at this scale (n_train 144 vs 420)"]
    stand_in = scorecard(published[published["study"] == "S3"], s3_results([run], {"facescrub-28": "faces"}))
    assert stand_in["verdict"].tolist() == ["not run"], "the stand-in faces never answer the FaceScrub reference"


def test_s6_peak_position_in_units_of_nk():
    widths = [10, 40, 50, 60, 200]
    table = pd.DataFrame({"loss": "squared", "n_train": 4000, "n_classes": 10, "width": widths,
                          "parameters": [w * 795 + 10 for w in widths],
                          "test_loss": [0.9, 0.3, 0.6, 0.4, 0.2], "test_error": [0.5, 0.1, 0.2, 0.15, 0.05]})
    (result,) = s6_results(table, "mnist")
    assert result.metrics["test_loss_peak_over_nK"] == pytest.approx(39760 / 40000)
    card = scorecard(load_references(), [result])
    assert (card.loc[card["study"] == "S6", "verdict"] == "reproduced").all()


def s7_run(model, canvas, fragments, test_error, n_train=60000, digit_size=28):
    return {"model": model, "canvas": {"name": f"c{canvas}_{fragments}", "canvas": canvas, "fragments": fragments},
            "digit_size": digit_size, "n_train": n_train, "test_error": test_error}


def test_s7_runs_answer_mnih_et_al_on_their_canvases_only():
    runs = [s7_run("ram-8", 60, 4, 0.045), s7_run("conv", 60, 0, 0.05), s7_run("ram-4", 60, 0, 0.03),
            s7_run("ram-8", 100, 8, 0.3, n_train=10000), s7_run("ram-8", 26, 0, 0.4, digit_size=12)]
    card = scorecard(load_references().query("study == 'S7'"), s7_results(runs, "mnist"))
    verdicts = dict(zip(card["setting"], card["verdict"]))
    assert verdicts["canvas=60 fragments=4 digit_size=28 model=ram-8 n_train=60000"] == "reproduced"  # 4.04 +- 1
    assert verdicts["canvas=60 fragments=0 digit_size=28 model=ram-4 n_train=60000"].startswith("off by +0.01")
    assert verdicts["canvas=60 fragments=0 digit_size=28 model=conv n_train=60000"].startswith("off by +0.03")
    assert verdicts["canvas=100 fragments=8 digit_size=28 model=ram-8 n_train=60000"].startswith("not run at this scale")
    assert verdicts["canvas=60 fragments=0 digit_size=28 model=ram-8 n_train=60000"] == "not run"  # ram-4 is not ram-8
    assert len(card) == 11  # one row per reference; the 26 px stand-in canvas answers nothing


def test_s10_row_lstm_and_s11_mlps_answer_their_references_by_dataset_source():
    sources = {"mnist-10k": "mnist", "fashion-mnist": "fashion-mnist", "digits": "digits"}
    rows = [{"model": "row-lstm", "dataset": "mnist-10k", "n_train": 10000, "test_accuracy": 0.97},
            {"model": "row-lstm", "dataset": "digits", "n_train": 1257, "test_accuracy": 0.9}]
    runs = pd.DataFrame([
        {"model": "mlp-relu-d1-w100", "family": "mlp", "activation": "relu", "depth": 1, "width": "100",
         "dataset": "fashion-mnist", "n_train": 60000, "test_accuracy": 0.88},
        {"model": "mlp-linear-d1-w100", "family": "mlp", "activation": "linear", "depth": 1, "width": "100",
         "dataset": "fashion-mnist", "n_train": 60000, "test_accuracy": 0.84},
        {"model": "vgg-d1", "family": "vgg", "activation": "relu", "depth": 1, "width": "32-64",
         "dataset": "mnist", "n_train": 60000, "test_accuracy": 0.99}])
    references = load_references().query("study in ['S10', 'S11']")
    card = scorecard(references, s10_results(rows, sources) + s11_results([runs], sources))
    verdicts = {(row["study"], row["dataset"]): row["verdict"] for row in card.to_dict("records")}
    assert verdicts[("S10", "mnist")].startswith("not run at this scale (n_train 10000 vs 60000)")
    assert verdicts[("S11", "fashion-mnist")] == "reproduced"  # 0.88 against 0.871 +- 0.01; the linear net is no match
    assert verdicts[("S11", "mnist")] == "not run"  # a VGG net is no MLP [100]
    assert len(card) == 3



def test_s12_lottery_runs_answer_frankle_and_carbin_at_their_sparsity_only():
    """Dense 98.1 %, a ticket at 3.6 % of the weights 97.9 % (0.2 points below: reproduced), and a 5.0 % round
    that no reference names; the same runs on 5,000 images are not at the paper's scale."""
    def runs(n_train, model="mlp-300-100"):
        rows = [("winning_ticket", 0, 1.0, 0.981, 600), ("winning_ticket", 1, 0.036, 0.979, 500),
                ("random_reinit", 1, 0.036, 0.90, 900), ("winning_ticket", 2, 0.05, 0.97, 550)]
        return pd.DataFrame([{"trial": 0, "arm": arm, "round": r, "remaining": rem, "test_accuracy": acc,
                              "early_stop_iteration": it, "n_train": n_train, "model": model,
                              "prune_fraction": 0.2, "output_fraction": 0.1, "rewind_epoch": 0}
                             for arm, r, rem, acc, it in rows])

    card = scorecard(load_references().query("study == 'S12'"), s12_results(runs(55000), "mnist"))
    assert list(card["verdict"]) == ["reproduced", "reproduced"]
    assert card["ours"].tolist() == pytest.approx([0.981, -0.002])
    small = scorecard(load_references().query("study == 'S12'"), s12_results(runs(5000), "mnist"))
    assert small["verdict"].str.startswith("not run at this scale (n_train 5000 vs 55000)").all()
    # a Conv-4 ticket is no LeNet-300-100 ticket
    conv = scorecard(load_references().query("study == 'S12'"), s12_results(runs(55000, "conv4"), "mnist"))
    assert (conv["verdict"] == "not run").all()
    ticket = next(result for result in s12_results(runs(55000), "mnist")
                  if result.setting["arm"] == "winning_ticket" and result.setting["remaining_percent"] == 3.6)
    assert ticket.metrics["early_stop_ratio_vs_dense"] == pytest.approx(500 / 600)

def test_s9_fused_network_answers_yu_et_al_only_on_all_of_tu_berlin_at_their_size(tmp_path):
    def run_dir(name, source, classes, size):
        folder = tmp_path / name
        folder.mkdir()
        (folder / "run.json").write_text(json.dumps({"source": source, "classes": ["c"] * classes, "size": size,
                                                     "n_train": 13250}))
        pd.DataFrame({"network": ["full", "fused"], "top1": [0.70, 0.741], "top5": [0.9, 0.93]}).to_csv(
            folder / "runs.csv", index=False)
        return folder

    paper = run_dir("paper", "TU-Berlin SVG folder svg", 250, 225)
    card = scorecard(load_references().query("study == 'S9'"), s9_results([paper]))
    assert card["verdict"].tolist() == ["reproduced"] and card["ours"].tolist() == [0.741]
    others = [run_dir("laptop", "TU-Berlin SVG folder svg", 20, 64), run_dir("doodles", "STAND-IN", 250, 225)]
    assert scorecard(load_references().query("study == 'S9'"), s9_results(others))["verdict"].tolist() == ["not run"]


def test_s13_beam_search_bleu_answers_xu_et_al_by_model_and_the_stand_in_nothing():
    bleu = {"bleu1": 0.66, "bleu2": 0.43, "bleu3": 0.29, "bleu4": 0.17}
    run = {"dataset": "flickr8k", "n_train": 6000, "model": "soft-attention", "encoder": "vgg19",
           "greedy": {k: v - 0.05 for k, v in bleu.items()}, "beam": bleu}
    card = scorecard(load_references().query("study == 'S13'"), s13_results([run]))
    soft = card[card["setting"].str.contains("soft-attention")].set_index("metric")
    assert list(soft["verdict"]) == ["reproduced", "reproduced", "reproduced", "off by -0.025"]
    assert (card[~card["setting"].str.contains("soft-attention")]["verdict"] == "not run").all()
    small = scorecard(load_references().query("study == 'S13'"), s13_results([run | {"n_train": 2000}]))
    assert small["verdict"].str.startswith("not run").all()
    assert small["verdict"].str.contains("n_train 2000 vs 6000").sum() == 4
    standin = scorecard(load_references().query("study == 'S13'"), s13_results([run | {"dataset": "shapes-standin"}]))
    assert (standin["verdict"] == "not run").all()


def test_packaged_references_cite_a_table_figure_or_file_for_every_row():
    table = load_references()
    assert {"S1", "S3", "S5", "S6", "S7", "S9", "S10", "S11", "S12", "S13"} <= set(table["study"])
    assert table["source"].str.contains(r"Table|Fig\.|examples/|handout").all()
    assert (table["tolerance"] > 0).all()


def test_cli_scores_real_classifier_metrics_and_writes_table_and_section(digits_features, tmp_path):
    features, dataset = digits_features
    fit = CliRunner().invoke(main, fit_args(features, dataset, tmp_path, '{"kind": "knn", "n_neighbors": 3}'))
    assert fit.exit_code == 0, fit.output
    accuracy = json.loads((tmp_path / "metrics.json").read_text())["accuracy"]
    published = tmp_path / "published.csv"
    references(("S1", "digits", "n_train=300 extractor.kind=pixels classifier.kind=knn classifier.n_neighbors=3",
                "accuracy", accuracy + 0.05, 0.01, "a test table"),
               ("S1", "digits", "n_train=1797 extractor.kind=pixels classifier.kind=knn", "accuracy", 0.98, 0.01,
                "another")).to_csv(published, index=False)
    run = {"sources": {"dataset": "digits"}, "extractors": {"pixels": {"kind": "pixels"}}}
    args = ["scorecard", "--s1-metrics", str(tmp_path / "metrics.json"), "--run", json.dumps(run),
            "--references", str(published), "--table", str(tmp_path / "references.csv"),
            "--section", str(tmp_path / "section.json")]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    card = pd.read_csv(tmp_path / "references.csv")
    assert card["verdict"].tolist() == ["off by -0.05", "not run at this scale (n_train 300 vs 1797)"]
    section = json.loads((tmp_path / "section.json").read_text())
    assert section["title"] == "Reference scorecard" and section["tables"][0]["path"].endswith("references.csv")
    assert "2 comparisons with this run: 1 at the published setting (0 reproduced" in section["intro"]


def test_cli_refuses_run_settings_that_are_not_json(tmp_path):
    result = CliRunner().invoke(main, ["scorecard", "--run", "sources: x", "--table", str(tmp_path / "t.csv"),
                                       "--section", str(tmp_path / "s.json")])
    assert result.exit_code != 0 and "Error: --run is not JSON" in result.output
    assert not (tmp_path / "t.csv").exists()
