"""Model builders shared by the studies."""
