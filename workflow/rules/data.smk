# Download/verify raw files and normalise each dataset to images.npy + index.parquet.


# Downloads run where snakemake runs: cluster compute nodes often have no internet access.
localrules:
    fetch_raw,


rule fetch_raw:
    output:
        protected("results/raw/{source}/{filename}"),
    log:
        "results/logs/fetch_raw/{source}/{filename}.log",
    benchmark:
        "results/benchmarks/fetch_raw/{source}/{filename}.tsv"
    retries: 2
    conda:
        ENVS["data"]
    resources:
        **rule_resources("fetch_raw"),
    params:
        mirror=option("--mirror", config["mirror"]),
        checksums=option("--checksums", config["checksums"]),
    shell:
        "dlrepro data fetch --source {wildcards.source} --file {wildcards.filename} "
        "{params.mirror} {params.checksums} --out {output} > {log} 2>&1"


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
        source=source_name,
        raw_dir=raw_dir,
        checksums=option("--checksums", config["checksums"]),
        max_train=dataset_option("--max-train", "max_train"),
        max_test=dataset_option("--max-test", "max_test"),
        out_dir=dataset_dir,
        seed=config["seed"],
    shell:
        "dlrepro data prepare --source {params.source} --raw-dir {params.raw_dir} {params.checksums} "
        "{params.max_train} {params.max_test} --seed {params.seed} "
        "--out {params.out_dir} > {log} 2>&1"
