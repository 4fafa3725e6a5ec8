"""The shared training engine (one loop for every study) and the studies built on it."""
