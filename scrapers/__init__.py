"""Fetching and parsing of Minnesota Legislature sources.

This package never imports Flask, SQLAlchemy or :mod:`tracker`: it yields plain
records (see :mod:`scrapers.records`) that ``tracker.ingest`` stores.
"""
