# S11 MLP and VGG baselines: per dataset, one job sweeps the MLPs (depth x width, with ReLU and
# without) and one the VGG-style CNNs (convolutions per stage); then the figures, table and section.


include: "s11_common.smk"


rule s11_sweep:
    input:
        unpack(s11_dataset_files),
    output:
        runs="results/s11/{dataset}/{family}/runs.csv",
    log:
        "results/logs/s11_sweep/{dataset}/{family}.log",
    benchmark:
        "results/benchmarks/s11_sweep/{dataset}/{family}.tsv"
    wildcard_constraints:
        family="mlp|vgg",
    conda:
        ENVS["torch"]
    threads: 1
    resources:
        **rule_resources("s11_sweep", gpu=True),
    params:
        dataset=subpath(input.index, parent=True),
        settings=s11_settings,
        seed=config["seed"],
        out_dir=subpath(output.runs, parent=True),
    shell:
        "dlrepro baselines {wildcards.family} --dataset {params.dataset} --settings {params.settings:q} "
        "--seed {params.seed} --out {params.out_dir} > {log} 2>&1"


rule s11_summarise:
    input:
        runs=s11_run_files(),
    output:
        figures=report(s11_figures(), caption="../report/s11.rst", category="S11 baselines"),
        section="results/s11/section.json",
    log:
        "results/logs/s11_summarise.log",
    benchmark:
        "results/benchmarks/s11_summarise.tsv"
    conda:
        ENVS["torch"]
    resources:
        **rule_resources("s11_summarise"),
    params:
        runs=s11_runs_options,
        figures=s11_figures_dir,
        out_dir=subpath(output.section, parent=True),
    shell:
        "dlrepro baselines summarise {params.runs} --figures {params.figures} --out-dir {params.out_dir} > {log} 2>&1"
