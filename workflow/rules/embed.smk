# S1: 2-D embeddings (PCA, MDS, Isomap, t-SNE) of each feature table, with scatter plots.


rule embed_features:
    input:
        features="results/features/{dataset}/{extractor}.parquet",
        **dataset_files("{dataset}"),
    output:
        embedding="results/s1/{dataset}/{extractor}/embedding_{method}.parquet",
        figure=report(
            "results/figures/s1/{dataset}/{extractor}/embedding_{method}.png",
            caption="../report/s1_embedding.rst",
            category="S1 features + classical learning",
            subcategory="{dataset} embeddings",
            labels={"extractor": "{extractor}", "method": "{method}"},
        ),
    log:
        "results/logs/s1/embed/{dataset}/{extractor}/{method}.log",
    wildcard_constraints:
        extractor=name_pattern(S1.get("extractors", {})),
        method=name_pattern(S1.get("embeddings", {}).get("methods", [])),
    params:
        dataset_dir=dataset_dir,
        max_points=S1.get("embeddings", {}).get("max_points"),
        seed=config["seed"],
    threads: 1
    resources:
        **rule_resources("embed_features"),
    conda:
        ENVS["sklearn"]
    shell:
        "dlrepro embed --features {input.features} --method {wildcards.method} --max-points {params.max_points} "
        "--seed {params.seed} --dataset-dir {params.dataset_dir} --out {output.embedding} "
        "--figure {output.figure} 2> {log}"
