"""Evaluation metrics and result summaries."""
