"""The roundtable demo gives sensible answers: Oslo and Berlin hang on the Strong Cities Network."""
import datetime as dt

from graph_service.analytics.gaps import coverage, single_points_of_failure, what_if
from graph_service.analytics.projection import get_projection
from graph_service.analytics.warm_paths import warm_paths

SPRING_2023 = dt.date(2023, 3, 1)  # six weeks after the roundtable: its ties are fresh
GMF, SCN = "german-marshall-fund", "strong-cities-network"


def test_oslo_and_berlin_are_reached_only_through_the_strong_cities_network(demo_store):
    p = get_projection(demo_store, today=SPRING_2023)
    cov = {f["group"]["key"]: f for f in coverage(p, GMF)["findings"]}
    for city in ("oslo", "berlin"):
        f = cov[f"area:{city}"]
        assert (f["status"], f["reason"]) == ("gap", "only_weak")  # "plans activity in" has no strength
        assert [a["id"] for a in f["path"]] == [GMF, SCN, city]
    spof = {f["actor"]["id"]: f for f in single_points_of_failure(p, GMF, limit=100)["articulation_points"]["findings"]}
    assert {"area:oslo", "area:berlin", "area:the hague"} <= {g["key"] for g in spof[SCN]["groups_lost"]}
    assert {a["id"] for a in spof[SCN]["cut_off_sample"]} == {"berlin", "oslo", "the-hague", "hague-mayoral-declaration"}
    lost = {c["group"]["key"]: c["after"]["reason"] for c in what_if(p, GMF, [SCN])["changes"] if c["after"]}
    assert lost["area:oslo"] == lost["area:berlin"] == "no_tie"


def test_the_warm_path_to_berlin_has_no_alternative_around_the_network(demo_store):
    r = warm_paths(get_projection(demo_store, today=SPRING_2023), "highland-park", "berlin", k=2)
    assert len(r["paths"]) == 1 and SCN in [s["actor"]["id"] for s in r["paths"][0]["steps"]]


def test_the_gmf_reaches_its_strong_partners_and_ties_go_stale_with_time(demo_store):
    spring = {f["group"]["key"]: f for f in coverage(get_projection(demo_store, today=SPRING_2023), GMF)["findings"]}
    assert (spring["community:city-network"]["status"], spring["community:city-network"]["hops"]) == ("covered", 1)
    later = {f["group"]["key"]: f for f in coverage(get_projection(demo_store, today=dt.date(2024, 3, 1)), GMF)["findings"]}
    assert (later["community:city-network"]["status"], later["community:city-network"]["reason"]) == ("gap", "only_stale")
