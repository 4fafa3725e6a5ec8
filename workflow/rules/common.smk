# Config validation and the small functions that turn the config into file lists.

import json
import os
import re
import sys

import jsonschema
from snakemake.exceptions import WorkflowError
from snakemake.utils import min_version, validate

from dlrepro.authentication.drawings import drawing_files
from dlrepro.data.folders import image_names, is_archive
from dlrepro.data.sketches import sketch_names
from dlrepro.data.sources import SOURCES
from dlrepro.data.variants import check_variant
from dlrepro.device import cuda_device_present
from dlrepro.features.settings import resolve_settings
from dlrepro.settings import without_switched_off

min_version("9.0")


def config_error(key, problem):
    """The one-line stop for a bad config value, before any job runs."""
    return WorkflowError(f"config key {key}: {problem}. Fix it in config.yaml or the --configfile you passed.")


def validate_config():
    """Drop what null switches off, validate (filling defaults); a bad value stops the run with one
    line naming the key."""
    switched_on = without_switched_off(config)
    config.clear()
    config.update(switched_on)
    try:
        validate(config, schema="../schemas/config.schema.yaml")
    except WorkflowError as err:
        cause = err.__context__  # snakemake wraps jsonschema's error, keeping only its text
        if not isinstance(cause, jsonschema.ValidationError):
            raise
        key = ".".join(str(p) for p in cause.absolute_path) or "(top level)"
        raise config_error(key, cause.message) from None


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
ENVS = {family: f"../../envs/{family}.yaml" for family in ("data", "sklearn", "torch", "report")}
os.environ.update(DLREPRO_SRC=workflow.basedir)
# Where `dlrepro data fetch` downloads from and which manifest vouches for the files (empty: none).
os.environ.update(DLREPRO_MIRROR=config["mirror"] or "", DLREPRO_CHECKSUMS=config["checksums"] or "")


def rule_resources(rule, gpu=False):
    """Cluster requests of a rule, given by name: its config["resources"] entry over the default.

    Rules opt in with one line, ``resources: **rule_resources("<its name>")``; rules that train or
    run a CNN pass ``gpu=True``. Both requests grow with each retry, so a job killed for running out
    of memory or time gets more on its next attempt.
    """
    requested = config["resources"]["default"] | config["resources"].get(rule, {})
    resources = {name: scaled_by_attempt(value) for name, value in requested.items()}
    return resources | ({"gpu": gpu_request} if gpu else {})


def gpu_request(wildcards):
    """1 where the job gets a GPU (a cluster job, or a host with a CUDA device), else 0.

    On a CPU-only machine a request of 1 would make `--resources gpu=1` run every training job one
    at a time, leaving the other cores idle.
    """
    return int(workflow.non_local_exec or cuda_device_present())


# OpenMP threads (torch's, scikit-learn's) that wait for work sleep instead of spinning. Snakemake
# starts jobs for --cores, not for the machine's cores: on 2 cores two fine-tunings of 2 threads
# each took 88 CPU-seconds apiece spinning, 27 with passive waits (alone: 28 either way). Every
# job inherits it; a value in the environment wins.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")


def scaled_by_attempt(value):
    def request(wildcards, attempt):
        return value * attempt

    return request


def known_datasets():
    """Names the studies may use: `datasets`, FaceScrub's and the patch datasets (S2's drawings too)."""
    return set(config["datasets"]) | set(config.get("facescrub", {}).get("datasets", {})) | set(patch_datasets())


def check_study_datasets():
    """Each enabled study's `dataset`, `<role>_dataset` (S3), `<part>.dataset` (S12) and `datasets` name datasets
    the workflow makes."""
    known = known_datasets()
    for study in STUDIES:
        section = config.get(study, {})
        single = [(key, [name]) for key, name in section.items() if key == "dataset" or key.endswith("_dataset")]
        single += [
            (f"{key}.dataset", [part["dataset"]])
            for key, part in section.items()
            if isinstance(part, dict) and "dataset" in part
        ]  # a study's part (s12.lottery)
        for key, names in single + [("datasets", section.get("datasets", []))]:
            for name in names:
                if name is not None and name not in known:
                    raise config_error(
                        f"{study}.{key}", f"no dataset {name!r}; add it under datasets or use one of {sorted(known)}"
                    )


def check_weights(key, weights):
    if weights not in ("imagenet", "random") and not os.path.isfile(weights):
        raise config_error(key, f"weights file {weights} does not exist; give imagenet, random or a state_dict file")


def check_extractors():
    """Extractor settings (a layer the arch lacks, a missing weights file) fail before any job."""
    for study in ("s1", "s2"):
        for name, settings in config.get(study, {}).get("extractors", {}).items():
            try:
                resolved = resolve_settings(settings)
            except ValueError as err:
                raise config_error(f"{study}.extractors.{name}", str(err)) from None
            if resolved["kind"] == "torchvision":
                check_weights(f"{study}.extractors.{name}.weights", resolved["weights"])


def check_classifiers():
    """Classifier parameters scikit-learn rejects fail before any job."""
    # here, not at the top: scikit-learn costs the main process a CPU second, for S1 and S2 alone
    from dlrepro.models.classifiers import ClassifierConfigError, build_classifier

    for study in ("s1", "s2"):
        for name, settings in config.get(study, {}).get("classifiers", {}).items():
            try:
                build_classifier(settings, "pixels")  # the scaling is checked by the schema
            except ClassifierConfigError as err:
                raise config_error(f"{study}.classifiers.{name}", str(err)) from None


def check_config_references():
    """What the schema cannot see: names and files the config refers to, and settings only the
    library can judge."""
    check_study_datasets()
    check_extractors()
    check_classifiers()
    if config.get("s1", {}).get("finetune", {}).get("modes"):
        check_weights("s1.finetune.weights", config["s1"]["finetune"]["weights"])
    check_s3()
    check_s9()


def print_failed_job_reasons(snakemake_logs):
    """Each failed job's reason, the last line of its log (`Error: ...`), on the console: Snakemake
    itself only names the log file. ``snakemake_logs``: the run's own log file(s), `onerror`'s log."""
    job_logs = []
    for snakemake_log in [snakemake_logs] if isinstance(snakemake_logs, str) else snakemake_logs or []:
        if os.path.exists(snakemake_log):
            with open(snakemake_log, errors="replace") as handle:
                job_logs += re.findall(r"^\s+log: (\S+) \(check log file", handle.read(), re.MULTILINE)
    for path in dict.fromkeys(job_logs):
        if os.path.exists(path):
            with open(path, errors="replace") as handle:
                lines = [line.strip() for line in handle if line.strip()]
            if lines:
                print(f"{path}: {lines[-1]}", file=sys.stderr)


def check_resource_rules():
    """Stop on config["resources"] entries that name no rule: a typo would be ignored silently."""
    unknown = sorted(set(config["resources"]) - {"default"} - {r.name for r in workflow.rules})
    if unknown:
        raise ValueError(
            f"config resources: no rule named {', '.join(unknown)}; " "use names from `snakemake --list-rules`"
        )


def name_pattern(names):
    """Regex matching exactly ``names`` (nothing when empty), for wildcard constraints."""
    return "|".join(re.escape(name) for name in names) or "(?!)"


def source_dataset_names():
    """The names under config["datasets"] but image folders; other rules make the other datasets."""
    return name_pattern(name for name, entry in config["datasets"].items() if entry["source"] != "folder")


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


def dataset_settings(wildcards):
    """Only this dataset's entry, so editing another dataset does not rerun it; an image folder's with
    the manifest it is checked against."""
    entry = config["datasets"][wildcards.dataset]
    if entry["source"] == "folder":
        entry = entry | {"manifest": folder_manifest(wildcards)}
    return settings_document(entry)


def option(flag, value):
    """A command-line option, or nothing when the config leaves it unset."""
    return "" if value is None else f"{flag} {value}"


# Image-folder datasets: config["datasets"][name] with source: folder reads the user's own images.


def folder_dataset_names():
    return name_pattern(name for name, entry in config["datasets"].items() if entry["source"] == "folder")


def folder_path(wildcards):
    return config["datasets"][wildcards.dataset]["images"]


def folder_images(wildcards):
    """datasets.<name>.images: the archive, or every image of the folder, so adding one reruns the dataset;
    and the labels CSV when the classes come from one."""
    path = folder_path(wildcards)
    labels = config["datasets"][wildcards.dataset]["labels"]
    if not (is_archive(path) or os.path.isdir(path)):
        raise ValueError(
            f"datasets.{wildcards.dataset}.images: {path} is neither a folder nor an archive; "
            "point it at a class-per-folder tree or a .tar.gz/.zip of one"
        )
    images = [path] if is_archive(path) else [os.path.join(path, name) for name in image_names(path)]
    return ([labels] if labels else []) + images


def folder_manifest(wildcards):
    """datasets.<name>.manifest, else SHA256SUMS in the images folder when it has one, else
    results/datasets/<name>.sha256, which the first run writes."""
    entry = config["datasets"][wildcards.dataset]
    if entry["manifest"]:
        return entry["manifest"]
    shipped = os.path.join(entry["images"], "SHA256SUMS")
    return shipped if os.path.isfile(shipped) else f"results/datasets/{wildcards.dataset}.sha256"


def dataset_files(dataset):
    return {
        "images": f"results/datasets/{dataset}/images.npy",
        "index": f"results/datasets/{dataset}/index.parquet",
    }


def dataset_targets(names):
    return [path for name in names for path in dataset_files(name).values()]


def settings_document(settings):
    """Settings as the one JSON document a command's --settings takes; keys sorted, so the params
    of an unchanged setting compare equal and its jobs stay up to date."""
    return json.dumps(settings, sort_keys=True)


def classifier_settings(section):
    """Params function: one classifier's config as JSON, so editing it reruns only that classifier's jobs."""

    def from_config(wildcards):
        return settings_document(config[section]["classifiers"][wildcards.classifier])

    return from_config


def feature_kind(section):
    """Params function: the kind of the job's extractor, which picks its classifiers' default scaling."""

    def from_config(wildcards):
        return config[section]["extractors"][wildcards.extractor]["kind"]

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


def extractor_document(wildcards):
    """Only this extractor's settings, so editing another extractor does not rerun it."""
    return settings_document(extractor_settings(wildcards))


def extractor_threads(wildcards):
    return 1 if extractor_settings(wildcards)["kind"] == "pixels" else 4


def extractor_gpus(wildcards):
    return gpu_request(wildcards) if extractor_settings(wildcards)["kind"] == "torchvision" else 0


def report_sections():
    """Section files of the enabled studies (the Snakefile's STUDIES), in report order, then the scorecard."""
    return [f"results/{study}/section.json" for study in STUDIES if study in config] + [SCORECARD["section"]]


# The reference scorecard: published results next to this run's (results/references.csv).

SCORECARD = {"table": "results/references.csv", "section": "results/scorecard/section.json"}


def scorecard_inputs():
    """The outputs the scorecard reads: S1 classifier metrics, S3 MLP fits, S5 fits, the S6 table, S7 runs,
    the S9 Sketch-a-Net runs, the S10 row LSTM, S11 runs tables, S12's lottery runs, the S13 captioner (of the
    enabled studies)."""
    return {
        "s1": s1_metrics(),
        "s3": s3_mlp_files(),
        "s5": s5_fit_files(),
        "s6": ["results/s6/table.csv"] if "s6" in config else [],
        "s7": s7_run_files(),
        "s9": ["results/s9/sketch_a_net/run.json"] if s9_trains() else [],
        "s10": ["results/s10/row_lstm/run.json"] if "s10" in config else [],
        "s11": s11_run_files(),
        "s12": ["results/s12/lottery/runs.parquet"] if s12_part("lottery") is not None else [],
        "s13": s13_run_files(),
    }


def scorecard_options(wildcards, input):
    return " ".join(
        [
            repeat_option("--s1-metrics", input.s1),
            repeat_option("--s3-fit", input.s3),
            repeat_option("--s5-fit", input.s5),
            repeat_option("--s6-table", input.s6),
            repeat_option("--s7-run", input.s7),
            repeat_option("--s9-runs", [os.path.dirname(path) for path in input.s9]),
            repeat_option("--s10-run", input.s10),
            repeat_option("--s11-runs", input.s11),
            repeat_option("--s12-lottery", input.s12),
            repeat_option("--s13-run", input.s13),
        ]
    )


def scorecard_run(wildcards):
    """What the outputs do not name, as JSON: dataset sources (FaceScrub's too), S1 extractor settings, S5/S6/S7/S12 datasets."""
    run = {
        "sources": {name: entry["source"] for name, entry in config["datasets"].items()}
        | {name: "facescrub" for name in config.get("facescrub", {}).get("datasets", {})},
        "extractors": {name: resolve_settings(entry) for name, entry in S1.get("extractors", {}).items()},
    }
    run |= {f"{study}_dataset": config[study]["dataset"] for study in ("s5", "s6", "s7") if study in config}
    if s12_part("lottery") is not None:
        run["s12_dataset"] = s12_part("lottery")["dataset"]
    return json.dumps(run, sort_keys=True)


def repeat_option(flag, values):
    return " ".join(f"{flag} {value}" for value in values)


# FaceScrub (read lazily: the section is absent from the embedded default).


def facescrub_lists(wildcards):
    return [f"results/raw/facescrub/{name}" for name in config["facescrub"]["lists"]]


def facescrub_list_options(wildcards):
    return repeat_option("--list", facescrub_lists(wildcards))


def facescrub_fetch_settings(wildcards):
    """The facescrub settings of the download, without the datasets cut from it afterwards."""
    skipped = ("datasets", "train_per_person")
    return settings_document({key: value for key, value in config["facescrub"].items() if key not in skipped})


def facescrub_dataset_settings(wildcards):
    """Only the requested dataset's entry and the split, so adding a dataset keeps the others."""
    settings = config["facescrub"]
    return settings_document(
        {
            "datasets": {wildcards.dataset: settings["datasets"][wildcards.dataset]},
            "train_per_person": settings["train_per_person"],
        }
    )


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


def patch_settings(wildcards):
    return settings_document(patch_datasets()[wildcards.dataset])
