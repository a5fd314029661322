"""Blueprint for the briefings pages (being built: see docs/architecture.md)."""
from flask import Blueprint

bp = Blueprint("briefings", __name__)
