"""The Flask front end: create_app() is found by `flask --app app` and waitress `--call`."""
from __future__ import annotations

import os
import secrets
from pathlib import Path

from flask import Flask

from tracker import users
from views import commands, extensions, published, register_blueprints
from views import security
from views.db import init_app as init_db


def _secret_key(instance_dir: Path) -> str:
    """Read the secret key, generating it on first run; it lives outside git."""
    key_file = instance_dir / "secret_key"
    if not key_file.exists():
        instance_dir.mkdir(parents=True, exist_ok=True)
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_hex(32))
    return key_file.read_text().strip()


def create_app(test_config: dict | None = None) -> Flask:
    """Build the app; tests pass paths to their own databases and index in test_config."""
    root = Path(__file__).resolve().parent
    data_dir = Path(os.environ.get("RLR_DATA_DIR", root / "data"))
    instance_dir = Path(os.environ.get("RLR_INSTANCE_DIR", root / "instance"))
    app = Flask(__name__, instance_path=str(instance_dir.resolve()))
    app.config.from_mapping(
        DATABASE=str(data_dir / "reviews.db"),
        PUBLIC_DATABASE=str(data_dir / "safeguarding-reviews.db"),
        SEARCH_INDEX_DIR=str(data_dir / "search-index"),
        TRACKER_DATABASE=str(instance_dir / "tracker.db"),
        DATASETTE_URL=os.environ.get("RLR_DATASETTE_URL", "http://127.0.0.1:8001"),
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=os.environ.get("RLR_SECURE_COOKIES", "0") == "1",
        MAX_CONTENT_LENGTH=2 * 1024 * 1024,
        PUBLIC_BASE_URL=os.environ.get("RLR_BASE_URL") or None,
        TRUSTED_PROXIES=int(os.environ.get("RLR_TRUSTED_PROXIES", "0")),
    )
    if test_config is None:
        app.config["SECRET_KEY"] = os.environ.get("RLR_SECRET_KEY") or _secret_key(instance_dir)
    else:
        app.config.update(test_config)
    if users.hashing_is_for_tests() and not app.config.get("TESTING"):
        users.use_test_hashing(False)  # low-cost hashing is for the test suite only: never for a real app
        app.logger.warning("low-cost password hashing was on without TESTING; back to the full cost")
    init_db(app)
    extensions.init_app(app)
    security.init_app(app)
    security.behind_proxies(app)
    published.init_app(app)
    commands.init_app(app)
    register_blueprints(app)
    return app
