"""Blueprint for the public pages (being built: see docs/architecture.md)."""
from flask import Blueprint

bp = Blueprint("public", __name__)
