"""The app's pages, one blueprint per audience: public pages, sign-in, tracker, briefings."""
from __future__ import annotations

from flask import Flask


def register_blueprints(app: Flask) -> None:
    from views import auth, briefings, feeds, intake, links, public, tracker, users

    for module in (public, auth, tracker, users, briefings, intake, feeds, links):
        app.register_blueprint(module.bp)
