"""Entry point for gunicorn (`gunicorn wsgi:app`) and for `flask` run from the repository root."""
from studyapp import create_app

app = create_app()
