# Download/verify raw files and normalise each dataset to images.npy + index.parquet.


# Downloads run where snakemake runs: cluster compute nodes often have no internet access.
localrules:
    fetch_raw,


# A raw file is defined by its SHA-256, not by where it came from: `mirror` and `checksums` reach
# the command through the environment (see common.smk), not params, so changing them reruns
# nothing. A rerun for other reasons (an edited rule) keeps the file (update: not deleted first,
# restored if the job fails) and the command verifies it instead of fetching it; Snakemake
# refuses such a rerun outright unless the user may write the write-protected file (root). The
# command retries refused, dropped and timed-out transfers itself; a SHA-256 mismatch is final,
# so Snakemake retries nothing (0 overrides a profile's retries).
rule fetch_raw:
    output:
        update(protected("results/raw/{source}/{filename}")),
    log:
        "results/logs/fetch_raw/{source}/{filename}.log",
    benchmark:
        "results/benchmarks/fetch_raw/{source}/{filename}.tsv"
    retries: 0
    conda:
        ENVS["data"]
    resources:
        **rule_resources("fetch_raw"),
    shell:
        "dlrepro data fetch --source {wildcards.source} --file {wildcards.filename} " "--out {output} > {log} 2>&1"


rule prepare_dataset:
    input:
        raw_files,
    output:
        **dataset_files("{dataset}"),
    log:
        "results/logs/prepare_dataset/{dataset}.log",
    benchmark:
        "results/benchmarks/prepare_dataset/{dataset}.tsv"
    wildcard_constraints:
        dataset=source_dataset_names(),
    conda:
        ENVS["data"]
    resources:
        **rule_resources("prepare_dataset"),
    params:
        settings=dataset_settings,
        raw_dir=raw_dir,
        checksums=option("--checksums", config["checksums"]),
        out_dir=dataset_dir,
        seed=config["seed"],
    shell:
        "dlrepro data prepare --settings {params.settings:q} --raw-dir {params.raw_dir} {params.checksums} "
        "--seed {params.seed} --out {params.out_dir} > {log} 2>&1"


rule prepare_image_folder:
    input:
        folder_images,
    output:
        **dataset_files("{dataset}"),
    log:
        "results/logs/prepare_image_folder/{dataset}.log",
    benchmark:
        "results/benchmarks/prepare_image_folder/{dataset}.tsv"
    wildcard_constraints:
        dataset=folder_dataset_names(),
    conda:
        ENVS["data"]
    resources:
        **rule_resources("prepare_image_folder"),
    params:
        settings=dataset_settings,
        out_dir=dataset_dir,
        seed=config["seed"],
    shell:
        "dlrepro data folder --settings {params.settings:q} --seed {params.seed} --out {params.out_dir} > {log} 2>&1"
