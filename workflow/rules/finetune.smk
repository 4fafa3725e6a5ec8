# S1 fine-tuning: the torchvision CNN trained on each S1 dataset (new head alone, or every weight),
# compared in the S1 table with frozen features + classifier.


rule finetune_cnn:
    input:
        **dataset_files("{dataset}"),
    output:
        metrics="results/s1/{dataset}/finetune/{mode}/metrics.json",
        curves="results/s1/{dataset}/finetune/{mode}/curves.parquet",
        figure=report(
            "results/figures/s1/{dataset}/finetune_{mode}.png",
            caption="../report/s1_finetune.rst",
            category="S1 features + classical learning",
            subcategory="{dataset} fine-tuning",
        ),
    log:
        "results/logs/s1/finetune/{dataset}/{mode}.log",
    benchmark:
        "results/benchmarks/s1/finetune/{dataset}/{mode}.tsv"
    wildcard_constraints:
        mode="last_layer|full",
    params:
        dataset_dir=dataset_dir,
        settings=finetune_options,
        seed=config["seed"],
    threads: 2
    resources:
        **rule_resources("finetune_cnn"),
        gpu=1,
    conda:
        ENVS["torch"]
    shell:
        "dlrepro finetune --dataset-dir {params.dataset_dir} --mode {wildcards.mode} {params.settings} "
        "--seed {params.seed} --metrics {output.metrics} --curves {output.curves} --figure {output.figure} 2> {log}"
