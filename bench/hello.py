"""The baseline for bench/pages.py: the smallest Flask app gunicorn can serve."""

from flask import Flask

app = Flask(__name__)


@app.route("/")
def hello() -> str:
    return "Hello, World!"
