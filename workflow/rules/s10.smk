# S10 sequence models: a vanilla RNN and an LSTM on palindromes (one job per cell sweeps every length T
# with and without gradient clipping), an LSTM reading s10.dataset row by row, then the figures and section.


include: "s10_common.smk"


rule s10_palindromes:
    output:
        sweep="results/s10/palindromes/{cell}/sweep.csv",
    log:
        "results/logs/s10_palindromes/{cell}.log",
    benchmark:
        "results/benchmarks/s10_palindromes/{cell}.tsv"
    wildcard_constraints:
        cell="rnn|lstm",
    conda:
        ENVS["torch"]
    threads: 1
    resources:
        **rule_resources("s10_palindromes", gpu=True),
    params:
        settings=s10_palindrome_settings,
        seed=config["seed"],
        out_dir=subpath(output.sweep, parent=True),
    shell:
        "dlrepro sequences palindromes --cell {wildcards.cell} --settings {params.settings:q} --seed {params.seed} "
        "--out {params.out_dir} > {log} 2>&1"


rule s10_row_lstm:
    input:
        unpack(s10_dataset_files),
    output:
        run="results/s10/row_lstm/run.json",
        metrics="results/s10/row_lstm/metrics.parquet",
    log:
        "results/logs/s10_row_lstm.log",
    benchmark:
        "results/benchmarks/s10_row_lstm.tsv"
    conda:
        ENVS["torch"]
    threads: 1
    resources:
        **rule_resources("s10_row_lstm", gpu=True),
    params:
        dataset=subpath(input.index, parent=True),
        settings=s10_row_settings,
        seed=config["seed"],
        out_dir=subpath(output.run, parent=True),
    shell:
        "dlrepro sequences row-lstm --dataset {params.dataset} --settings {params.settings:q} --seed {params.seed} "
        "--out {params.out_dir} > {log} 2>&1"


rule s10_summarise:
    input:
        sweeps=s10_sweep_files(),
        row_run="results/s10/row_lstm/run.json",
        baselines=s10_baseline_files(),
    output:
        figures=report(s10_figures(), caption="../report/s10_palindromes.rst", category="S10 sequences"),
        curves=report(
            "results/figures/s10/row_lstm_curves.png", caption="../report/s10_row_lstm.rst", category="S10 sequences"
        ),
        comparison="results/s10/row_lstm.csv",
        section="results/s10/section.json",
    log:
        "results/logs/s10_summarise.log",
    benchmark:
        "results/benchmarks/s10_summarise.tsv"
    conda:
        ENVS["torch"]
    resources:
        **rule_resources("s10_summarise"),
    params:
        inputs=s10_summary_options,
        figures=subpath(output.curves, parent=True),
        out_dir=subpath(output.section, parent=True),
    shell:
        "dlrepro sequences summarise {params.inputs} --row-run {input.row_run} --figures {params.figures} --out-dir {params.out_dir} > {log} 2>&1"
