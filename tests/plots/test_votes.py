import numpy as np
import pandas as pd

from dlrepro.plots.votes import vote_map


def test_vote_map_averages_overlapping_patches_and_leaves_uncovered_pixels_empty():
    votes = pd.DataFrame({"y": [0, 0], "x": [0, 2], "raphael": [True, False]})
    grid = vote_map((4, 8), votes, size=4, factor=1.0)
    assert grid[0, :6].tolist() == [1.0, 1.0, 0.5, 0.5, 0.0, 0.0]
    assert np.isnan(grid[:, 6:]).all()
    half = vote_map((2, 4), votes, size=4, factor=0.5)
    assert half[0, :3].tolist() == [1.0, 0.5, 0.0] and np.isnan(half[0, 3])
