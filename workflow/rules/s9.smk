# S9: Sketch-a-Net (Yu et al. 2015) on sketches rasterised by stroke order (TU-Berlin, or STAND-IN doodles):
# the full sketch, its stroke-order channels, blurred scales and their fusion; then deep dreams with a
# network (the sketch network trained here, or a torchvision CNN); then the report section.


include: "s9_common.smk"


rule s9_sketches:
    input:
        s9_sketch_inputs,
    output:
        sketches="results/s9/sketches.npz",
    log:
        "results/logs/s9/sketches.log",
    benchmark:
        "results/benchmarks/s9/sketches.tsv"
    conda:
        ENVS["torch"]
    resources:
        **rule_resources("s9_sketches"),
    params:
        settings=s9_settings("sketches"),
        manifest=s9_manifest,
        seed=config["seed"],
    shell:
        "dlrepro visualise sketches --settings {params.settings:q} {params.manifest} --seed {params.seed} "
        "--out {output.sketches} > {log} 2>&1"


rule s9_sketch_a_net:
    input:
        sketches="results/s9/sketches.npz",
    output:
        run="results/s9/sketch_a_net/run.json",
        runs="results/s9/sketch_a_net/runs.csv",
    log:
        "results/logs/s9/sketch_a_net.log",
    benchmark:
        "results/benchmarks/s9/sketch_a_net.tsv"
    conda:
        ENVS["torch"]
    threads: 1
    resources:
        **rule_resources("s9_sketch_a_net", gpu=True),
    params:
        settings=s9_settings("sketch_a_net"),
        seed=config["seed"],
        out_dir=subpath(output.run, parent=True),
    shell:
        "dlrepro visualise sketch-a-net --sketches {input.sketches} --settings {params.settings:q} "
        "--seed {params.seed} --out {params.out_dir} > {log} 2>&1"


rule s9_dream:
    input:
        unpack(s9_dream_inputs),
    output:
        record="results/s9/dream/dream.json",
    log:
        "results/logs/s9/dream.log",
    benchmark:
        "results/benchmarks/s9/dream.tsv"
    conda:
        ENVS["torch"]
    threads: 1
    resources:
        **rule_resources("s9_dream", gpu=True),
    params:
        inputs=s9_dream_options,
        settings=s9_settings("dream"),
        seed=config["seed"],
        out_dir=subpath(output.record, parent=True),
    shell:
        "dlrepro visualise dream {params.inputs} --settings {params.settings:q} --seed {params.seed} "
        "--out {params.out_dir} > {log} 2>&1"


rule s9_summarise:
    input:
        **s9_summary_inputs(),
    output:
        sketch_figures=report(s9_sketch_figures(), caption="../report/s9_sketches.rst", category="S9 Sketch-a-Net"),
        dream_figures=report(s9_dream_figures(), caption="../report/s9_dreams.rst", category="S9 dreams"),
        section="results/s9/section.json",
    log:
        "results/logs/s9/summarise.log",
    benchmark:
        "results/benchmarks/s9/summarise.tsv"
    conda:
        ENVS["torch"]
    resources:
        **rule_resources("s9_summarise"),
    params:
        inputs=s9_summary_options,
        out_dir=subpath(output.section, parent=True),
    shell:
        "dlrepro visualise summarise {params.inputs} --figures results/figures/s9 --out-dir {params.out_dir} "
        "> {log} 2>&1"
