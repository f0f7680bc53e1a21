"""Demo data: realistic incidents replayed through the real step functions."""
