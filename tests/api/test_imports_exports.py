"""POST /api/v1/imports (multipart, dry run, plan JSON) and GET /api/v1/exports/<format>."""
import io
from pathlib import Path

FIX = Path(__file__).resolve().parent.parent / "fixtures"


def upload(client, headers, *files, **fields):
    data = {k: v for k, v in fields.items()}
    data["file"] = [(io.BytesIO(Path(f).read_bytes() if isinstance(f, Path) else f[1]), f.name if isinstance(f, Path) else f[0])
                    for f in files]
    return client.post("/api/v1/imports", data=data, headers=headers, content_type="multipart/form-data")


def test_dry_run_returns_the_plan_and_writes_nothing(client, auth, demo_store):
    resp = upload(client, auth("editor"), FIX / "google_contacts.csv", dry_run="true", region="DE")
    assert resp.status_code == 200
    plan = resp.json
    assert (plan["applied"], plan["dry_run"], plan["format"]) == (False, True, "contacts")
    assert plan["files"] == ["google_contacts.csv"]
    assert plan["counts"]["actors"]["created"] == 6
    assert demo_store.find_actors_by_name("Jürgen Weiß") == []


def test_apply_returns_201_and_the_same_plan_shape(client, auth, demo_store):
    resp = upload(client, auth("editor"), FIX / "kumu_elements.csv", FIX / "kumu_connections.csv", source="Jugend-Map")
    assert resp.status_code == 201 and resp.json["applied"] is True
    assert resp.json["source"] == "Jugend-Map"
    assert demo_store.find_actors_by_name("Mosque Association")[0]["kind"] == "community_actor"
    sources = client.get("/api/v1/imports/sources", headers=auth("editor")).json["items"]
    assert [s["name"] for s in sources] == ["Jugend-Map", "roundtable.xlsx"]  # the demo data is a source too
    actor_id = demo_store.find_actors_by_name("Mosque Association")[0]["id"]
    [prov] = client.get(f"/api/v1/imports/provenance/{actor_id}", headers=auth("editor")).json["items"]
    assert (prov["source"], prov["file"], prov["row"]) == ("Jugend-Map", "kumu_elements.csv", 3)


def test_a_mapping_file_can_be_uploaded(client, auth, demo_store):
    data = {"file": [(io.BytesIO((FIX / "kontakte_cp1252.csv").read_bytes()), "kontakte_cp1252.csv")],
            "mapping": (io.BytesIO((FIX / "kontakte_mapping.toml").read_bytes()), "kontakte_mapping.toml")}
    resp = client.post("/api/v1/imports", data=data, headers=auth("editor"), content_type="multipart/form-data")
    assert resp.status_code == 201
    joerg = demo_store.find_actors_by_name("Jörg Müller")[0]
    assert [c["value"] for c in joerg["contact_details"] if c["type"] == "phone"] == ["+493022711111"]


def test_rejected_rows_are_a_422_problem_naming_file_row_and_column(client, auth, demo_store):
    resp = upload(client, auth("editor"), FIX / "dates.csv")
    assert resp.status_code == 422
    assert resp.content_type == "application/problem+json"
    assert [(e["file"], e["row"], e["column"]) for e in resp.json["errors"]] == [("dates.csv", 2, "Birthday"), ("dates.csv", 3, "Birthday")]
    assert demo_store.stats()["actors_total"] == 40


def test_bad_requests(client, auth):
    assert client.post("/api/v1/imports", data={}, headers=auth("editor"), content_type="multipart/form-data").status_code == 400
    assert upload(client, auth("editor"), ("notes.pdf", b"%PDF"),).status_code == 400
    assert upload(client, auth("editor"), FIX / "outlook.csv", dry_run="maybe").status_code == 400
    resp = upload(client, auth("editor"), FIX / "outlook.csv", region="Germany")
    assert resp.status_code == 422 and resp.json["errors"][0]["field"] == "region"
    resp = upload(client, auth("editor"), ("broken.xlsx", b"not a workbook"))
    assert resp.status_code == 422 and "not a readable spreadsheet" in resp.json["errors"][0]["message"]


def test_viewers_cannot_import(client, auth):
    assert upload(client, auth("viewer"), FIX / "outlook.csv").status_code == 403


def test_exports_by_role(client, auth):
    resp = client.get("/api/v1/exports/csv?table=elements&kind=city", headers=auth("editor"))
    assert resp.status_code == 200 and resp.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="graph-service-elements.csv"' in resp.headers["Content-Disposition"]
    text = resp.data.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("Label,Type,Description,Tags,Country,City,ID,Aliases,Email,Phone")
    assert "Munich" in text
    viewer = client.get("/api/v1/exports/csv", headers=auth("viewer")).data.decode("utf-8-sig")
    assert "Email" not in viewer.splitlines()[0]
    assert client.get("/api/v1/exports/vcard", headers=auth("viewer")).status_code == 403
    assert client.get("/api/v1/exports/vcard", headers=auth("editor")).status_code == 200
    xlsx = client.get("/api/v1/exports/xlsx?around=Munich&depth=1", headers=auth("viewer"))
    assert xlsx.status_code == 200 and xlsx.data[:2] == b"PK"
    assert client.get("/api/v1/exports/pdf", headers=auth("editor")).status_code == 400
    assert client.get("/api/v1/exports/csv?table=nope", headers=auth("editor")).status_code == 400
    assert client.get("/api/v1/exports/csv?around=Atlantis", headers=auth("editor")).status_code == 404


def test_sync_sources_name_files_so_viewers_do_not_see_them(client, auth):
    assert client.get("/api/v1/imports/sources", headers=auth("viewer")).status_code == 403
