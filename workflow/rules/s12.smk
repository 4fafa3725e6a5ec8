# S12: teacher-student over-parameterisation, lottery tickets (Frankle & Carbin 2019), and norm-based
# generalization bounds measured on S5's and S6's networks; one job per part, then the report section.


include: "s12_common.smk"


rule s12_teacher_student:
    output:
        runs="results/s12/teacher_student/runs.parquet",
        curves="results/s12/teacher_student/curves.parquet",
    log:
        "results/logs/s12/teacher_student.log",
    benchmark:
        "results/benchmarks/s12/teacher_student.tsv"
    conda:
        ENVS["torch"]
    threads: 1
    resources:
        **rule_resources("s12_teacher_student", gpu=True),
    params:
        settings=s12_settings("teacher_student"),
        seed=config["seed"],
    shell:
        "dlrepro landscape teacher-student --settings {params.settings:q} --seed {params.seed} "
        "--runs {output.runs} --curves {output.curves} > {log} 2>&1"


rule s12_lottery:
    input:
        unpack(s12_lottery_files),
    output:
        runs="results/s12/lottery/runs.parquet",
    log:
        "results/logs/s12/lottery.log",
    benchmark:
        "results/benchmarks/s12/lottery.tsv"
    conda:
        ENVS["torch"]
    threads: 1
    resources:
        **rule_resources("s12_lottery", gpu=True),
    params:
        dataset_dir=subpath(input.index, parent=True),
        settings=s12_settings("lottery"),
        seed=config["seed"],
    shell:
        "dlrepro landscape lottery --dataset-dir {params.dataset_dir} --settings {params.settings:q} "
        "--seed {params.seed} --runs {output.runs} > {log} 2>&1"


rule s12_bounds:
    input:
        unpack(s12_bounds_inputs),
    output:
        measures="results/s12/bounds/measures.parquet",
    log:
        "results/logs/s12/bounds.log",
    benchmark:
        "results/benchmarks/s12/bounds.tsv"
    conda:
        ENVS["torch"]
    resources:
        **rule_resources("s12_bounds"),
    params:
        networks=s12_bounds_options,
        settings=s12_settings("bounds"),
        seed=config["seed"],
    shell:
        "dlrepro landscape bounds {params.networks} --settings {params.settings:q} --seed {params.seed} "
        "--out {output.measures} > {log} 2>&1"


rule s12_summarise:
    input:
        **s12_summary_inputs(),
    output:
        **s12_report_figures(),
        section="results/s12/section.json",
    log:
        "results/logs/s12/summarise.log",
    benchmark:
        "results/benchmarks/s12/summarise.tsv"
    conda:
        ENVS["torch"]
    resources:
        **rule_resources("s12_summarise"),
    params:
        inputs=s12_summary_options,
        settings=settings_document(config.get("s12") or {}),
    shell:
        "dlrepro landscape summarise {params.inputs} --settings {params.settings:q} "
        "--figures results/figures/s12 --out-dir results/s12 > {log} 2>&1"
