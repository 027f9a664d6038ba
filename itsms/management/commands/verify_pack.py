"""``manage.py verify_pack <zip>``: check an audit pack or an organisation archive.

The signature of its manifest, the key it was signed with (this instance's, or one given with
``--trust-key``), and every file against its size and SHA-256 (and the hash recorded when the
evidence was uploaded). Exits 0 when intact and signed by a trusted key, 1 otherwise.
"""

from django.core.management.base import BaseCommand, CommandError

from itsms.shared import manifests, signing


class Command(BaseCommand):
    help = "Verify an audit pack or an organisation archive (signature and every SHA-256)."

    def add_arguments(self, parser):
        parser.add_argument("path", help="the ZIP")
        parser.add_argument(
            "--trust-key",
            action="append",
            default=[],
            metavar="FINGERPRINT",
            help="also trust this signing key (its SHA-256 fingerprint); this instance's always",
        )

    def handle(self, *args, path, trust_key, **options):
        try:
            result = manifests.verify_zip(path, {signing.key_id(), *trust_key})
        except OSError as exc:
            raise CommandError(str(exc)) from exc
        manifest = result.manifest
        kind = manifest.get("format", "?")
        self.stdout.write(f"{path}: {kind}, format version {manifest.get('format_version', '?')}")
        self.stdout.write(
            f"signature: {'valid' if result.signature_valid else 'NOT VALID'}; "
            f"key {result.key_id or '?'} ({'trusted' if result.key_trusted else 'NOT TRUSTED'})"
        )
        for check in result.files:
            if not check.ok:
                self.stdout.write(f"FAILED {check.path}: {check.problem}")
        for problem in result.problems:
            self.stdout.write(f"PROBLEM {problem}")
        good = sum(1 for f in result.files if f.ok)
        self.stdout.write(f"{good} of {len(result.files)} files verified")
        for failed in result.failed:
            title = (failed.get("evidence") or {}).get("title") or failed.get("path")
            self.stdout.write(f"left out when built: {title}: {failed.get('reason', '')}")
        if result.ok and result.key_trusted:
            self.stdout.write(self.style.SUCCESS("OK: intact and signed by a trusted key"))
            return
        raise CommandError("NOT VERIFIED")
