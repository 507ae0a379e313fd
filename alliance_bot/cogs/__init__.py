"""Thin Discord glue: parse the interaction, call domain and storage, render, respond."""
