import pandas as pd
from PIL import Image

from dlrepro.plots.curves import plot_curves


def metrics(offset: float) -> pd.DataFrame:
    epochs = [1, 2, 3]
    return pd.DataFrame({"epoch": epochs, "train_loss": [1.0 + offset, 0.5, 0.2], "train_error": [0.5, 0.3, 0.1],
                         "val_loss": [1.1, 0.7, 0.6], "val_error": [0.6, 0.4, 0.3]})


def test_curves_png_from_a_table_and_from_several_parquet_runs(tmp_path):
    plot_curves(metrics(0.0), tmp_path / "one.png", title="one run")
    for name in ("a", "b"):
        metrics(0.1).to_parquet(tmp_path / f"{name}.parquet")
    plot_curves({"a": tmp_path / "a.parquet", "b": tmp_path / "b.parquet"}, tmp_path / "two.png")
    for png in ("one.png", "two.png"):
        with Image.open(tmp_path / png) as image:
            assert image.format == "PNG" and image.size[0] > 500
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.parquet", "b.parquet", "one.png", "two.png"]
