"""CLI command groups by area (sync, analytics, ...); each module decorates ``graph_service.cli.cli``.

A module here does ``from graph_service.cli import cli, pass_ctx`` and defines ``@cli.command()``
functions; :func:`graph_service.cli._load_command_modules` imports them all.
"""
