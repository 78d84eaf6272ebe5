"""The OpenAPI document describes every API route, and the API keeps to it under fuzzing."""
import re

import os

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode

from graph_service.api.openapi import document


def test_every_api_route_is_documented_with_its_methods(app):
    documented = {path: {m.upper() for m in ops if m != "parameters"} for path, ops in document()["paths"].items()}
    routes = {}
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/v1"):
            path = re.sub(r"<(?:[^:>]+:)?([a-z_]+)>", r"{\1}", rule.rule)
            routes.setdefault(path, set()).update(rule.methods - {"HEAD", "OPTIONS"})
    assert routes == documented


def test_the_document_is_served_to_logged_in_users_only(client, auth):
    assert client.get("/api/v1/openapi.json").status_code == 401
    spec = client.get("/api/v1/openapi.json", headers=auth("viewer")).json
    assert spec["openapi"].startswith("3.0") and "/api/v1/path" in spec["paths"]


def operations():
    """Every documented operation as a Schemathesis ``APIOperation`` (positive and negative data)."""
    from graph_service.api.openapi import document

    loaded = schemathesis.openapi.from_dict(document())
    return [result.ok() for result in loaded.get_all_operations()]


@pytest.mark.parametrize("operation", operations(), ids=lambda op: op.label)
def test_fuzzing_finds_no_server_error_and_no_undocumented_response(app, tokens, operation):
    """Schemathesis (property-based API testing, https://schemathesis.readthedocs.io) drives each
    operation through the WSGI app with generated valid and invalid input."""
    operation.schema.app = app
    headers = {"Authorization": f"Bearer {tokens['admin']}"}
    strategy = operation.as_strategy(generation_mode=GenerationMode.POSITIVE) | operation.as_strategy(
        generation_mode=GenerationMode.NEGATIVE)

    @given(case=strategy)
    @settings(max_examples=int(os.environ.get("FUZZ_EXAMPLES", "10")), deadline=None,
              suppress_health_check=list(HealthCheck), database=None)
    def run(case):
        # Schema-valid requests may still name actors that do not exist (404/422): that heuristic is off.
        case.call_and_validate(headers=headers, app=app, excluded_checks=[schemathesis.checks.positive_data_acceptance])

    run()
