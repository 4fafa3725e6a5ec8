"""Small torch modules the studies train from scratch."""
