"""Demo data (being written)."""
from flask import Blueprint

demo_cli = Blueprint("demo", __name__, cli_group="demo")
