"""``bin/fuzz``: schemathesis against a live server of the project, over the whole OpenAPI schema.

1. A throw-away database with the demo data: SQLite in ``var/fuzz/`` by default; when
   ``DATABASE_URL`` names a PostgreSQL server (CI), the database ``<name>_fuzz`` on it, dropped
   and created (the one the URL names is never touched).
2. API tokens of an admin, a contributor and a viewer of the demo bank (``manage.py api_token``).
3. gunicorn on a free loopback port (production settings shape: DEBUG off), Celery eager.
4. schemathesis with **all checks**, a fixed seed and a bounded number of examples, once per
   user (viewer and contributor first, then the admin, who may delete); path parameters are
   pointed at real objects of the demo data, so the writes reach the code behind them.
5. Its report for each user (``var/fuzz/<user>/``, NDJSON and JUnit) and a summary: exit 1 on
   any server error or conformance failure (status code, content type, headers, response
   schema). The other checks' findings are printed and counted, not fatal.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
import urllib.request
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.database import POSTGRES_SCHEMES, _pg_connect  # noqa: E402
from bench.server import Server, server_env  # noqa: E402

ORGANIZATION = "eastern-harbour-bank"
USERS = [  # run in this order: the admin last, as the admin's fuzzing deletes things
    ("viewer", "zhou@ehbank.example"),
    ("contributor", "zhao@ehbank.example"),
    ("admin", "wang@ehbank.example"),
]
#: A failure of one of these fails the run (issue 11: 0 server errors, 0 conformance failures).
FATAL_CHECKS = {
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_headers_conformance",
    "response_schema_conformance",
}


def parse_args(argv):
    parser = argparse.ArgumentParser(prog="bin/fuzz", description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=20261)
    parser.add_argument(
        "--examples", type=int, default=12, help="per operation, for the admin (default 12)"
    )
    parser.add_argument(
        "--other-examples", type=int, default=4, help="per operation, viewer and contributor"
    )
    parser.add_argument("--only", action="append", help="run only these users (viewer, …)")
    parser.add_argument("--keep", action="store_true", help="keep var/fuzz/ and the database")
    return parser.parse_args(argv)


def database(work: Path) -> tuple[str, callable]:
    """The fuzz database's URL, and how to drop it."""
    url = os.environ.get("DATABASE_URL", "")
    if urlsplit(url).scheme in POSTGRES_SCHEMES:
        name = urlsplit(url).path.lstrip("/") + "_fuzz"
        fuzz_url = urlunsplit(urlsplit(url)._replace(path="/" + name))

        def admin(statement):
            connection = _pg_connect(url)
            try:
                with connection.cursor() as cursor:
                    cursor.execute(statement)
            finally:
                connection.close()

        admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin(f'CREATE DATABASE "{name}"')
        return fuzz_url, lambda: admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    return f"sqlite:///{work / 'db.sqlite3'}", lambda: None


def manage(env, *args) -> str:
    result = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args],
        cwd=REPO,
        env=env,
        check=False,
        capture_output=True,
        text=True,
    )
    if result.returncode:
        print(result.stdout, result.stderr, sep="\n", file=sys.stderr)  # why, in CI's log
        raise SystemExit(f"bin/fuzz: manage.py {' '.join(args[:2])} failed")
    return result.stdout.strip()


IDS_SCRIPT = """
import json
from itsms.models import ClauseAssessment, Evidence, EvidenceVersion, Invitation, Membership
from itsms.models import Organization
from audits.models import Audit, Finding, CorrectiveAction, CertificationBody, PlanSession
from processes.models import ProcessInstance, Kpi, KpiValue, Service
from certification.models import Certificate, CertificationProject, ProjectStep, ChecklistItem
org = Organization.objects.get(slug="%(org)s")
def first(model, **kw):
    row = model._default_manager.filter(organization=org, **kw).order_by("pk").first()
    return row.pk if row else None
print(json.dumps({
    "assessments": first(ClauseAssessment, clause__number="8.6.1"),
    "audits": first(Audit),
    "findings": first(Finding),
    "corrective-actions": first(CorrectiveAction),
    "certification-bodies": first(CertificationBody),
    "plan-sessions": first(PlanSession),
    "evidence": first(Evidence),
    "evidence-versions": first(EvidenceVersion),
    "memberships": first(Membership, user__email="zhou@ehbank.example"),
    "invitations": first(Invitation),
    "processes": first(ProcessInstance, clause__number="8.6.1"),
    "kpis": first(Kpi),
    "kpi-values": first(KpiValue),
    "services": first(Service),
    "certificates": first(Certificate),
    "certification-projects": first(CertificationProject),
    "project-steps": first(ProjectStep),
    "checklist-items": first(ChecklistItem),
}))
"""


def config(ids: dict, examples: int, seed: int) -> str:
    """schemathesis.toml: the organisation, and each detail path pointed at a real object."""
    lines = [
        f"seed = {seed}",
        "[generation]",
        f"max-examples = {examples}",
        # The session cookie of the schema's cookie security scheme is not a parameter to fuzz:
        # the requests authenticate with the token.
        "with-security-parameters = false",
        "[phases.stateful]",
        "enabled = false",
        "[parameters]",
        f'"organization" = "{ORGANIZATION}"',
        f'"slug" = "{ORGANIZATION}"',
        '"code" = "iso20000-1-2018"',
        '"number" = "8.6.1"',
    ]
    for prefix, pk in sorted(ids.items()):
        if pk is None:
            continue
        lines += [
            "[[operations]]",
            f'include-path-regex = "^/api/v1/{prefix}/\\\\{{id\\\\}}/"',
            f"parameters = {{ id = {pk} }}",
        ]
    return "\n".join(lines) + "\n"


def summarise(report_dir: Path) -> tuple[Counter, Counter, set, int]:
    """Failures per check, fatal failures per (check, operation), operations, cases."""
    failures, fatal, operations, cases = Counter(), Counter(), set(), 0
    for path in report_dir.glob("*.ndjson"):
        for line in path.read_text().splitlines():
            event = json.loads(line).get("ScenarioFinished")
            if not event:
                continue
            recorder = event.get("recorder") or {}
            operations.add(recorder.get("label"))
            checks = recorder.get("checks") or {}
            cases += len(checks)
            for results in checks.values():
                for check in results:
                    if check.get("status") != "failure":
                        continue
                    failures[check["name"]] += 1
                    if check["name"] in FATAL_CHECKS:
                        fatal[(check["name"], recorder.get("label"))] += 1
    return failures, fatal, operations, cases


def main(argv=None) -> int:
    args = parse_args(argv or sys.argv[1:])
    started = time.monotonic()
    work = REPO / "var" / "fuzz"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    database_url, drop = database(work)
    env = server_env(
        {
            "DATABASE_URL": database_url,
            "DJANGO_SETTINGS_MODULE": "itsms.settings",
            "ITSMS_VAR_DIR": str(work / "var"),
            "MEDIA_ROOT": str(work / "media"),
            "CELERY_TASK_ALWAYS_EAGER": "true",
            "EMAIL_URL": "consolemail://",
            "API_USER_RATE": "1000000/hour",
            "DJANGO_DEBUG": "false",
        }
    )
    print(f"== fuzz: database {urlsplit(database_url).scheme}, work folder {work}", flush=True)
    manage(env, "migrate", "--no-input", "-v0")
    manage(env, "seed_demo", "--quiet")
    tokens = {
        role: manage(env, "api_token", email, "--name", "fuzz", "--days", "1")
        for role, email in USERS
    }
    ids = json.loads(
        manage(env, "shell", "-c", IDS_SCRIPT % {"org": ORGANIZATION}).splitlines()[-1]
    )
    server = Server(
        env=env, wsgi_application="itsms.wsgi.application", log_path=work / "server.log"
    )
    server.start()
    # The schema is fetched once, with time to build it (several seconds on a busy machine:
    # schemathesis's own 10 s read timeout failed a CI run), and each run reads the file.
    schema = str(work / "schema.json")
    totals, all_fatal, all_operations, all_cases = Counter(), Counter(), set(), 0
    status = 0
    try:
        request = urllib.request.Request(  # noqa: S310 (the loopback server started above)
            f"{server.base_url}/api/schema/?format=json",
            headers={"Authorization": f"Token {tokens['admin']}"},
        )
        with urllib.request.urlopen(request, timeout=300) as response:  # noqa: S310
            Path(schema).write_bytes(response.read())
        for role, _email in USERS:
            if args.only and role not in args.only:
                continue
            examples = args.examples if role == "admin" else args.other_examples
            folder = work / role
            folder.mkdir()
            (folder / "schemathesis.toml").write_text(config(ids, examples, args.seed))
            print(
                f"\n== schemathesis as the {role} ({examples} examples per operation)", flush=True
            )
            command = [
                str(Path(sys.executable).with_name("schemathesis")),
                "--config-file",
                str(folder / "schemathesis.toml"),
                "--no-color",
                "run",
                schema,
                "--url",
                server.base_url,
                "--checks",
                "all",
                "--workers",
                "1",
                "--header",
                f"Authorization: Token {tokens[role]}",
                "--request-timeout",
                "30",
                "--report",
                "ndjson,junit",
                "--report-dir",
                str(folder),
                "--output-truncate",
                "true",
            ]
            subprocess.run(command, cwd=folder, env=env, check=False)  # noqa: S603
            failures, fatal, operations, cases = summarise(folder)
            totals.update(failures)
            all_fatal.update(fatal)
            all_operations |= operations
            all_cases += cases
    finally:
        server.stop()
        if not args.keep:
            drop()
    print("\n== fuzz summary")
    print(f"operations: {len(all_operations)}; test cases: {all_cases}")
    for name in sorted(totals):
        flag = "FATAL" if name in FATAL_CHECKS else "noted"
        print(f"  {flag}  {name}: {totals[name]}")
    for (name, label), count in sorted(all_fatal.items()):
        print(f"  !! {name} {label}: {count}")
    if all_fatal:
        status = 1
    server_errors = totals.get("not_a_server_error", 0)
    conformance = sum(totals[name] for name in FATAL_CHECKS - {"not_a_server_error"})
    print(
        f"{server_errors} server errors, {conformance} conformance failures "
        f"({time.monotonic() - started:.0f} s); reports in {work}"
    )
    return status


if __name__ == "__main__":
    sys.exit(main())
