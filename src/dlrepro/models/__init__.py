"""Models: classical classifiers on feature tables and neural networks."""
