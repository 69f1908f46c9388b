"""Fasthold: coordinated return to work for sick-listed employees."""
