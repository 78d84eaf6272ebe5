"""Analytics commands: who knows whom (warm-path, reach, mutual) and the coordination-gap reports
(gaps, what-if, brokers, silos, stale, redundancy, snapshot). Each prints findings as sentences a
coordinator can act on; ``--json`` prints the full result instead."""
from __future__ import annotations

import json
import sys

import click

from graph_service.analytics import brokers as brokers_mod
from graph_service.analytics import gaps as gaps_mod
from graph_service.analytics import reach as reach_mod
from graph_service.analytics import redundancy as redundancy_mod
from graph_service.analytics import silos as silos_mod
from graph_service.analytics import snapshots as snapshots_mod
from graph_service.analytics import stale as stale_mod
from graph_service.analytics import warm_paths as warm_mod
from graph_service.analytics.projection import get_projection
from graph_service.cli import cli, pass_ctx
from graph_service.model import ACTOR_KINDS
from graph_service.services.directory import resolve_actor


def _echo_json(data) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))


def _id(ctx, ref: str) -> str:
    if not (ref or "").strip():
        raise click.BadParameter("give an actor id or name, not an empty string")
    return resolve_actor(ctx.store, ref)["id"]


def _bullets(items, key: str = "explanation", indent: str = "  - ") -> None:
    for item in items:
        click.echo(f"{indent}{item[key]}")


_hops = click.option("--hops", default=3, show_default=True, type=click.IntRange(1, 6), help="Longest chain of ties that counts.")
_strength = click.option("--min-strength", default=4, show_default=True, type=click.IntRange(1, 5),
                         help="Strength a tie needs to count as strong (1 weak .. 5 reliable in a crisis).")
_stale = click.option("--stale-days", default=180, show_default=True, type=click.IntRange(0, 100_000),
                      help="Days after the last contact when a tie counts as stale.")
_json = click.option("--json", "as_json", is_flag=True, help="Print the full result as JSON.")


@cli.command("warm-path")
@click.argument("from_actor", metavar="FROM")
@click.argument("to_actor", metavar="TO")
@click.option("-k", "--k", "k", default=2, show_default=True, type=click.IntRange(0, 10), help="Next-best distinct paths to show.")
@click.option("--mode", default="disjoint", show_default=True, type=click.Choice(warm_mod.MODES),
              help="disjoint: each alternative avoids the people of the paths before; yen: k shortest loopless paths.")
@click.option("--directed", is_flag=True, help="Walk directed ties only from source to target.")
@_json
@pass_ctx
def warm_path(ctx, from_actor, to_actor, k, mode, directed, as_json):
    """The warmest chain of ties from FROM to TO (strong, recently confirmed ties cost least) and
    the next-best distinct chains."""
    result = warm_mod.warm_paths(get_projection(ctx.store), _id(ctx, from_actor), _id(ctx, to_actor), k=k,
                                 directed=directed, mode=mode)
    if as_json:
        _echo_json(result)
    else:
        click.echo(result["explanation"])
        for path in result["paths"]:
            click.echo("")
            click.echo(path["explanation"])
            prev = None
            for step in path["steps"]:
                if step["tie"] is not None:
                    tie = step["tie"]
                    bits = [tie["label"], f"strength {tie['strength'] or '?'}", f"last contact {tie['last_contact'] or '?'}"]
                    arrow = "<->" if not tie["directed"] else ("->" if tie["source_id"] == prev else "<-")
                    click.echo(f"    {arrow} {', '.join(bits)}")
                click.echo(f"  {step['actor']['name']}  [{step['actor']['kind']}]")
                prev = step["actor"]["id"]
    if not result["found"]:
        sys.exit(1)


@cli.command()
@click.argument("from_actor", metavar="FROM")
@click.option("--hops", default=2, show_default=True, type=click.IntRange(1, reach_mod.MAX_HOPS))
@click.option("--tag", default=None, help="Only actors with this community tag (or sector).")
@click.option("--kind", default=None, type=click.Choice(ACTOR_KINDS), help="Only actors of this kind.")
@click.option("--city", default=None, help="Only actors in this city.")
@click.option("--country", default=None, help="Only actors in this country.")
@click.option("--directed", is_flag=True, help="Walk directed ties only from source to target.")
@click.option("--limit", default=50, show_default=True, type=click.IntRange(1, 5000))
@_json
@pass_ctx
def reach(ctx, from_actor, hops, tag, kind, city, country, directed, limit, as_json):
    """Who do we know: everyone FROM reaches within --hops ties, warmest first, with filters."""
    result = reach_mod.who_do_we_know(get_projection(ctx.store), _id(ctx, from_actor), hops=hops, tag=tag, kind=kind,
                                      city=city, country=country, directed=directed, limit=limit)
    if as_json:
        _echo_json(result)
        return
    filters = ", ".join(f"{k} {v}" for k, v in result["filters"].items())
    click.echo(f"{result['total']} actors within {hops} ties of {result['from']['name']}"
               + (f" ({filters})" if filters else "") + (f"; showing {len(result['results'])}" if result["total"] > limit else "") + ":")
    _bullets(result["results"])


@cli.command()
@click.argument("a")
@click.argument("b")
@_json
@pass_ctx
def mutual(ctx, a, b, as_json):
    """Mutual connections: actors tied to both A and B, strongest first."""
    result = reach_mod.mutual_connections(get_projection(ctx.store), _id(ctx, a), _id(ctx, b))
    if as_json:
        _echo_json(result)
        return
    direct = result["direct"]
    click.echo(f"{result['a']['name']} and {result['b']['name']} "
               + (f"are tied directly ({direct['label']}) and " if direct else "")
               + f"have {result['total']} mutual {'connection' if result['total'] == 1 else 'connections'}.")
    _bullets(result["results"])


@cli.command()
@click.argument("coordinator")
@_hops
@_strength
@_stale
@click.option("--limit", default=20, show_default=True, type=click.IntRange(1, 10_000), help="Single points of failure to list.")
@click.option("--all", "show_all", is_flag=True, help="Also list the communities and areas that are covered.")
@_json
@pass_ctx
def gaps(ctx, coordinator, hops, min_strength, stale_days, limit, show_all, as_json):
    """Coverage gaps of COORDINATOR: each community and area it cannot reach through strong, recent
    ties (and why), and the actors and relationships it hangs on."""
    result = gaps_mod.gap_report(get_projection(ctx.store), _id(ctx, coordinator), hops=hops, min_strength=min_strength,
                                 stale_days=stale_days, limit=limit)
    if as_json:
        _echo_json(result)
        return
    cov, spof = result["coverage"], result["single_points_of_failure"]
    click.echo(cov["explanation"])
    for status, title in (("gap", "Gaps"), ("fragile", "Only through one person"), ("covered", "Covered")):
        items = [f for f in cov["findings"] if f["status"] == status]
        if not items or (status == "covered" and not show_all):
            continue
        click.echo(f"\n{title} ({len(items)}):")
        _bullets(items)
    click.echo("\n" + spof["explanation"])
    aps = [f for f in spof["articulation_points"]["findings"] if f["groups_lost"]]
    bridges = [f for f in spof["bridges"]["findings"] if f["groups_lost"]]
    if aps:
        click.echo("\nActors the coordinator hangs on:")
        _bullets(aps)
    if bridges:
        click.echo("\nRelationships the coordinator hangs on:")
        _bullets(bridges)


@cli.command("what-if")
@click.argument("coordinator")
@click.option("--remove", "remove", multiple=True, required=True, help="An actor who leaves (repeatable).")
@_hops
@_strength
@_stale
@_json
@pass_ctx
def what_if(ctx, coordinator, remove, hops, min_strength, stale_days, as_json):
    """What COORDINATOR would lose if the --remove actors left (someone leaves their job)."""
    result = gaps_mod.what_if(get_projection(ctx.store), _id(ctx, coordinator), [_id(ctx, r) for r in remove], hops=hops,
                              min_strength=min_strength, stale_days=stale_days)
    if as_json:
        _echo_json(result)
        return
    click.echo(result["explanation"])
    _bullets(result["changes"])
    lost = result["lost_actors"]
    if lost["total"]:
        more = f" and {lost['total'] - len(lost['sample'])} more" if lost["total"] > len(lost["sample"]) else ""
        click.echo("  Out of reach altogether: " + ", ".join(a["name"] for a in lost["sample"]) + more + ".")


@cli.command()
@click.option("--top", default=20, show_default=True, type=click.IntRange(1, 1000))
@click.option("--sample", default=None, type=click.IntRange(1, 1_000_000),
              help="Estimate betweenness from this many source actors (default: exact up to 10,000 actors, else 256).")
@click.option("--seed", default=0, show_default=True, type=click.IntRange(0, 2**31))
@_json
@pass_ctx
def brokers(ctx, top, sample, seed, as_json):
    """Brokers and structural holes: betweenness, Burt's constraint and effective size."""
    result = brokers_mod.broker_report(get_projection(ctx.store), top=top, sample=sample, seed=seed)
    if as_json:
        _echo_json(result)
        return
    click.echo(result["explanation"])
    for b in result["brokers"]:
        click.echo(f"  {b['rank']:>3}. {b['explanation']}")


@cli.command()
@click.option("--kind", "kinds", multiple=True, type=click.Choice(ACTOR_KINDS),
              help="Kinds that should coordinate within a city (default agency; repeatable).")
@click.option("--seed", default=0, show_default=True, type=click.IntRange(0, 2**31))
@click.option("--limit", default=20, show_default=True, type=click.IntRange(1, 10_000))
@_json
@pass_ctx
def silos(ctx, kinds, seed, limit, as_json):
    """Silos: separate parts of the network, groups with few ties to others, and agencies in one city
    with no chain of ties between them."""
    result = silos_mod.silo_report(get_projection(ctx.store), seed=seed, kinds=kinds or ("agency",), limit=limit)
    if as_json:
        _echo_json(result)
        return
    click.echo(result["explanation"])
    click.echo("\nGroups with the fewest ties to others first:")
    _bullets(result["groups"]["items"])
    if result["unlinked"]:
        click.echo("\nNo tie path:")
        _bullets(result["unlinked"])


@cli.command()
@click.option("--days", default=180, show_default=True, type=click.IntRange(0, 100_000))
@click.option("--around", default=None, help="Only ties near this actor.")
@click.option("--hops", default=2, show_default=True, type=click.IntRange(1, 6), help="How near, with --around.")
@click.option("--limit", default=20, show_default=True, type=click.IntRange(1, 10_000))
@_json
@pass_ctx
def stale(ctx, days, around, hops, limit, as_json):
    """Stale ties: last contact older than --days, by owner and by community: whom to call this month."""
    result = stale_mod.stale_ties(get_projection(ctx.store), days=days, around=_id(ctx, around) if around else None,
                                  hops=hops, limit=limit)
    if as_json:
        _echo_json(result)
        return
    click.echo(result["explanation"])
    if result["by_owner"]:
        click.echo("\nBy owner:")
        _bullets(result["by_owner"])
    if result["by_community"]:
        click.echo("\nBy community:")
        _bullets(result["by_community"])


@cli.command()
@click.argument("coordinator")
@click.option("--min-strength", default=None, type=click.IntRange(1, 5), help="Count only paths of ties this strong.")
@_json
@pass_ctx
def redundancy(ctx, coordinator, min_strength, as_json):
    """Independent paths (node connectivity) from COORDINATOR to each community and area."""
    result = redundancy_mod.redundancy(get_projection(ctx.store), _id(ctx, coordinator), min_strength=min_strength)
    if as_json:
        _echo_json(result)
        return
    click.echo(result["explanation"])
    _bullets(result["findings"])


@cli.group()
def snapshot():
    """Save the coordination metrics now, list saved snapshots, or compare two."""


@snapshot.command("save")
@click.argument("coordinator")
@click.option("--name", default="", help="A label, e.g. 'spring review'.")
@_hops
@_strength
@_stale
@_json
@pass_ctx
def snapshot_save(ctx, coordinator, name, hops, min_strength, stale_days, as_json):
    """Save a snapshot of COORDINATOR's coverage, single points of failure, brokers and stale ties."""
    snap = snapshots_mod.save_snapshot(ctx.store, get_projection(ctx.store), _id(ctx, coordinator), name=name,
                                       by="cli", hops=hops, min_strength=min_strength, stale_days=stale_days)
    if as_json:
        _echo_json(snap)
        return
    m = snap["metrics"]
    gaps_n = sum(1 for v in m["coverage"].values() if v["status"] == "gap")
    click.echo(f"Saved snapshot {snap['id']} ({snap['taken_at'][:10]}) for {m['coordinator']['name']}: "
               f"{gaps_n} gaps, {len(m['single_points'])} single points of failure, {m['stale_ties']} stale ties.")


@snapshot.command("list")
@_json
@pass_ctx
def snapshot_list(ctx, as_json):
    """Saved snapshots, newest first."""
    snapshots_mod._require_snapshots(ctx.store)
    items = ctx.store.list_snapshots()
    if as_json:
        _echo_json(items)
        return
    if not items:
        click.echo("No snapshots yet: graph-service snapshot save COORDINATOR")
    for s in items:
        click.echo(f"{s['id']:>4}  {s['taken_at'][:19]}  {s['coordinator_id'] or ''}  {s['name']}")


@snapshot.command("diff")
@click.argument("old", metavar="FROM")
@click.argument("new", metavar="TO")
@_json
@pass_ctx
def snapshot_diff(ctx, old, new, as_json):
    """What changed from snapshot FROM to TO (ids, or dates YYYY-MM-DD: the latest snapshot on or before)."""
    result = snapshots_mod.diff_snapshots(snapshots_mod.find_snapshot(ctx.store, old), snapshots_mod.find_snapshot(ctx.store, new))
    if as_json:
        _echo_json(result)
        return
    click.echo(result["explanation"])
    _bullets(result["findings"])
