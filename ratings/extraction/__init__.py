"""Article text to rating figures: pure Python, no Django.

    text = read_article(data, filename)          # bytes -> clean text, or ArticleError
    figures = extract_article(text, source=...)  # one object of shared/articles/SCHEMA.md

Every figure quotes its "evidence" verbatim from ``normalize_text(text)``.
"""
from .decode import MAX_BYTES, ArticleError, read_article
from .normalize import normalize_text
from .pipeline import extract_article
from .provinces import PROVINCES, Province, canonical_province, successor_of

__all__ = [
    "MAX_BYTES",
    "PROVINCES",
    "ArticleError",
    "Province",
    "canonical_province",
    "extract_article",
    "normalize_text",
    "read_article",
    "successor_of",
]
