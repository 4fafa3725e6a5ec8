"""Figures shared by the studies (matplotlib, Agg backend, PNG written atomically)."""
