"""Health checks, the only routes without login: ``/healthz`` (process up), ``/readyz`` (store answers)."""
from __future__ import annotations

from flask import Blueprint, jsonify

from .helpers import get_store

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz():
    return jsonify(status="ok")


@bp.get("/readyz")
def readyz():
    store = get_store()
    store.ping()  # StoreUnavailable -> 503 problem+json
    return jsonify(status="ready", store=store.name)
