"""The five annotated articles of shared/articles, scored as the lead scores them."""
import importlib.util
import json
from pathlib import Path

import pytest

from ratings.extraction import extract_article, normalize_text

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
ARTICLES = sorted((SHARED / "articles").glob("*.txt"))

pytestmark = pytest.mark.skipif(not ARTICLES, reason="shared/articles is not beside the repository")


def _scorer():
    spec = importlib.util.spec_from_file_location("score_extraction", SHARED / "tools" / "score_extraction.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _expected(article: Path) -> dict:
    return json.loads(article.with_name(article.name.replace(".txt", ".expected.json")).read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def results():
    return {article: extract_article(article.read_text(encoding="utf-8"), source=str(article)) for article in ARTICLES}


@pytest.mark.parametrize("article", ARTICLES, ids=lambda path: path.name)
def test_figures_match_the_annotation(article, results):
    scorer = _scorer()
    assert scorer.keys(results[article]) == scorer.keys(_expected(article))


@pytest.mark.parametrize("article", ARTICLES, ids=lambda path: path.name)
def test_criteria_grades_match_the_annotation(article, results):
    scorer = _scorer()
    assert scorer.criteria(results[article]) == scorer.criteria(_expected(article))


@pytest.mark.parametrize("article", ARTICLES, ids=lambda path: path.name)
def test_province_title_and_date_match_the_annotation(article, results):
    expected = _expected(article)
    assert results[article]["province"] == expected["province"]
    assert results[article]["title"] == expected["title"]
    assert results[article]["published"] == expected["published"]


@pytest.mark.parametrize("article", ARTICLES, ids=lambda path: path.name)
def test_every_evidence_is_a_quote_of_the_normalized_text(article, results):
    normalized = normalize_text(article.read_text(encoding="utf-8"))
    for kind in ("ratings", "tallies", "votes", "criteria"):
        for figure in results[article][kind]:
            assert figure["evidence"] in normalized, (kind, figure)


def test_results_follow_the_schema(results):
    for result in results.values():
        assert set(result) == {
            "source", "title", "published", "province", "ratings", "tallies", "votes", "criteria", "notes",
        }
        json.dumps(result, ensure_ascii=False)
