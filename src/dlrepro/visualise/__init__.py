"""Network visualisation: deep dreams, class dreams and guided dreams by gradient ascent on the input."""
