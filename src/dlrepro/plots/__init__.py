"""Matplotlib figures of the studies (Agg backend, PNG, written atomically)."""
