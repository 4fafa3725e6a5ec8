# Patch datasets: each entry of config["patches"] cuts a folder of large images (JPEG, PNG,
# 8/16-bit TIFF) into patches, background dropped, with each patch's image as its group.


rule patch_dataset:
    input:
        unpack(patch_inputs),
    output:
        **dataset_files("{dataset}"),
        patches="results/datasets/{dataset}/patches.parquet",
    log:
        "results/logs/patches/{dataset}.log",
    benchmark:
        "results/benchmarks/patches/{dataset}.tsv"
    wildcard_constraints:
        dataset=patch_dataset_names(),
    conda:
        ENVS["data"]
    resources:
        **rule_resources("patch_dataset"),
    params:
        settings=patch_settings,
        out_dir=dataset_dir,
    shell:
        "dlrepro patches --settings {params.settings:q} --out {params.out_dir} > {log} 2>&1"
