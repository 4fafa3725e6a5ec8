# Feature tables: every S1 extractor over a dataset, streamed into Parquet.


rule extract_features:
    input:
        **dataset_files("{dataset}"),
    output:
        "results/features/{dataset}/{extractor}.parquet",
    log:
        "results/logs/extract_features/{dataset}/{extractor}.log",
    benchmark:
        "results/benchmarks/extract_features/{dataset}/{extractor}.tsv"
    wildcard_constraints:
        extractor=r"[A-Za-z0-9_-]+",
    conda:
        ENVS["torch"]
    threads: extractor_threads
    resources:
        **rule_resources("extract_features"),
        gpu=extractor_gpus,
    params:
        dataset=dataset_dir,
        settings=extractor_document,
        seed=config["seed"],
    shell:
        "dlrepro features extract --dataset {params.dataset} --settings {params.settings:q} --seed {params.seed} "
        "--threads {threads} --out {output} > {log} 2>&1"
