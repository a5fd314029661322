"""The app's command-line commands (users, backup), registered once by create_app.

`flask --app app user add NAME --role ROLE` and `rlr user add ...` run the same commands: they
need the app's configuration (where tracker.db is), so they live in the web layer.
"""
from __future__ import annotations

import sqlite3
import sys
from getpass import getpass

import click
from flask import Flask, current_app
from flask.cli import AppGroup, with_appcontext

from tracker import users
from tracker.backup import BackupError, backup
from tracker.store import connect

user_cli = AppGroup("user", help="Manage tracker users.")


def _known_agencies() -> set[str] | None:
    """Agency slugs from the reviews database, or None if it is not built yet."""
    try:
        conn = sqlite3.connect(f"file:{current_app.config['DATABASE']}?mode=ro", uri=True)
        try:
            return {r[0] for r in conn.execute("SELECT slug FROM agencies")}
        finally:
            conn.close()
    except sqlite3.Error:
        return None


def _read_password() -> str:
    stdin = sys.stdin
    if stdin.isatty():
        first, second = getpass("Password: "), getpass("Password again: ")
        if first != second:
            raise click.ClickException("the two passwords do not match")
        return first
    return stdin.readline().rstrip("\r\n")


@user_cli.command("add")
@click.argument("name")
@click.option("--role", required=True, type=click.Choice(users.ROLES))
@click.option("--agency", default=None, help="agency slug (agency leads only)")
def add_user(name: str, role: str, agency: str | None) -> None:
    """Add a user; the password is read from standard input."""
    known = _known_agencies()
    if agency and known is None:
        click.echo("warning: reviews database not built, so the agency slug was not checked", err=True)
    conn = connect(current_app.config["TRACKER_DATABASE"])
    try:
        users.create_user(conn, name, role, _read_password(), agency, known)
    except users.UserError as exc:
        raise click.ClickException(str(exc)) from None
    finally:
        conn.close()
    click.echo(f"added {role} {name}" + (f" ({agency})" if agency else ""))


@user_cli.command("list")
def list_users() -> None:
    """List users (name, role, agency, active)."""
    conn = connect(current_app.config["TRACKER_DATABASE"])
    try:
        for u in users.list_users(conn):
            click.echo(f"{u['name']}\t{u['role']}\t{u['agency'] or '-'}\t{'active' if u['active'] else 'inactive'}")
    finally:
        conn.close()


@click.command("backup")
@click.argument("directory", type=click.Path(file_okay=False))
@with_appcontext
def backup_command(directory: str) -> None:
    """Copy instance/tracker.db into DIRECTORY, consistently, even while the app runs."""
    try:
        target = backup(current_app.config["TRACKER_DATABASE"], directory)
    except BackupError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"backed up to {target}")


COMMANDS = (user_cli, backup_command)


def init_app(app: Flask) -> None:
    for command in COMMANDS:
        app.cli.add_command(command)
