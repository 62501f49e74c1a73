"""Suppliers' answers: reading them, verdicts, the evaluation and its results files."""
