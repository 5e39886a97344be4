"""The application shell: settings, schema from migrations, health, error pages, language, no CDN."""
import os
import stat

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from portal import create_app
from portal.extensions import db


def test_secret_key_is_generated_once_and_kept_private(tmp_path, monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    first = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})
    first.instance_path  # noqa: B018
    key_file = os.path.join(first.instance_path, "secret_key")
    again = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert first.config["SECRET_KEY"] == again.config["SECRET_KEY"] and len(first.config["SECRET_KEY"]) >= 64
    assert stat.S_IMODE(os.stat(key_file).st_mode) == 0o600


def test_settings_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://user@db.example/portal")
    monkeypatch.setenv("SECRET_KEY", "from-env")
    monkeypatch.setenv("MAIL_PORT", "2525")
    app = create_app()
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://user@db.example/portal"
    assert app.config["SECRET_KEY"] == "from-env" and app.config["MAIL_PORT"] == 2525


def test_the_migrations_build_exactly_the_models(app):
    with app.app_context():
        connection = db.session.connection()
        differences = compare_metadata(MigrationContext.configure(connection), db.metadata)
    assert differences == []


def test_health_reports_database_outbox_and_worker(client):
    health = client.get("/healthz").get_json()
    assert health["database"] == "ok"
    assert set(health["outbox"]) == {"pending", "failed", "oldest_pending_seconds"}
    assert "worker" in health and "SECRET" not in str(health)


def test_health_after_a_worker_round(app, client, smtp_server):
    from portal.outbox.worker import run_once
    with app.app_context():
        run_once()
    health = client.get("/healthz").get_json()
    assert health["worker"]["seconds_ago"] is not None and health["status"] == "ok"


def test_not_found_is_a_friendly_page(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404 and "Page not found" in response.get_data(as_text=True)


def test_a_fault_shows_no_stack_trace():
    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "x"})

    @app.route("/boom")
    def boom():
        raise RuntimeError("secret internals")

    client = app.test_client()
    client.get("/lang/en")
    response = client.get("/boom")
    page = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "secret internals" not in page and "Traceback" not in page
    assert "Something went wrong on our side" in page


def test_pages_use_no_outside_server(client):
    page = client.get("/complaints/new").get_data(as_text=True)
    assert "cdn." not in page and "https://" not in page
    assert "/bootstrap/static/css/bootstrap.min.css" in page


def test_security_headers(client):
    headers = client.get("/").headers
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
