"""``python -m bench`` (or ``bin/bench``): build the data set once, serve it in production shape,
measure, print one table. See the README's "Benchmark" section."""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time

from . import database
from .dataset.scale import SCALES
from .report import Result, Target, exit_code, table

#: Worker memory after the PDFs: the bound the product must keep (issue 13, point 4).
RSS_BOUND_MB = 300


def parse(argv):
    parser = argparse.ArgumentParser(prog="bench", description=__doc__)
    parser.add_argument("--small", action="store_true", help="tiny data set, few samples (CI)")
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    parser.add_argument("--rebuild", action="store_true", help="rebuild the cached data set")
    parser.add_argument("--samples", type=int, help="samples per page (default 20; small: 3)")
    parser.add_argument("--pdf-samples", type=int, help="samples per PDF (default 20; small: 2)")
    parser.add_argument("--explain", action="store_true", help="print the hot queries' plans")
    parser.add_argument(
        "--only", action="append", default=[], metavar="TEXT", help="rows whose label has TEXT"
    )
    return parser.parse_args(argv)


def log(message: str) -> None:
    print(f"bench: {message}", file=sys.stderr, flush=True)


def configure(place) -> dict:
    """Point this process (and the children) at the bench database, then set Django up."""
    env = {
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "BENCH_DATABASE_URL": place.url,
        "BENCH_MEDIA_ROOT": str(place.media_root),
        "ITSMS_VAR_DIR": str(database.VAR_DIR),
    }
    os.environ.update(env)
    import django

    django.setup()
    return env


def prepare(args, scale):
    """The bench database with its data set (built, or taken from the cache), migrated, analysed."""
    place = database.locate(scale.name)
    from .dataset import fingerprint

    wanted = fingerprint(scale)
    manifest = database.read_manifest(place)
    rebuild = args.rebuild or manifest is None or manifest.get("fingerprint") != wanted
    database.ensure(place)
    if rebuild:
        database.reset(place)
    env = configure(place)
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    if rebuild:
        from .dataset.build import build

        log(f"building the {scale.name} data set into {place.vendor} ({place.name})")
        manifest = build(scale, str(place.media_root), log=log)
        manifest["fingerprint"] = wanted
        database.write_manifest(manifest)
    else:
        log(
            f"using the cached {scale.name} data set built on {manifest['built_on']} ({place.name})"
        )
    database.analyze()
    call_command("collectstatic", interactive=False, verbosity=0)
    return place, env, manifest


def selected(label: str, only: list[str]) -> bool:
    return not only or any(text.lower() in label.lower() for text in only)


def serve_and_measure(args, scale, env, manifest) -> list[Result]:
    from django.conf import settings
    from django.db import connections

    from .client import Client
    from .measure import Meter, api_lists, pages, pdfs, stylesheet_probe
    from .server import Server, server_env

    ids = manifest["ids"]
    probes = pages(ids) + api_lists(ids)
    connections.close_all()
    server = Server(
        env=server_env(env),
        wsgi_application=settings.WSGI_APPLICATION,
        log_path=database.VAR_DIR / "gunicorn.log",
    )
    samples = args.samples or scale.samples
    pdf_samples = args.pdf_samples or scale.pdf_samples
    server.start()
    try:
        client = Client(server.port)
        client.login(ids["consultant_email"], ids["consultant_password"])
        static = stylesheet_probe(client, probes[0].path)
        probes += [static] if static else []
        probes = [p for p in probes if selected(p.label, args.only)]
        meter = Meter(client, ids["token"])
        log(f"gunicorn (1 worker) on {server.base_url}: {len(probes)} rows × {samples} samples")
        results = meter.run(probes, samples, log=log)
        before = server.worker_memory()
        documents = [p for p in pdfs(ids) if selected(p.label, args.only)]
        if documents:
            log(f"PDFs: {len(documents)} × {pdf_samples} samples")
            results += meter.run(documents, pdf_samples, warmup=1, log=log)
        after = server.worker_memory()
        results.insert(0, meter.t_result())
        results += memory_rows(before, after, bool(documents))
    finally:
        server.stop()
    return results


def memory_rows(before: dict, after: dict, pdfs_ran: bool) -> list[Result]:
    if not after:
        return [Result("gunicorn worker RSS", error="no worker found")]
    rows = [Result("gunicorn worker RSS before the PDFs", value=before.get("VmRSS"), unit="MB")]
    if pdfs_ran:
        recycled = before.get("pid") != after.get("pid")
        rows.append(
            Result(
                "gunicorn worker RSS after the PDFs",
                Target(mb=RSS_BOUND_MB),
                value=after.get("VmRSS"),
                unit="MB",
                note=f"peak (VmHWM) {after.get('VmHWM', 0):,.0f} MB"
                + ("; the worker was recycled" if recycled else ""),
            )
        )
    return rows


def run_jobs(args, place, env, manifest) -> list[Result]:
    """The scan (and --explain) in a child process, on a throw-away copy of the database."""
    from django.db import connections

    connections.close_all()  # PostgreSQL copies a database nobody is connected to
    copy_name = "scan-copy.sqlite3" if place.vendor == "sqlite" else f"{place.name}_scan"
    copy = database.copy(place, copy_name)
    try:
        command = [sys.executable, "-m", "bench.jobs", "--ids", json.dumps(manifest["ids"])]
        if args.explain:
            command.append("--explain")
        child_env = {**os.environ, **env, "BENCH_DATABASE_URL": copy.url}
        log("reminder scan as beat runs it, twice, no worker consuming; the audit pack")
        output = subprocess.run(  # noqa: S603
            command, env=child_env, capture_output=True, text=True, check=False
        )
    finally:
        database.drop(copy)
    lines = output.stdout.splitlines()
    for line in lines:
        if not line.startswith("BENCH-JOB "):
            print(line)
    found = [line for line in lines if line.startswith("BENCH-JOB ")]
    if output.returncode or not found:
        sys.stderr.write(output.stderr[-4000:])
        return [Result("reminder scan", error=f"job exited {output.returncode}")]
    return scan_rows(json.loads(found[-1][len("BENCH-JOB ") :]))


def scan_rows(job: dict) -> list[Result]:
    first, repeat = job["runs"]
    rows = []
    for run, target in ((first, Target(ms=10_000)), (repeat, Target(ms=2_000))):
        rows.append(
            Result(
                f"reminder scan, {run['run']} run",
                target,
                median_ms=run["scan_seconds"] * 1000,
                queries=run["queries"],
                samples=1,
                note=(
                    f"{run['reminders']:,} reminders after it; {run['inserts']:,} INSERTs; "
                    f"{run['queries_per_batch']:.0f} statements per batch of 200 of the "
                    f"{job['organizations']:,} organisations; + {run['publish_seconds']:.1f} s "
                    f"handing {run['queued']:,} messages to the broker "
                    f"({run['seconds']:.1f} s in all)"
                ),
            )
        )
    imported = job.get("import")
    if imported:
        rows.append(
            Result(
                f"import dry run, {imported['rows']:,}-row gap-assessment XLSX",
                Target(ms=10_000, queries=20),
                median_ms=imported["seconds"] * 1000,
                queries=imported["queries"],
                samples=1,
                note=(
                    f"read, planned and stored in {imported['queries']} statements whatever "
                    f"the rows; {imported['refused']:,} rows refused (duplicate clauses); "
                    f"{imported['bytes'] / 1e6:.1f} MB workbook"
                ),
            )
        )
    claimed = first.get("claimed")
    rows.append(
        Result(
            "beat with no worker: queued by run 1",
            value=first["queued"],
            unit="msgs",
            note=f"{claimed:,} reminders in them" if claimed is not None else "",
        )
    )
    pack = job.get("pack")
    if pack:
        rows.append(
            Result(
                f"audit pack ({pack['versions']} evidence versions)",
                Target(ms=60_000),
                median_ms=pack["seconds"] * 1000,
                bytes=pack["bytes"],
                samples=1,
                note=f"{pack['included']} in the pack, {pack['failed']} left out; "
                f"{pack['findings']} findings",
            )
        )
        rows.append(
            Result(
                "audit pack: peak memory growth",
                Target(mb=150),
                value=pack["peak_growth_mb"],
                unit="MB",
                note=f"peak of the process {pack['peak_mb']:,.0f} MB",
            )
        )
    rows.append(
        Result(
            "beat with no worker: queued again by run 2",
            Target(count=0),
            value=repeat["queued"],
            unit="msgs",
            note=f"{repeat['waiting']:,} messages waiting in the broker after two runs",
        )
    )
    return rows


def main(argv=None) -> int:
    args = parse(argv if argv is not None else sys.argv[1:])
    scale = SCALES["small" if args.small else "full"]
    started = time.monotonic()
    place, env, manifest = prepare(args, scale)
    results = serve_and_measure(args, scale, env, manifest)
    if selected("reminder scan, beat with no worker, audit pack", args.only):
        results += run_jobs(args, place, env, manifest)
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print()
    print(
        f"ITSMS bench ({scale.name}; {place.vendor}; data set of {manifest['built_on']}; "
        f"median of {args.samples or scale.samples} samples, PDFs "
        f"{args.pdf_samples or scale.pdf_samples}; {time.monotonic() - started:.0f} s; "
        f"load average {load} on {os.cpu_count()} CPUs)"
    )
    print(table(results))
    return exit_code(results, args.check)


if __name__ == "__main__":
    sys.exit(main())
