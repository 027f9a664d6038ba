"""Reference data shipped with the product, copied from ../shared/reference/ at build time.

``load_reference_data(apps)`` loads it; migration 0002 calls it, so ``migrate``
leaves the clause tree in the database. It is idempotent: running it again
updates titles and guidance and adds nothing twice.
"""

import json
from functools import cache
from pathlib import Path

HERE = Path(__file__).resolve().parent
PRIMARY = "iso20000-1-2018"
EDITION_2011 = "iso20000-1-2011"


@cache
def read(name: str):
    with (HERE / name).open(encoding="utf-8") as fh:
        return json.load(fh)


def clause_sort_key(number: str) -> tuple[int, ...]:
    return tuple(int(part) for part in number.split("."))


def _order_map(numbers):
    return {n: i for i, n in enumerate(sorted(numbers, key=clause_sort_key), start=1)}


def _upsert_tree(Clause, standard, rows, extra=lambda row: {}):
    """Create or update a standard's clauses (rows: number, title, parent), parents first."""
    order = _order_map([r["number"] for r in rows])
    existing = {c.number: c for c in Clause.objects.filter(standard=standard)}
    for row in sorted(rows, key=lambda r: clause_sort_key(r["number"])):
        number = row["number"]
        parent = existing.get(row["parent"]) if row.get("parent") else None
        values = {
            "title": row.get("title") or "",
            "parent": parent,
            "order": order[number],
            "depth": number.count(".") + 1,
            "title_inferred": bool(row.get("title_inferred") or row.get("unconfirmed")),
            **extra(row),
        }
        clause = existing.get(number)
        if clause is None:
            clause = Clause.objects.create(standard=standard, number=number, **values)
            existing[number] = clause
        else:
            for key, value in values.items():
                setattr(clause, key, value)
            clause.save()
    return existing


def load_reference_data(apps=None):
    """Load standards, clause trees and correlations (``apps``: a migration's app registry)."""
    if apps is None:
        from django.apps import apps as global_apps

        apps = global_apps
    Standard = apps.get_model("itsms", "Standard")
    Clause = apps.get_model("itsms", "Clause")
    ClauseCorrelation = apps.get_model("itsms", "ClauseCorrelation")

    clauses_2018 = read("clauses_2018.json")
    processes_2011 = read("processes_2011.json")
    others = read("other_standards.json")
    guidance = read("guidance_2018.json")
    notes = read("project_notes.json")

    def standard(code, name, year, order, source, primary=False):
        obj, _ = Standard.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "year": year,
                "order": order,
                "source": source,
                "is_primary": primary,
            },
        )
        return obj

    s2018 = standard(
        PRIMARY, "ISO/IEC 20000-1:2018", 2018, 1, clauses_2018.get("method", ""), primary=True
    )
    new_notes = notes["new_in_2018"]
    tree_2018 = _upsert_tree(
        Clause,
        s2018,
        clauses_2018["clauses"],
        extra=lambda row: {
            "guidance": guidance[row["number"]]["en"],
            "guidance_zh_hans": guidance[row["number"]]["zh-hans"],
            "note": row.get("note", "") or new_notes.get(row["number"], ""),
        },
    )

    s2011 = standard(EDITION_2011, "ISO/IEC 20000-1:2011", 2011, 2, processes_2011["coverage"])
    # The "13 processes" list is authoritative; clause 5 is sometimes counted as a 14th.
    thirteen = {p["number"] for p in processes_2011["thirteen_processes"]["processes"]}
    tree_2011 = _upsert_tree(
        Clause,
        s2011,
        processes_2011["clauses"],
        extra=lambda row: {
            "is_process": row["number"] in thirteen,
            "group": row.get("group", ""),
            "note": row.get("note", ""),
        },
    )

    trees = {}
    for order, std in enumerate(others["standards"], start=3):
        year = int(std["name"].rsplit(":", 1)[1])
        obj = standard(std["code"], std["name"], year, order, std.get("source", ""))
        trees[std["code"]] = _upsert_tree(
            Clause, obj, std["clauses"], extra=lambda row: {"note": row.get("note", "") or ""}
        )

    wanted = {}
    for entry in processes_2011["mapping_2011_to_2018"]["entries"]:
        for number in entry["iso20000_1_2018"]:
            wanted[(number, EDITION_2011, entry["iso20000_1_2011"])] = {
                "kind": "predecessor",
                "relation": "",
                "note": entry.get("note", ""),
                "inferred": bool(entry.get("inferred", True)),
            }
    columns = {
        "iso27001_2013": "iso27001-2013",
        "iso9001_2015": "iso9001-2015",
        "iso22301_2019": "iso22301-2019",
    }
    relations = {}
    for row in clauses_2018["annex_sl_crosswalk"]["rows"]:
        relations[row["iso20000_1_2018"]] = row.get("relation") or "same"
        for column, code in columns.items():
            if row.get(column):
                wanted[(row["iso20000_1_2018"], code, row[column])] = {
                    "kind": "harmonized",
                    "relation": row.get("relation", ""),
                    "note": row.get("note", ""),
                    "inferred": False,
                }

    all_trees = {EDITION_2011: tree_2011, **trees}
    existing = {
        (c.clause_id, c.other_id): c
        for c in ClauseCorrelation.objects.filter(clause__standard=s2018)
    }
    keep = set()
    for (number, code, other_number), values in wanted.items():
        clause = tree_2018[number]
        other = all_trees[code][other_number]
        key = (clause.pk, other.pk)
        keep.add(key)
        corr = existing.get(key)
        if corr is None:
            ClauseCorrelation.objects.create(clause=clause, other=other, **values)
        else:
            for k, v in values.items():
                setattr(corr, k, v)
            corr.save()
    for key, corr in existing.items():
        if key not in keep:
            corr.delete()

    for number, clause in tree_2018.items():
        relation = relations.get(number, "")
        if clause.crosswalk_relation != relation:
            clause.crosswalk_relation = relation
            clause.save(update_fields=["crosswalk_relation"])

    Clause.objects.filter(standard=s2018).update(new_in_edition=False)
    with_predecessor = {k[0] for k in wanted if k[1] == EDITION_2011}

    def has_predecessor(number):
        return any(n == number or n.startswith(number + ".") for n in with_predecessor)

    new_numbers = set(new_notes) | {n for n in tree_2018 if not has_predecessor(n)}
    Clause.objects.filter(standard=s2018, number__in=new_numbers).update(new_in_edition=True)
