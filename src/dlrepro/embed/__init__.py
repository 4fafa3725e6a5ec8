"""2-D embeddings of feature tables (PCA, MDS, Isomap, t-SNE) for scatter plots."""
