"""Anonymized usage statistics: counts only."""
