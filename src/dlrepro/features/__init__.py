"""Feature extractors and the Parquet feature store."""
