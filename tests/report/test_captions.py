from pathlib import Path
from types import SimpleNamespace

import jinja2
import pytest

from dlrepro.report.captions import s1_reference, s2_reference, snakemake_captions, write_snakemake_captions

REPORT_DIR = Path(__file__).resolve().parents[2] / "workflow" / "report"
CONFIG = {
    "datasets": {"faces-28": {"source": "faces"}},
    "s1": {
        "datasets": ["mnist", "digits"],
        "extractors": {"pixels": {"kind": "pixels"}, "resnet18": {"kind": "torchvision"},
                       "scattering": {"kind": "scattering"}},
        "classifiers": {"knn": {"kind": "knn"}, "svm": {"kind": "rbf_svm", "scaling": "min_max"}},
        "embeddings": {"max_points": 500},
        "finetune": {"arch": "resnet18"},
    },
    "s3": {"pixel_dataset": "faces-28", "alexnet": {"weights": "random"}, "hidden_units": ["h300", "h300_l2"]},
    "s4": {"dataset": "art-standin"},
    "s5": {"dataset": "cifar10", "max_train": None, "sweep": {"kind": "cnn", "widths": [4, 8]}},
    "s6": {"dataset": "mnist", "n_train": 4000, "loss": "cross_entropy"},
    "s7": {"dataset": "digits"},
    "s8": {"datasets": ["digits"], "size": 16},
    "s10": {"dataset": "digits", "palindromes": {"hidden": 32, "max_norm": 1.0, "seeds": 3}},
    "s11": {"datasets": ["mnist", "digits"]},
    "s12": {"lottery": {"dataset": "digits"}},
    "s9": {"sketches": {"folder": None}, "dream": {"network": "sketch", "weights": "imagenet"}},
    "s13": {"data": {"flickr8k": None, "size": 32}},
    "s14": {"images": {"dataset": "dies-standin", "gradcam": {"layer": "layer2"}}, "timeseries": {"csv": None}},
}


def render(name: str, **wildcards: str) -> str:
    """A caption file rendered as Snakemake's report renders it: Jinja over config and wildcards."""
    snakemake = SimpleNamespace(config=CONFIG, wildcards=SimpleNamespace(**wildcards))
    return jinja2.Template((REPORT_DIR / name).read_text()).render(snakemake=snakemake)


def test_workflow_caption_files_are_the_generated_ones(tmp_path):
    written = write_snakemake_captions(tmp_path)
    stale = [p.name for p in written if p.read_text() != (REPORT_DIR / p.name).read_text()]
    assert not stale, (f"{stale} differ from dlrepro.report.captions; regenerate them: python -c "
                       "'from dlrepro.report.captions import write_snakemake_captions as w; w(\"workflow/report\")'")


def test_s6_caption_names_the_configured_loss():
    text = render("s6.rst")
    assert "trained with the cross-entropy loss on n = 4000 training images of mnist" in text
    assert "squared" not in text


@pytest.mark.parametrize(
    "dataset, extractor, classifier, scaling, reference",
    [
        ("mnist", "pixels", "knn", "(features as extracted)", "99.4%"),
        ("mnist", "resnet18", "knn", "(each feature standardised on the train split)", "Xiao et al. 2017"),
        ("digits", "pixels", "svm", "(each feature scaled to [0, 1] on the train split)", "no published number"),
        ("cifar10", "scattering", "knn", "(each feature scaled to [0, 1] on the train split)", "70.5%"),
    ],
)
def test_confusion_caption_names_the_scaling_and_the_matching_reference(dataset, extractor, classifier, scaling,
                                                                        reference):
    text = render("s1_confusion.rst", dataset=dataset, extractor=extractor, classifier=classifier)
    assert f"the {classifier} classifier on the {extractor} features of {dataset} {scaling}" in text
    assert reference in text and "{" not in text
    if dataset == "digits":
        assert "99.4%" not in text


def test_accuracy_caption_quotes_each_dataset_run():
    text = render("s1_accuracy.rst")
    assert "one panel per dataset (mnist, digits)" in text
    assert "SVC rbf C=10 97.3%" in text and text.endswith("digits: no published number for this data.")
    assert "Fashion-MNIST" not in text and "CIFAR-10" not in text


def test_s5_summary_caption_names_the_data_and_widths():
    text = render("s5_summary.rst")
    assert "all training images of cifar10" in text and "the cnn against its parameter count, widths 4, 8" in text


def test_s4_captions_say_when_the_paintings_are_the_stand_in():
    assert all("STAND-IN" in render(f"s4_{name}.rst") for name in ("curves", "summary", "robustness", "misclassified"))
    real = CONFIG | {"s4": CONFIG["s4"] | {"dataset": "art_data"}}
    text = jinja2.Template((REPORT_DIR / "s4_summary.rst").read_text()).render(snakemake=SimpleNamespace(config=real))
    assert "STAND-IN" not in text and "the paintings of dataset art_data" in text


def test_s7_captions_say_when_the_digits_are_not_mnist():
    assert all("STAND-IN" in render(f"s7_{name}.rst") for name in ("errors", "paths", "glimpses", "curves"))
    real = CONFIG | {"s7": {"dataset": "mnist"}}
    text = jinja2.Template((REPORT_DIR / "s7_errors.rst").read_text()).render(snakemake=SimpleNamespace(config=real))
    assert "STAND-IN" not in text and "MNIST digits (28 px)" in text


def test_s10_and_s11_captions_say_which_data_are_the_stand_in():
    assert "STAND-IN data: dataset digits" in render("s10_row_lstm.rst")
    assert "32 hidden units, clipping at norm 1.0" in render("s10_palindromes.rst")
    text = render("s11.rst")
    assert "(MNIST (28x28); STAND-IN data: dataset digits, not MNIST or Fashion-MNIST)" in text
    real = CONFIG | {"s10": CONFIG["s10"] | {"dataset": "mnist"}}
    text = jinja2.Template((REPORT_DIR / "s10_row_lstm.rst").read_text()).render(snakemake=SimpleNamespace(config=real))
    assert "STAND-IN" not in text and "MNIST (28x28)" in text


def test_every_caption_template_renders():
    wildcards = {"dataset": "mnist", "extractor": "pixels", "classifier": "knn", "method": "pca", "mode": "full"}
    undefined = jinja2.StrictUndefined  # a misspelt key fails here instead of rendering as nothing
    snakemake = SimpleNamespace(config=CONFIG, wildcards=SimpleNamespace(**wildcards))
    for name in snakemake_captions():
        text = jinja2.Template((REPORT_DIR / name).read_text(), undefined=undefined).render(snakemake=snakemake)
        assert "{{" not in text and "{%" not in text, name
        if name.startswith("s3"):
            assert "STAND-IN" in text, "S3 captions say when the faces are the generated stand-in"


def test_references_in_python_match_the_datasets():
    assert s1_reference(["cifar10"]).startswith("Reference: CIFAR-10") and "MNIST" not in s1_reference(["cifar10"])
    assert s2_reference([26, 1, 7, 10, 20, 23, 25]).startswith("Reference: the course project's drawings")
    assert s2_reference([2, 5]) == "Reference: none published for these drawings."


def test_s8_captions_name_the_data_and_the_published_scale():
    for name in ("grids", "interpolations", "metrics"):
        text = render(f"s8_{name}.rst")
        assert "datasets digits at 16 px" in text and "STAND-IN" in text and "11.24" in text


def test_s12_lottery_caption_says_when_the_data_is_not_mnist():
    assert "STAND-IN: dataset digits" in render("s12_lottery.rst")
    real = CONFIG | {"s12": {"lottery": {"dataset": "mnist"}}}
    text = jinja2.Template((REPORT_DIR / "s12_lottery.rst").read_text()).render(snakemake=SimpleNamespace(config=real))
    assert "STAND-IN" not in text and "3.6 %" in text
    assert "||W_i - W_i^0||_2,1" in render("s12_bounds.rst")


def test_s9_captions_name_the_stand_in_and_the_dreaming_network():
    text = render("s9_sketches.rst")
    assert "STAND-IN: generated doodles" in text and "74.9 %" in text and "p1+p2+p3" in text
    assert "trained here" in render("s9_dreams.rst")
    CONFIG["s9"] = {"sketches": {"folder": "tu-berlin/svg"}, "dream": {"network": "vgg16", "weights": "imagenet"}}
    try:
        assert "TU-Berlin" in render("s9_sketches.rst") and "STAND-IN" not in render("s9_sketches.rst")
        assert "vgg16 with imagenet weights" in render("s9_dreams.rst")
    finally:
        CONFIG["s9"] = {"sketches": {"folder": None}, "dream": {"network": "sketch", "weights": "imagenet"}}


def test_s13_captions_say_stand_in_unless_flickr8k_is_given():
    text = render("s13_examples.rst")
    assert "STAND-IN data (shapes-standin): generated 32 x 32 px scenes" in text and "{" not in text
    assert "soft attention 67/44.8/29.9/19.5" in text
    CONFIG["s13"]["data"]["flickr8k"] = "Flickr8k"
    try:
        text = render("s13_curves.rst")
    finally:
        CONFIG["s13"]["data"]["flickr8k"] = None
    assert "Flickr8K (your copy; images at 32 x 32 px" in text and "STAND-IN" not in text


def test_s14_captions_say_when_the_images_and_the_series_are_the_stand_ins():
    assert "STAND-IN images (dies-standin)" in render("s14_roc.rst") and "layer layer2" in render("s14_gradcam.rst")
    assert "STAND-IN series" in render("s14_correlations.rst")
    real = CONFIG | {"s14": {"images": {"dataset": "nexperia", "gradcam": {"layer": "layer4"}},
                             "timeseries": {"csv": "/data/index.csv"}}}
    for name in ("s14_roc.rst", "s14_correlations.rst"):
        text = jinja2.Template((REPORT_DIR / name).read_text()).render(snakemake=SimpleNamespace(config=real))
        assert "STAND-IN" not in text and ("nexperia" in text or "/data/index.csv" in text)
