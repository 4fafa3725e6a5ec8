# S3: FaceScrub transfer learning (the course assignment): MLPs on 28x28 gray faces, a classifier
# on frozen AlexNet conv4 activations, fine-tuned AlexNet, predictions and saliency, the summary.


include: "s3_common.smk"


rule s3_mlp:
    input:
        unpack(s3_pixel_files),
    output:
        fit="results/s3/mlp/{model}/fit.json",
        metrics="results/s3/mlp/{model}/metrics.parquet",
        model="results/s3/mlp/{model}/model.pt",
    log:
        "results/logs/s3/mlp/{model}.log",
    benchmark:
        "results/benchmarks/s3/mlp/{model}.tsv"
    conda:
        ENVS["torch"]
    threads: 1
    resources:
        **rule_resources("s3_mlp", gpu=True),
    params:
        dataset=subpath(input.index, parent=True),
        settings=s3_mlp_settings,
        seed=config["seed"],
        out_dir=subpath(output.fit, parent=True),
    shell:
        "dlrepro faces mlp --dataset {params.dataset} --name {wildcards.model} --settings {params.settings:q} "
        "--seed {params.seed} --out {params.out_dir} > {log} 2>&1"


rule s3_conv4_features:
    input:
        unpack(s3_image_files),
    output:
        S3_CONV4,
    log:
        "results/logs/s3/conv4_features.log",
    benchmark:
        "results/benchmarks/s3/conv4_features.tsv"
    conda:
        ENVS["torch"]
    threads: 2
    resources:
        **rule_resources("s3_conv4_features", gpu=True),
    params:
        dataset=subpath(input.index, parent=True),
        settings=s3_conv4_extractor,
        seed=config["seed"],
    shell:
        "dlrepro features extract --dataset {params.dataset} --settings {params.settings:q} --seed {params.seed} "
        "--threads {threads} --out {output} > {log} 2>&1"


rule s3_conv4_fit:
    input:
        unpack(s3_image_files),
        features=S3_CONV4,
    output:
        fit="results/s3/conv4/fit.json",
        metrics="results/s3/conv4/metrics.parquet",
        model="results/s3/conv4/model.pt",
    log:
        "results/logs/s3/conv4_fit.log",
    benchmark:
        "results/benchmarks/s3/conv4_fit.tsv"
    conda:
        ENVS["torch"]
    threads: 1
    resources:
        **rule_resources("s3_conv4_fit", gpu=True),
    params:
        dataset=subpath(input.index, parent=True),
        settings=s3_conv4_settings,
        seed=config["seed"],
        out_dir=subpath(output.fit, parent=True),
    shell:
        "dlrepro faces conv4-fit --features {input.features} --dataset {params.dataset} "
        "--settings {params.settings:q} --seed {params.seed} --out {params.out_dir} > {log} 2>&1"


rule s3_finetune:
    input:
        unpack(s3_image_files),
    output:
        fit="results/s3/finetune/{mode}/fit.json",
        metrics="results/s3/finetune/{mode}/metrics.parquet",
        model="results/s3/finetune/{mode}/model.pt",
    log:
        "results/logs/s3/finetune/{mode}.log",
    benchmark:
        "results/benchmarks/s3/finetune/{mode}.tsv"
    wildcard_constraints:
        mode="last_layer|full",
    conda:
        ENVS["torch"]
    threads: 1
    resources:
        **rule_resources("s3_finetune", gpu=True),
    params:
        dataset=subpath(input.index, parent=True),
        settings=s3_finetune_settings,
        seed=config["seed"],
        out_dir=subpath(output.fit, parent=True),
    shell:
        "dlrepro faces finetune --dataset {params.dataset} --mode {wildcards.mode} --settings {params.settings:q} "
        "--seed {params.seed} --out {params.out_dir} > {log} 2>&1"


rule s3_explain:
    input:
        unpack(s3_image_files),
        model=s3_explained_model,
    output:
        predictions=report(S3_EXPLAINED["predictions"], caption="../report/s3_explain.rst", category="S3 faces"),
        saliency=report(S3_EXPLAINED["saliency"], caption="../report/s3_explain.rst", category="S3 faces"),
    log:
        "results/logs/s3/explain.log",
    benchmark:
        "results/benchmarks/s3/explain.tsv"
    conda:
        ENVS["torch"]
    threads: 1
    resources:
        **rule_resources("s3_explain", gpu=True),
    params:
        dataset=subpath(input.index, parent=True),
        settings=s3_explain_settings,
    shell:
        "dlrepro faces explain --dataset {params.dataset} --model {input.model} --settings {params.settings:q} "
        "--predictions {output.predictions} --saliency {output.saliency} > {log} 2>&1"


rule s3_summarise:
    input:
        **s3_summary_inputs(),
    output:
        curves=report("results/figures/s3/mlp_curves.png", caption="../report/s3_summary.rst", category="S3 faces"),
        hidden_units=report(
            "results/figures/s3/hidden_units.png", caption="../report/s3_summary.rst", category="S3 faces"
        ),
        table="results/s3/accuracy.csv",
        section="results/s3/section.json",
    log:
        "results/logs/s3/summarise.log",
    benchmark:
        "results/benchmarks/s3/summarise.tsv"
    conda:
        ENVS["torch"]
    resources:
        **rule_resources("s3_summarise"),
    params:
        inputs=s3_summary_options,
        settings=s3_summary_settings,
        source=s3_source,
        figures=subpath(output.curves, parent=True),
        out_dir=subpath(output.section, parent=True),
    shell:
        "dlrepro faces summarise {params.inputs} --settings {params.settings:q} --source {params.source} "
        "--figures {params.figures} --out-dir {params.out_dir} > {log} 2>&1"
