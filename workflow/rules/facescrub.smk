# FaceScrub: fetch the listed photos of the configured people (SHA-256 verified, resumable),
# then crop the kept faces into one dataset per configured size. The photo folder
# results/raw/facescrub/images/ is not a declared output, so a rerun keeps every verified photo.


# Photo downloads run where snakemake runs: cluster compute nodes often have no internet access.
localrules:
    facescrub_fetch,


rule facescrub_fetch:
    input:
        lists=facescrub_lists,
    output:
        manifest="results/facescrub/manifest.parquet",
    log:
        "results/logs/facescrub/fetch.log",
    benchmark:
        "results/benchmarks/facescrub/fetch.tsv"
    conda:
        ENVS["data"]
    resources:
        **rule_resources("facescrub_fetch"),
    params:
        lists=facescrub_list_options,
        settings=facescrub_fetch_settings,
        raw_dir="results/raw/facescrub",
    shell:
        "dlrepro facescrub fetch {params.lists} --settings {params.settings:q} "
        "--raw-dir {params.raw_dir} --out {output.manifest} > {log} 2>&1"


rule facescrub_dataset:
    input:
        manifest="results/facescrub/manifest.parquet",
    output:
        **dataset_files("{dataset}"),
    log:
        "results/logs/facescrub/{dataset}.log",
    benchmark:
        "results/benchmarks/facescrub/{dataset}.tsv"
    wildcard_constraints:
        dataset=facescrub_dataset_names(),
    conda:
        ENVS["data"]
    resources:
        **rule_resources("facescrub_dataset"),
    params:
        settings=facescrub_dataset_settings,
        raw_dir="results/raw/facescrub",
        out_dir=dataset_dir,
        seed=config["seed"],
    shell:
        "dlrepro facescrub prepare --manifest {input.manifest} --raw-dir {params.raw_dir} "
        "--dataset {wildcards.dataset} --settings {params.settings:q} --seed {params.seed} "
        "--out {params.out_dir} > {log} 2>&1"


rule facescrub_datasets:
    input:
        facescrub_targets(),
