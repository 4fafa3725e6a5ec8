# Download/verify raw files and normalise each dataset to images.npy + index.parquet.

# Downloads run where snakemake runs: cluster compute nodes often have no internet access.
localrules:
    fetch_raw,


rule fetch_raw:
    output:
        protected("results/raw/{source}/{filename}"),
    log:
        "results/logs/fetch_raw/{source}/{filename}.log",
    params:
        mirror=option("--mirror", config["mirror"]),
        checksums=option("--checksums", config["checksums"]),
    retries: 2
    resources:
        **rule_resources("fetch_raw"),
    conda:
        ENVS["data"]
    shell:
        "dlrepro data fetch --source {wildcards.source} --file {wildcards.filename} "
        "{params.mirror} {params.checksums} --out {output} 2> {log}"


rule prepare_dataset:
    input:
        raw_files,
    output:
        **dataset_files("{dataset}"),
    log:
        "results/logs/prepare_dataset/{dataset}.log",
    wildcard_constraints:
        dataset=source_dataset_names(),
    params:
        source=source_name,
        raw_dir=raw_dir,
        checksums=option("--checksums", config["checksums"]),
        max_train=dataset_option("--max-train", "max_train"),
        max_test=dataset_option("--max-test", "max_test"),
        out_dir=dataset_dir,
        seed=config["seed"],
    resources:
        **rule_resources("prepare_dataset"),
    conda:
        ENVS["data"]
    shell:
        "dlrepro data prepare --source {params.source} --raw-dir {params.raw_dir} {params.checksums} "
        "{params.max_train} {params.max_test} --seed {params.seed} "
        "--out {params.out_dir} 2> {log}"


rule prepare_image_folder:
    input:
        folder_images,
    output:
        **dataset_files("{dataset}"),
    log:
        "results/logs/prepare_image_folder/{dataset}.log",
    wildcard_constraints:
        dataset=folder_dataset_names(),
    params:
        images=folder_path,
        manifest=folder_manifest,
        options=folder_options,
        out_dir=dataset_dir,
        seed=config["seed"],
    resources:
        **rule_resources("prepare_image_folder"),
    conda:
        ENVS["data"]
    shell:
        "dlrepro data folder --images {params.images:q} --manifest {params.manifest:q} {params.options} "
        "--seed {params.seed} --out {params.out_dir} 2> {log}"
