"""Blueprint for the tracker pages (being built: see docs/architecture.md)."""
from flask import Blueprint

bp = Blueprint("tracker", __name__)
