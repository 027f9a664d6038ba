"""docker-compose.yml stays true to the settings (it cannot run on these machines)."""

import re
from pathlib import Path

import yaml
from django.conf import settings

ROOT = Path(settings.BASE_DIR)


def test_compose_has_the_production_services_and_uses_names_the_settings_read():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    assert {"db", "redis", "web", "worker", "beat"} <= set(compose["services"])
    assert "gunicorn" in compose["services"]["web"]["command"]
    assert "worker" in compose["services"]["worker"]["command"]
    assert "beat" in compose["services"]["beat"]["command"]
    settings_source = "".join(p.read_text() for p in (ROOT / "itsms" / "settings").glob("*.py"))
    env = compose["services"]["web"]["environment"]
    for name in env:
        if name == "DJANGO_SETTINGS_MODULE":
            continue
        assert re.search(rf'"{name}"', settings_source), f"settings never read {name}"
    assert env["DJANGO_SETTINGS_MODULE"] == "itsms.settings.production"


def test_the_readme_starts_with_the_two_commands():
    readme = (ROOT / "README.md").read_text()
    block = readme.split("```bash", 1)[1].split("```", 1)[0]
    commands = [line.split("#")[0].strip() for line in block.strip().splitlines()]
    assert commands == ["bin/run", "bin/test"]
    assert "bin/test" in (ROOT / ".ci" / "run").read_text()


def test_the_image_leaves_out_local_state_and_the_embedded_secret_key():
    """``COPY . .`` in the Dockerfile would copy var/ (the embedded SECRET_KEY, the SQLite
    database, media, broker files) and the virtualenv into the image without .dockerignore."""
    assert "COPY . ." in (ROOT / "Dockerfile").read_text()
    ignored = {
        line.strip().rstrip("/")
        for line in (ROOT / ".dockerignore").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    }
    default_var = Path(settings.BASE_DIR) / "var"
    assert default_var.name in ignored
    assert {".venv", ".git", "control", "test-results"} <= ignored
