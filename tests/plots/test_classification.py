import matplotlib.pyplot as plt
import pandas as pd
import pytest

from dlrepro.plots.classification import accuracy_bars_figure, accuracy_floor, accuracy_vs_time_figure, plot_accuracy_bars

TABLE = pd.DataFrame({
    "dataset": ["mnist"] * 3, "extractor": ["pixels", "pixels", "resnet18"],
    "classifier": ["knn", "rbf_svm", "resnet18 fine-tuned (full)"], "accuracy": [0.959, 0.973, 0.99],
    "fit_time_s": [0.3, 20.0, 100.0], "predict_time_s": [30.0, 225.0, None],
})


@pytest.mark.parametrize("lowest, floor", [(0.959, 0.9), (0.12, 0.05), (0.03, 0.0), (0.95, 0.9)])
def test_accuracy_axis_starts_below_the_lowest_bar(lowest, floor):
    assert accuracy_floor(pd.Series([lowest, 0.99])) == pytest.approx(floor)


def test_bars_are_labelled_in_percent_on_a_zoomed_axis():
    figure = accuracy_bars_figure(TABLE)
    axes = figure.axes[0]
    assert axes.get_ylim()[0] == pytest.approx(0.9)
    assert sorted(text.get_text() for text in axes.texts) == ["95.9", "97.3", "99.0"]
    plt.close(figure)


def test_time_plot_draws_fit_to_fit_plus_predict():
    figure = accuracy_vs_time_figure(TABLE)
    lines = [line.get_xdata() for line in figure.axes[0].get_lines()]
    assert [list(x) for x in lines] == [[0.3, 30.3], [20.0, 245.0]]  # none for the fine-tuned row
    plt.close(figure)


def test_bar_chart_is_written(tmp_path):
    plot_accuracy_bars(TABLE, tmp_path / "a.png")
    assert (tmp_path / "a.png").stat().st_size > 5_000
