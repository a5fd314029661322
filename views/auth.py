"""Blueprint for the auth pages (being built: see docs/architecture.md)."""
from flask import Blueprint

bp = Blueprint("auth", __name__)
