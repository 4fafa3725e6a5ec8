import time

import pytest
import torch

from dlrepro.train.plan import plan_training, workloads
from dlrepro.train.sequences import palindrome_sweep

PALINDROMES = {"lengths": [5, 10], "cells": ["lstm"], "hidden": 16, "forget_bias": 1.0, "clipping": [False, True],
               "max_norm": 1.0,
               "seeds": 1, "n_train": 960, "n_test": 200,
               "train": {"epochs": 3, "batch_size": 32, "optimizer": "adam", "lr": 0.01}}
CONFIG = {"datasets": {"digits": {"source": "digits"}}, "s10": {"dataset": "digits", "palindromes": PALINDROMES}}


@pytest.fixture
def one_thread():
    """Both timings on one thread: on a busy machine idle torch threads spinning at barriers would add CPU
    time to one of them and not the other."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


def test_estimate_of_a_job_is_within_a_sane_factor_of_its_cpu_time(tmp_path, one_thread):
    """The plan times a few batches of the job's own network; the job then runs for real, as its rule does."""
    jobs, skipped = plan_training(CONFIG, "cpu", ["s10"])
    (job,) = [job for job in jobs if job.rule == "s10_palindromes"]
    assert not skipped
    assert job.wildcards == "lstm" and len(job.networks) == 2
    assert job.steps == 2 * 2 * 3 * 30  # lengths x clipping x epochs x batches of 960
    start = time.process_time()
    palindrome_sweep("lstm", PALINDROMES, 0, tmp_path)
    measured = time.process_time() - start
    assert 0.2 < job.seconds / measured < 5, (job.seconds, measured)


def test_every_enabled_training_study_yields_jobs_and_switched_off_ones_none():
    config = {"datasets": {"digits": {"source": "digits"}},
              "s6": {"dataset": "digits", "widths": [4, 8]}, "s10": None,
              "s12": {"teacher_student": {"multiples": [1, 2], "seeds": 3}, "lottery": None}}
    found, skipped = workloads(config)
    assert not skipped
    assert {work.rule for work in found} == {"s6_sweep", "s12_teacher_student"}
    assert [work.repeats for work in found if work.rule == "s12_teacher_student"] == [3, 3]


def test_a_study_whose_dataset_the_plan_cannot_size_is_skipped_naming_the_key():
    config = {"datasets": {"mine": {"source": "folder", "images": "/nonexistent/art", "size": 32},
                           "digits": {"source": "digits"}},
              "s4": {"dataset": "mine", "standin": None}, "s6": {"dataset": "digits", "widths": [4]}}
    found, skipped = workloads(config)
    assert {work.rule for work in found} == {"s6_sweep"}
    assert list(skipped) == ["s4"] and "datasets.mine" in skipped["s4"]
