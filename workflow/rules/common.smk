# Config validation and the small functions that turn the config into file lists.

from snakemake.utils import min_version, validate

from dlrepro.data.sources import SOURCES

min_version("9.0")


validate(config, schema="../schemas/config.schema.yaml")


wildcard_constraints:
    dataset=r"[A-Za-z0-9_.-]+",
    source=r"[A-Za-z0-9_-]+",
    filename=r"[^/]+",


ENV = "../../envs/dlrepro.yaml"


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


# Study keys in report order; a study runs when its key is in the config.
STUDIES = ["s6"]


def report_sections():
    """Section files of the enabled studies, in report order."""
    return [f"results/{study}/section.json" for study in STUDIES if study in config]


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
