"""Readers for the files people keep (spreadsheets, contact exports) -> validated actor and tie rows.

Readers never write: they return rows for :mod:`graph_service.services.sync`, which plans the
change against the store and applies it in one transaction.
"""
