# S7 recurrent attention model (Mnih et al. 2014): the digits placed on translated and cluttered
# canvases (each an ordinary dataset), one training job per canvas and model (fc, conv, ram-<glimpses>),
# then the error table next to the paper's, glimpse paths, glimpses, curves and the report section.


include: "s7_common.smk"


rule s7_canvases:
    input:
        unpack(s7_dataset_files),
    output:
        images="results/s7/canvases/{canvas}/images.npy",
        index="results/s7/canvases/{canvas}/index.parquet",
        written="results/s7/canvases/{canvas}/canvas.json",
        train_digits="results/s7/canvases/{canvas}/train_digits.npy",
    log:
        "results/logs/s7_canvases/{canvas}.log",
    benchmark:
        "results/benchmarks/s7_canvases/{canvas}.tsv"
    wildcard_constraints:
        canvas=r"[A-Za-z0-9_]+",
    conda:
        ENVS["torch"]
    resources:
        **rule_resources("s7_canvases"),
    params:
        dataset=subpath(input.index, parent=True),
        settings=s7_canvas_settings,
        seed=config["seed"],
        out_dir=subpath(output.index, parent=True),
    shell:
        "dlrepro attention canvases --dataset {params.dataset} --settings {params.settings:q} --seed {params.seed} "
        "--out {params.out_dir} > {log} 2>&1"


rule s7_train:
    input:
        unpack(s7_canvas_files),
        written="results/s7/canvases/{canvas}/canvas.json",
    output:
        metrics="results/s7/runs/{canvas}/{model}/metrics.parquet",
        model="results/s7/runs/{canvas}/{model}/model.pt",
        summary="results/s7/runs/{canvas}/{model}/run.json",
    log:
        "results/logs/s7_train/{canvas}/{model}.log",
    benchmark:
        "results/benchmarks/s7_train/{canvas}/{model}.tsv"
    wildcard_constraints:
        canvas=r"[A-Za-z0-9_]+",
        model=r"fc|conv|ram-[0-9]+",
    conda:
        ENVS["torch"]
    threads: 1
    resources:
        **rule_resources("s7_train", gpu=True),
    params:
        dataset=subpath(input.index, parent=True),
        settings=s7_train_settings,
        seed=config["seed"],
        out_dir=subpath(output.summary, parent=True),
    shell:
        "dlrepro attention train --dataset {params.dataset} --canvas {wildcards.canvas} --model {wildcards.model} "
        "--settings {params.settings:q} --seed {params.seed} --out {params.out_dir} > {log} 2>&1"


rule s7_summarise:
    input:
        runs=s7_run_files(),
    output:
        figures=report(s7_figures(), caption="../report/s7_paths.rst", category="S7 attention"),
        errors=report("results/s7/errors.csv", caption="../report/s7_errors.rst", category="S7 attention"),
        section="results/s7/section.json",
    log:
        "results/logs/s7_summarise.log",
    benchmark:
        "results/benchmarks/s7_summarise.tsv"
    conda:
        ENVS["torch"]
    resources:
        **rule_resources("s7_summarise"),
    params:
        settings=s7_summary_settings,
        source=s7_dataset_source,
        seed=config["seed"],
        figures=s7_figures_dir,
        out_dir=subpath(output.section, parent=True),
    shell:
        "dlrepro attention summarise {input.runs} --settings {params.settings:q} --source {params.source} "
        "--seed {params.seed} --figures {params.figures} --out-dir {params.out_dir} > {log} 2>&1"
