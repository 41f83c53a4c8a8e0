"""The fixtures hold exactly the figures the hand-annotated articles list."""
import collections
import json

import pytest

from ratings import services
from ratings.models import CriterionGrade, Rating, Source, Tally, Unit, Vote

from .conftest import ARTICLES

EXPECTED = sorted(ARTICLES.glob("*.expected.json"))


def expected_figures():
    ratings, tallies, votes, criteria = collections.Counter(), collections.Counter(), collections.Counter(), collections.Counter()
    for path in EXPECTED:
        doc = json.loads(path.read_text(encoding="utf-8"))
        for r in doc["ratings"]:
            ratings[(r["year"], r["level"], r["unit_kind"], r["stage"])] += 1
        for t in doc["tallies"]:
            counts = tuple(sorted((k, v) for k, v in t["counts"].items() if v is not None))
            tallies[(t["year"], t["subject"], counts, t["total"])] += 1
        for v in doc["votes"]:
            votes[(v["year"], v["for_level"], v["votes"], v["present"])] += 1
        for c in doc["criteria"]:
            criteria[(c["year"], c["grade"], c["content"])] += 1
    return ratings, tallies, votes, criteria


def test_the_articles_are_there():
    assert len(EXPECTED) >= 5


def test_fixtures_hold_exactly_the_annotated_figures(reference_data):
    ratings, tallies, votes, criteria = expected_figures()
    stored_ratings = collections.Counter(
        (r.year, r.level.code, r.unit.kind, r.stage) for r in Rating.objects.select_related("level", "unit")
    )
    stored_tallies = collections.Counter(
        (t.year, t.subject, tuple(sorted((c.level.code, c.count) for c in t.counts.all() if c.count is not None)), t.total)
        for t in Tally.objects.prefetch_related("counts__level")
    )
    stored_votes = collections.Counter((v.year, v.level.code, v.votes_for, v.present) for v in Vote.objects.select_related("level"))
    stored_criteria = collections.Counter((c.year, c.grade, c.content) for c in CriterionGrade.objects.all())
    assert stored_ratings == ratings
    assert stored_tallies == tallies
    assert stored_votes == votes
    assert stored_criteria == criteria


def test_every_figure_links_to_its_article_with_a_quote(reference_data):
    for model in (Rating, Tally, Vote, CriterionGrade):
        for figure in model.objects.select_related("source"):
            assert figure.source is not None and figure.evidence
            article = (ARTICLES / figure.source.file_name).read_text(encoding="utf-8")
            assert figure.evidence in article, figure.evidence


def test_each_article_is_a_source_identified_by_its_content_hash(reference_data):
    for path in EXPECTED:
        article = path.with_name(path.name.replace(".expected.json", ".txt"))
        text = services.read_article_file(article.read_bytes(), article.name)
        source = Source.objects.get(content_hash=services.article_hash(text))
        assert source.title == json.loads(path.read_text(encoding="utf-8"))["title"]


@pytest.mark.parametrize(
    ("old", "new"), [("TRA-VINH", "VINH-LONG-2025"), ("SOC-TRANG", "CAN-THO-2025"), ("BINH-PHUOC", "DONG-NAI-2025")]
)
def test_merged_provinces_lead_to_their_2025_successor(reference_data, old, new):
    unit = Unit.objects.get(code=old)
    assert unit.valid_to == 2025
    assert unit.lineage()[-1].code == new


def test_fixture_units_have_their_place_in_the_tree(reference_data):
    standing = Unit.objects.get(code="BINH-PHUOC-BTV")
    assert standing.parent.code == "BINH-PHUOC" and standing.province.code == "BINH-PHUOC"
    assert standing.path == "/BINH-PHUOC/BINH-PHUOC-BTV/"


def test_every_provincial_unit_before_and_after_the_2025_merger_is_there(reference_data):
    assert Unit.objects.provinces().existing_in(2024).count() == 63
    assert Unit.objects.provinces().existing_in(2026).count() == 34


def test_an_old_province_name_resolves_to_the_unit_of_that_time(reference_data):
    assert Unit.objects.province_named("Vĩnh Long", 2023).code == "VINH-LONG"
    assert Unit.objects.province_named("Vĩnh Long", 2026).code == "VINH-LONG-2025"
    assert Unit.objects.province_named("Trà Vinh", 2026) is None
