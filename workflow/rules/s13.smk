# S13 image captioning: the caption dataset (Flickr8K read and verified, or generated STAND-IN scenes),
# the captioner trained and scored by BLEU on the test split, then the figures and section.


include: "s13_common.smk"


rule s13_dataset:
    input:
        s13_data_inputs,
    output:
        images=f"{S13_DATA}/images.npy",
        captions=f"{S13_DATA}/captions.parquet",
        info=f"{S13_DATA}/dataset.json",
    log:
        "results/logs/s13_dataset.log",
    benchmark:
        "results/benchmarks/s13_dataset.tsv"
    conda:
        ENVS["data"]
    resources:
        **rule_resources("s13_dataset"),
    params:
        settings=s13_data_settings,
        manifest=s13_manifest,
        seed=config["seed"],
        out_dir=subpath(output.info, parent=True),
    shell:
        "dlrepro captions dataset --settings {params.settings:q} {params.manifest} --seed {params.seed} "
        "--out {params.out_dir} > {log} 2>&1"


rule s13_train:
    input:
        info=f"{S13_DATA}/dataset.json",
        images=f"{S13_DATA}/images.npy",
        captions=f"{S13_DATA}/captions.parquet",
    output:
        run="results/s13/captioner/run.json",
        metrics="results/s13/captioner/metrics.parquet",
        predictions="results/s13/captioner/predictions.parquet",
        vocabulary="results/s13/captioner/vocabulary.json",
        model="results/s13/captioner/model.pt",
        attention="results/s13/captioner/attention.npy",
    log:
        "results/logs/s13_train.log",
    benchmark:
        "results/benchmarks/s13_train.tsv"
    conda:
        ENVS["torch"]
    threads: 1
    resources:
        **rule_resources("s13_train", gpu=True),
    params:
        dataset=subpath(input.info, parent=True),
        settings=s13_captioner_settings,
        seed=config["seed"],
        out_dir=subpath(output.run, parent=True),
    shell:
        "dlrepro captions train --dataset {params.dataset} --settings {params.settings:q} --seed {params.seed} "
        "--out {params.out_dir} > {log} 2>&1"


rule s13_summarise:
    input:
        run="results/s13/captioner/run.json",
        predictions="results/s13/captioner/predictions.parquet",
        metrics="results/s13/captioner/metrics.parquet",
        attention="results/s13/captioner/attention.npy",
        info=f"{S13_DATA}/dataset.json",
        images=f"{S13_DATA}/images.npy",
    output:
        examples=report(
            "results/figures/s13/examples.png", caption="../report/s13_examples.rst", category="S13 captioning"
        ),
        attention=report(s13_attention_figure(), caption="../report/s13_attention.rst", category="S13 captioning"),
        curves=report("results/figures/s13/curves.png", caption="../report/s13_curves.rst", category="S13 captioning"),
        bleu="results/s13/bleu.csv",
        section="results/s13/section.json",
    log:
        "results/logs/s13_summarise.log",
    benchmark:
        "results/benchmarks/s13_summarise.tsv"
    conda:
        ENVS["torch"]
    resources:
        **rule_resources("s13_summarise"),
    params:
        dataset=subpath(input.info, parent=True),
        examples=S13.get("examples"),
        figures=subpath(output.examples, parent=True),
        out_dir=subpath(output.section, parent=True),
    shell:
        "dlrepro captions summarise --run {input.run} --dataset {params.dataset} --examples {params.examples} "
        "--figures {params.figures} --out-dir {params.out_dir} > {log} 2>&1"
