# Config validation and the small functions that turn the config into file lists.

import json
import os
import re
import shlex

import jsonschema
from snakemake.exceptions import WorkflowError
from snakemake.utils import min_version, validate

from dlrepro.authentication.drawings import drawing_files
from dlrepro.data.sources import SOURCES
from dlrepro.data.variants import check_variant
from dlrepro.features.settings import resolve_settings

min_version("9.0")


def validate_config():
    """Validate (and fill defaults); a bad value stops the run with one line naming the key."""
    try:
        validate(config, schema="../schemas/config.schema.yaml")
    except WorkflowError as err:
        cause = err.__context__  # snakemake wraps jsonschema's error, keeping only its text
        if not isinstance(cause, jsonschema.ValidationError):
            raise
        key = ".".join(str(p) for p in cause.absolute_path) or "(top level)"
        raise WorkflowError(
            f"config key {key}: {cause.message}. Fix it in config.yaml or the --configfile you passed."
        ) from None


validate_config()


wildcard_constraints:
    dataset=r"[A-Za-z0-9_.-]+",
    model=r"[A-Za-z0-9_]+",
    regularisation=r"[A-Za-z0-9_]+",
    variant=r"[A-Za-z0-9_.-]+",
    width=r"[0-9]+",
    source=r"[A-Za-z0-9_-]+",
    filename=r"[^/]+",


# Conda environments for `--sdm conda`, one per rule family, named by what the family imports.
# Rules pick one with `conda: ENVS["torch"]`. Each env pins the third-party packages exactly
# as pyproject.toml does; its post-deploy script installs dlrepro itself from the checkout
# named by DLREPRO_SRC (a value this workflow provides, not one it asks the user for).
ENVS = {
    family: f"../../envs/{family}.yaml" for family in ("data", "sklearn", "torch", "report")
}
os.environ.update(DLREPRO_SRC=workflow.basedir)


def rule_resources(rule):
    """Cluster requests of a rule, given by name: its config["resources"] entry over the default.

    Rules opt in with one line, ``resources: **rule_resources("<its name>")``; GPU rules add
    ``gpu=1`` to it. Both requests grow with each retry, so a job killed for running out of
    memory or time gets more on its next attempt.
    """
    requested = config["resources"]["default"] | config["resources"].get(rule, {})
    return {name: scaled_by_attempt(value) for name, value in requested.items()}


def scaled_by_attempt(value):
    def request(wildcards, attempt):
        return value * attempt

    return request


def check_resource_rules():
    """Stop on config["resources"] entries that name no rule: a typo would be ignored silently."""
    unknown = sorted(set(config["resources"]) - {"default"} - {r.name for r in workflow.rules})
    if unknown:
        raise ValueError(
            f"config resources: no rule named {', '.join(unknown)}; "
            "use names from `snakemake --list-rules`"
        )


def name_pattern(names):
    """Regex matching exactly ``names`` (nothing when empty), for wildcard constraints."""
    return "|".join(re.escape(name) for name in names) or "(?!)"


def source_dataset_names():
    """The names under config["datasets"]; other rules make the other datasets."""
    return name_pattern(config["datasets"])


def dataset_source(dataset):
    return config["datasets"][dataset]["source"]


def raw_files(wildcards):
    """Raw files the dataset's source needs (none for built-in sources)."""
    source = dataset_source(wildcards.dataset)
    if source not in SOURCES:
        return []
    return [f"results/raw/{source}/{raw.name}" for raw in SOURCES[source].files]


def raw_dir(wildcards):
    return f"results/raw/{dataset_source(wildcards.dataset)}"


def dataset_dir(wildcards):
    return f"results/datasets/{wildcards.dataset}"


def source_name(wildcards):
    return dataset_source(wildcards.dataset)


def dataset_option(flag, key):
    """Params function: ``flag value`` from the dataset's config entry, or nothing."""

    def from_config(wildcards):
        return option(flag, config["datasets"][wildcards.dataset].get(key))

    return from_config


def option(flag, value):
    """A command-line option, or nothing when the config leaves it unset."""
    return "" if value is None else f"{flag} {value}"


def dataset_files(dataset):
    return {
        "images": f"results/datasets/{dataset}/images.npy",
        "index": f"results/datasets/{dataset}/index.parquet",
    }


def dataset_targets(names):
    return [path for name in names for path in dataset_files(name).values()]


def as_options(settings):
    """``--key value`` for every set entry of a settings mapping, values quoted for the shell."""
    return " ".join(
        f"--{key.replace('_', '-')} {shlex.quote(str(value))}" for key, value in settings.items() if value is not None
    )


def classifier_settings(section):
    """Params function: one classifier's config as JSON, so editing it reruns only that classifier's jobs."""

    def from_config(wildcards):
        return json.dumps(config[section]["classifiers"][wildcards.classifier], sort_keys=True)

    return from_config


def extractors_of(dataset):
    """(config key, extractors) for a dataset: S2's for the S2 drawings' patches, S1's for the others."""
    if "s2" in config and dataset == S2_DATASET:
        return "s2.extractors", config["s2"]["extractors"]
    return "s1.extractors", config.get("s1", {}).get("extractors", {})


def extractor_settings(wildcards):
    """The extractor's config entry with its kind's defaults; bad entries fail while the DAG is built."""
    key, extractors = extractors_of(wildcards.dataset)
    if wildcards.extractor not in extractors:
        raise ValueError(f"no extractor {wildcards.extractor!r} in {key}; configured: {sorted(extractors)}")
    try:
        return resolve_settings(extractors[wildcards.extractor])
    except ValueError as err:
        raise ValueError(f"{key}.{wildcards.extractor}: {err}") from err


def extractor_options(wildcards):
    """Only this extractor's settings as options, so editing another extractor does not rerun it."""
    return as_options(extractor_settings(wildcards))


def extractor_threads(wildcards):
    return 1 if extractor_settings(wildcards)["kind"] == "pixels" else 4


def extractor_gpus(wildcards):
    return int(extractor_settings(wildcards)["kind"] == "torchvision")


# Study keys in report order; a study runs when its key is in the config.
STUDIES = ["s1", "s2", "s5", "s6"]


def all_targets():
    """Every configured dataset and the report built from the enabled studies."""
    return dataset_targets(config["datasets"]) + ["results/report/index.html"]


def report_sections():
    """Section files of the enabled studies, in report order, then the reference scorecard."""
    return [f"results/{study}/section.json" for study in STUDIES if study in config] + [SCORECARD["section"]]


# The reference scorecard: published results next to this run's (results/references.csv).

SCORECARD = {"table": "results/references.csv", "section": "results/scorecard/section.json"}


def scorecard_inputs():
    """The outputs the scorecard reads: S1 classifier metrics, S5 fits, the S6 table (of the enabled studies)."""
    return {"s1": s1_metrics(), "s5": s5_fit_files(), "s6": ["results/s6/table.csv"] if "s6" in config else []}


def scorecard_options(wildcards, input):
    return " ".join([repeat_option("--s1-metrics", input.s1), repeat_option("--s5-fit", input.s5),
                     repeat_option("--s6-table", input.s6)])


def scorecard_run(wildcards):
    """What the outputs do not name, as JSON: dataset sources, S1 extractor settings, S5/S6 datasets."""
    run = {"sources": {name: entry["source"] for name, entry in config["datasets"].items()},
           "extractors": {name: resolve_settings(entry) for name, entry in S1.get("extractors", {}).items()}}
    run |= {f"{study}_dataset": config[study]["dataset"] for study in ("s5", "s6") if study in config}
    return json.dumps(run, sort_keys=True)


def repeat_option(flag, values):
    return " ".join(f"{flag} {value}" for value in values)


# S1: features + classical learning

S1 = config.get("s1", {})


def s1_combinations(pattern, **fixed):
    """``pattern`` expanded over the S1 datasets and extractors (and the given fixed names)."""
    return expand(pattern, dataset=S1.get("datasets", []), extractor=S1.get("extractors", {}), **fixed)


def s1_metrics():
    return s1_combinations(
        "results/s1/{dataset}/{extractor}/{classifier}/metrics.json", classifier=S1.get("classifiers", {})
    )


def s1_confusion_figures():
    return s1_combinations(
        "results/figures/s1/{dataset}/{extractor}/confusion_{classifier}.png", classifier=S1.get("classifiers", {})
    )


def s1_embedding_figures():
    methods = S1.get("embeddings", {}).get("methods", [])
    return s1_combinations("results/figures/s1/{dataset}/{extractor}/embedding_{method}.png", method=methods)


def s1_finetune_metrics():
    modes = S1.get("finetune", {}).get("modes", [])
    return expand("results/s1/{dataset}/finetune/{mode}/metrics.json", dataset=S1.get("datasets", []), mode=modes)


def finetune_options(wildcards):
    """Only the fine-tuning settings as options: editing a classifier does not retrain the CNN."""
    keys = ("arch", "weights", "image_size", "epochs", "batch_size", "optimizer", "lr", "weight_decay", "patience")
    return as_options({key: S1["finetune"][key] for key in keys})


def s1_finetune_options(wildcards):
    return repeat_option("--finetune", s1_finetune_metrics())


def s1_figure_options(wildcards):
    embeddings = repeat_option("--embedding-figure", s1_embedding_figures())
    return f"{embeddings} {repeat_option('--confusion-figure', s1_confusion_figures())}"


# S2: Raphael drawings authentication

S2 = config.get("s2", {})
S2_DATASET = "raphael"  # the patch dataset of the drawings: results/datasets/raphael/
S2_DRAWINGS_TABLE = "results/s2/drawings.csv"  # the verified drawings, as `dlrepro raphael verify` writes them
S2_GENERATED = {"drawings": "results/s2/generated/drawings", "labels": "results/s2/generated/labels.csv"}


def s2_generated():
    return S2.get("drawings") is None


def s2_drawings_dir(wildcards=None):
    return S2_GENERATED["drawings"] if s2_generated() else S2["drawings"]


def s2_labels():
    if s2_generated():
        return S2_GENERATED["labels"]
    if S2["labels"] is None:
        raise ValueError("s2.labels: give the labels table (number, label) of the drawings in s2.drawings")
    return S2["labels"]


def s2_drawing_inputs(wildcards):
    """The drawings (each numbered file, so an edited drawing reruns the check) and the labels table.

    Generated drawings are one directory output of the workflow.
    """
    folder = s2_drawings_dir()
    if s2_generated():
        return {"drawings": folder, "labels": s2_labels()}
    if not os.path.isdir(folder):
        raise ValueError(f"s2.drawings: folder {folder} does not exist; point it at your drawings")
    numbered, _ = drawing_files(folder)
    return {"drawings": [str(path) for _, path in sorted(numbered.items())], "labels": s2_labels()}


def s2_manifest(wildcards):
    """s2.manifest, else SHA256SUMS in the drawings folder when it has one (generated: always), else
    results/s2/drawings.sha256, which the first run writes."""
    if S2.get("manifest"):
        return S2["manifest"]
    shipped = os.path.join(s2_drawings_dir(), "SHA256SUMS")
    return shipped if s2_generated() or os.path.exists(shipped) else "results/s2/drawings.sha256"


def s2_generate_options(wildcards):
    settings = S2["generate"]
    return f"--count {settings['count']} --disputed {settings['disputed']} --size {settings['size']}"


def s2_metrics():
    return expand("results/s2/{extractor}/{classifier}/metrics.json", extractor=S2.get("extractors", {}),
                  classifier=S2.get("classifiers", {}))


def s2_vote_figures():
    """Vote figures in the order of s2_metrics(): `dlrepro raphael summarise` pairs them up."""
    return expand("results/figures/s2/votes_{extractor}_{classifier}.png", extractor=S2.get("extractors", {}),
                  classifier=S2.get("classifiers", {}))


def s2_figure_options(wildcards):
    return repeat_option("--figure", s2_vote_figures())


def s2_patch_setting(key):
    """Params function: one of the s2.patches settings."""

    def from_config(wildcards):
        return S2["patches"][key]

    return from_config


def s2_patch_words(wildcards):
    patches = S2["patches"]
    colour = "grayscale" if patches["grayscale"] else "RGB"
    return (f"{patches['size']} px {colour} patches every {patches['stride']} px after scaling by "
            f"{patches['scale']}, patches with pixel std < {patches['min_std']} dropped as background")


# S5: rethinking generalization (its file lists are empty when the config has no s5 section)


def s5_variants():
    """Configured data variants, the label-corruption ones named corrupt-<p>."""
    s5 = config["s5"]
    return s5["variants"] + [f"corrupt-{p}" for p in s5["corruption"]]


def s5_runs():
    """(model, regularisation, variant) of every S5 fit: each setting on its own variants."""
    runs = []
    for name, setting in config.get("s5", {}).get("regularisation", {}).items():
        for variant in setting["variants"] or s5_variants():
            check_variant(variant)
            runs += [(model, name, variant) for model in config["s5"]["models"]]
    return runs


def s5_fit_files():
    return [f"results/s5/fit/{m}/{r}/{v}/fit.json" for m, r, v in s5_runs()]


def s5_sweep_files():
    widths = config.get("s5", {}).get("sweep", {}).get("widths", [])
    return [f"results/s5/sweep/w{width}/fit.json" for width in widths]


def s5_curve_figures():
    pairs = sorted({(m, r) for m, r, _ in s5_runs()})
    return [f"results/figures/s5/curves_{m}_{r}.png" for m, r in pairs]


def s5_sweep_outputs():
    """Width-sweep figure and table, when the config sweeps any width."""
    if not s5_sweep_files():
        return []
    return ["results/figures/s5/width_sweep.png", "results/s5/width_sweep.csv"]


def s5_dataset_name(wildcards):
    return config["s5"]["dataset"]


def s5_dataset_files(wildcards):
    return dataset_files(s5_dataset_name(wildcards))


def s5_sweep_kind(wildcards):
    return config["s5"]["sweep"]["kind"]


def s5_train_options(wildcards):
    """Command-line options shared by every S5 fit: subset, optimisation, seed."""
    train = config["s5"]["train"]
    return (
        f"{option('--max-train', config['s5']['max_train'])} --optimizer {train['optimizer']} "
        f"--lr {train['lr']} --momentum {train['momentum']} --batch-size {train['batch_size']} "
        f"--max-epochs {train['max_epochs']} --seed {config['seed']}"
    )


def s5_model_options(wildcards):
    model = config["s5"]["models"][wildcards.model]
    return f"--model-name {wildcards.model} --kind {model['kind']} --width {model['width']}"


def s5_regularisation_options(wildcards):
    setting = config["s5"]["regularisation"][wildcards.regularisation]
    flip = "--flip" if setting["flip"] else "--no-flip"
    return (
        f"--regularisation {wildcards.regularisation} --weight-decay {setting['weight_decay']} "
        f"--dropout {setting['dropout']} --shift {setting['shift']} {flip}"
    )


def s5_sweep_options():
    return repeat_option("--sweep", s5_sweep_files())


# S6: double descent

def s6_dataset_name(wildcards):
    return config["s6"]["dataset"]


def s6_dataset_files(wildcards):
    return dataset_files(s6_dataset_name(wildcards))


def s6_options(wildcards):
    """Command-line options of `dlrepro double-descent run` from the s6 config section."""
    s6 = config["s6"]
    widths = ",".join(str(width) for width in s6["widths"])
    return (
        f"--dataset-dir results/datasets/{s6['dataset']} --n-train {s6['n_train']} --widths {widths} "
        f"--epochs {s6['epochs']} --batch-size {s6['batch_size']} --optimizer {s6['optimizer']} "
        f"--lr {s6['lr']} --momentum {s6['momentum']} --step-size {s6['step_size']} --gamma {s6['gamma']} "
        f"--loss {s6['loss']} {'--reuse' if s6['reuse'] else '--no-reuse'} --seed {config['seed']}"
    )


# FaceScrub (read lazily: the section is absent from the embedded default).


def facescrub_lists(wildcards):
    return [f"results/raw/facescrub/{name}" for name in config["facescrub"]["lists"]]


def facescrub_list_options(wildcards):
    return repeat_option("--list", facescrub_lists(wildcards))


def facescrub_people(wildcards):
    """``--person`` options, quoted: the names contain spaces."""
    return " ".join(f"--person {shlex.quote(name)}" for name in config["facescrub"]["people"])


def facescrub_fetch_options(wildcards):
    settings = config["facescrub"]
    return " ".join(
        [
            option("--faces-per-person", settings["faces_per_person"]),
            option("--workers", settings["workers"]),
            option("--timeout", settings["timeout"]),
            option("--retries", settings["retries"]),
            option("--backoff", settings["backoff"]),
            option("--image-mirror", settings["image_mirror"]),
            "--retry-failed" if settings["retry_failed"] else "",
        ]
    )


def facescrub_dataset_setting(key):
    """Params function: one setting of the requested FaceScrub dataset."""

    def from_config(wildcards):
        return config["facescrub"]["datasets"][wildcards.dataset][key]

    return from_config


def facescrub_train_per_person(wildcards):
    return config["facescrub"]["train_per_person"]


def facescrub_dataset_names():
    return name_pattern(config.get("facescrub", {}).get("datasets", {}))


def facescrub_targets():
    return dataset_targets(config.get("facescrub", {}).get("datasets", {}))


# Patch datasets: config["patches"][name] cuts a folder of large images (S2's drawings).


def patch_datasets():
    """config["patches"], plus S2's drawings cut as s2.patches says (from its verified drawings table)."""
    datasets = dict(config.get("patches", {}))
    if "s2" in config:
        if S2_DATASET in datasets:
            raise ValueError(f"patches.{S2_DATASET}: the name is S2's patch dataset; rename this entry")
        datasets[S2_DATASET] = {"images": s2_drawings_dir(), "labels": S2_DRAWINGS_TABLE, **config["s2"]["patches"]}
    return datasets


def patch_dataset_names():
    return name_pattern(patch_datasets())


def patch_inputs(wildcards):
    settings = patch_datasets()[wildcards.dataset]
    inputs = {"images": settings["images"]}
    if settings["labels"]:
        inputs["labels"] = settings["labels"]
    return inputs


def patch_options(wildcards):
    settings = patch_datasets()[wildcards.dataset]
    return " ".join(
        [
            option("--labels", settings["labels"]),
            option("--size", settings["size"]),
            option("--stride", settings["stride"]),
            "--grayscale" if settings["grayscale"] else "--color",
            option("--min-std", settings["min_std"]),
            option("--scale", settings["scale"]),
        ]
    )
