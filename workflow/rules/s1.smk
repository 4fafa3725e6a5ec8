# S1: features + classical learning. Every S1 dataset x extractor gets a 2-D embedding and one
# fit per classifier; the CNN is fine-tuned on each dataset; the summary builds the table, the
# figures and the report section.


include: "s1_common.smk"


rule s1_fit_classifier:
    input:
        **dataset_files("{dataset}"),
        features="results/features/{dataset}/{extractor}.parquet",
    output:
        predictions="results/s1/{dataset}/{extractor}/{classifier}/predictions.parquet",
        metrics="results/s1/{dataset}/{extractor}/{classifier}/metrics.json",
        figure=report(
            "results/figures/s1/{dataset}/{extractor}/confusion_{classifier}.png",
            caption="../report/s1_confusion.rst",
            category="S1 features + classical learning",
            subcategory="{dataset} confusion matrices",
            labels={"extractor": "{extractor}", "classifier": "{classifier}"},
        ),
    log:
        "results/logs/s1/classify/{dataset}/{extractor}/{classifier}.log",
    benchmark:
        "results/benchmarks/s1/classify/{dataset}/{extractor}/{classifier}.tsv"
    wildcard_constraints:
        extractor=name_pattern(S1.get("extractors", {})),
        classifier=name_pattern(S1.get("classifiers", {})),
    conda:
        ENVS["torch"]
    threads: 4
    resources:
        **rule_resources("s1_fit_classifier"),
    params:
        dataset_dir=dataset_dir,
        settings=classifier_settings("s1"),
        feature_kind=feature_kind("s1"),
        seed=config["seed"],
    shell:
        "dlrepro classify fit --features {input.features} --feature-kind {params.feature_kind} "
        "--dataset-dir {params.dataset_dir} "
        "--classifier {wildcards.classifier} --settings {params.settings:q} --seed {params.seed} "
        "--threads {threads} --predictions {output.predictions} --metrics {output.metrics} "
        "--figure {output.figure} > {log} 2>&1"


rule s1_summarise:
    input:
        metrics=s1_metrics(),
        finetune=s1_finetune_metrics(),
        embeddings=s1_embeddings(),
        confusion=s1_confusion_figures(),
    output:
        table="results/s1/table.csv",
        section="results/s1/section.json",
        accuracy=report(
            "results/figures/s1/accuracy.png",
            caption="../report/s1_accuracy.rst",
            category="S1 features + classical learning",
            subcategory="summary",
        ),
        tradeoff=report(
            "results/figures/s1/accuracy_vs_fit_time.png",
            caption="../report/s1_tradeoff.rst",
            category="S1 features + classical learning",
            subcategory="summary",
        ),
    log:
        "results/logs/s1/summarise.log",
    benchmark:
        "results/benchmarks/s1/summarise.tsv"
    conda:
        ENVS["sklearn"]
    resources:
        **rule_resources("s1_summarise"),
    params:
        finetune=s1_finetune_options,
        embeddings=s1_embedding_options,
    shell:
        "dlrepro classify summarise {input.metrics} {params.finetune} {params.embeddings} "
        "--table {output.table} --accuracy-figure {output.accuracy} "
        "--tradeoff-figure {output.tradeoff} --section {output.section} > {log} 2>&1"


rule s1_embed_features:
    input:
        **dataset_files("{dataset}"),
        features="results/features/{dataset}/{extractor}.parquet",
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
    benchmark:
        "results/benchmarks/s1/embed/{dataset}/{extractor}/{method}.tsv"
    wildcard_constraints:
        extractor=name_pattern(S1.get("extractors", {})),
        method=name_pattern(S1.get("embeddings", {}).get("methods", [])),
    conda:
        ENVS["sklearn"]
    threads: 1
    resources:
        **rule_resources("s1_embed_features"),
    params:
        dataset_dir=dataset_dir,
        settings=s1_embedding_settings,
        seed=config["seed"],
    shell:
        "dlrepro embed --features {input.features} --method {wildcards.method} --settings {params.settings:q} "
        "--seed {params.seed} --dataset-dir {params.dataset_dir} --out {output.embedding} "
        "--figure {output.figure} > {log} 2>&1"


rule s1_finetune_cnn:
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
    conda:
        ENVS["torch"]
    threads: 2
    resources:
        **rule_resources("s1_finetune_cnn", gpu=True),
    params:
        dataset_dir=dataset_dir,
        settings=finetune_settings,
        seed=config["seed"],
    shell:
        "dlrepro finetune --dataset-dir {params.dataset_dir} --mode {wildcards.mode} --settings {params.settings:q} "
        "--seed {params.seed} --metrics {output.metrics} --curves {output.curves} --figure {output.figure} > {log} 2>&1"
