import torch

from dlrepro.train.engine import TrainConfig
from dlrepro.train.teacher_student import success_table, teacher_data, train_students


def test_teacher_labels_are_a_deterministic_function_of_the_seed():
    first, again, other = (teacher_data(6, 3, "tanh", 100, 50, seed) for seed in (4, 4, 5))
    assert torch.equal(first.train[0], again.train[0]) and torch.equal(first.train[1], again.train[1])
    assert torch.equal(first.test[1], again.test[1])
    assert not torch.equal(first.train[1], other.train[1])
    assert first.train[1].sum() == 50  # the median threshold balances the two classes
    assert torch.equal(first.teacher(first.test[0]), first.test[1])


def test_students_of_each_width_and_seed_are_trained_and_tabulated():
    data = teacher_data(5, 2, "relu", 60, 40, 0)
    config = TrainConfig(epochs=3, batch_size=30, optimizer="adam", lr=0.01, progress=False)
    runs, curves = train_students(data, 2, [1, 4], 3, "relu", config)
    assert list(runs["width"]) == [2, 2, 2, 8, 8, 8] and list(runs["seed"]) == [0, 1, 2] * 2
    assert set(curves["width"]) == {2, 8} and (curves["epoch"] <= 3).all()
    table = success_table(runs)
    assert list(table["seeds"]) == [3, 3] and table["success_rate"].between(0, 1).all()
    assert runs.loc[runs["success"], "train_error"].eq(0).all()
