"""Raw data acquisition, format readers and the normalised dataset format."""
