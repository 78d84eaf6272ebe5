"""What the network view keeps: filters on actors and ties, staleness, and the node cap."""
from __future__ import annotations

import datetime as dt

from visualisations.filters import ViewFilter, apply_filter, cap, is_stale

TODAY = dt.date(2026, 6, 1)
ACTORS = [
    {"id": "a", "name": "Anna Office", "kind": "agency", "tags": ["Youth"], "city": "München"},
    {"id": "b", "name": "Bridge NGO", "kind": "ngo", "tags": ["youth", "newcomers"], "city": "Munich"},
    {"id": "c", "name": "Café Group", "kind": "community_actor", "tags": ["newcomers"], "city": "münchen"},
    {"id": "d", "name": "Dock City", "kind": "city", "tags": [], "city": ""},
]
TIES = [
    {"id": "t1", "source_id": "a", "target_id": "b", "type": "knows", "strength": 5, "last_contact": "2026-05-01"},
    {"id": "t2", "source_id": "b", "target_id": "c", "type": "knows", "strength": 2, "last_contact": "2025-01-01"},
    {"id": "t3", "source_id": "c", "target_id": "d", "type": "knows", "strength": None, "last_contact": None},
    {"id": "t4", "source_id": "a", "target_id": "c", "type": "funds", "strength": 4, "last_contact": "2025-11-30"},
]


def ids(items):
    return [x["id"] for x in items]


def test_a_tie_is_stale_after_180_days_without_contact_and_undated_ties_are_not():
    assert is_stale({"last_contact": "2025-12-03"}, TODAY) is False  # 180 days: not yet
    assert is_stale({"last_contact": "2025-12-02"}, TODAY) is True  # 181 days
    assert is_stale({"last_contact": "2025-12-02"}, TODAY, stale_days=365) is False
    assert is_stale({"last_contact": None}, TODAY) is False
    assert is_stale({"last_contact": "not a date"}, TODAY) is False


def test_no_filter_keeps_everything():
    assert apply_filter(ACTORS, TIES, ViewFilter(today=TODAY)) == (ACTORS, TIES)


def test_city_and_tag_filters_ignore_case_and_accents():
    actors, ties = apply_filter(ACTORS, TIES, ViewFilter(city="MUNCHEN", today=TODAY))
    assert ids(actors) == ["a", "c"] and ids(ties) == ["t4"]
    actors, ties = apply_filter(ACTORS, TIES, ViewFilter(tag="youth", today=TODAY))
    assert ids(actors) == ["a", "b"] and ids(ties) == ["t1"]


def test_kind_filter_keeps_ties_among_that_kind_only():
    actors, ties = apply_filter(ACTORS, TIES, ViewFilter(kind="ngo", today=TODAY))
    assert ids(actors) == ["b"] and ties == []


def test_min_strength_drops_weaker_and_unrated_ties_and_the_actors_left_alone():
    actors, ties = apply_filter(ACTORS, TIES, ViewFilter(min_strength=4, today=TODAY))
    assert ids(ties) == ["t1", "t4"] and ids(actors) == ["a", "b", "c"]


def test_an_unrated_tie_counts_as_a_weak_one_as_in_the_analytics():
    assert "t3" in ids(apply_filter(ACTORS, TIES, ViewFilter(min_strength=1, today=TODAY))[1])
    assert "t3" in ids(apply_filter(ACTORS, TIES, ViewFilter(min_strength=2, today=TODAY))[1])
    assert "t3" not in ids(apply_filter(ACTORS, TIES, ViewFilter(min_strength=3, today=TODAY))[1])


def test_stale_only_and_hide():
    actors, ties = apply_filter(ACTORS, TIES, ViewFilter(stale="only", today=TODAY))
    assert ids(ties) == ["t2", "t4"] and ids(actors) == ["a", "b", "c"]
    actors, ties = apply_filter(ACTORS, TIES, ViewFilter(stale="hide", today=TODAY))
    assert ids(ties) == ["t1", "t3"] and ids(actors) == ["a", "b", "c", "d"]


def test_describe_names_the_active_filters():
    assert ViewFilter().describe() == ""
    assert ViewFilter(kind="community_actor", min_strength=3, stale="hide").describe() == (
        "kind community actor, strength ≥ 3, stale ties hidden")


def test_cap_keeps_the_most_connected_and_says_so():
    actors, ties, cut = cap(ACTORS, TIES, 2)
    assert ids(actors) == ["a", "c"]  # degrees a=2, b=2, c=3, d=1; ties broken by name
    assert ids(ties) == ["t4"]
    assert cut.cut and cut.dropped_ids == {"b", "d"}
    assert cut.message() == ("Showing 2 of 4 actors (the most connected). "
                             "Narrow the view with the filters, or start from an actor's page.")


def test_cap_keeps_requested_actors_first_and_is_silent_when_nothing_is_cut():
    actors, _, _ = cap(ACTORS, TIES, 2, keep={"d"})
    assert ids(actors) == ["c", "d"]
    actors, ties, cut = cap(ACTORS, TIES, 4)
    assert actors == ACTORS and ties == TIES and not cut.cut and cut.message() == ""
