"""Reference data shipped with the product, copied from ../shared/reference/ at build time.

``load_reference_data(apps)`` loads it; the data migrations call it, so ``migrate``
leaves the clause trees in the database. It is idempotent: running it again
updates titles, translations, guidance and flags and adds nothing twice.

Files: ``clauses_2018.json`` and ``processes_2011.json`` (copies of the shared reference,
checked for drift), ``other_standards.json`` (ISO/IEC 27001, ISO 9001, ISO 22301 headings),
and the project's own text in both languages: ``titles_zh_hans.json`` (the Chinese headings),
``guidance_2018.json``, ``project_notes.json`` (notes on clauses and correlations) and
``changes_2018.json`` (what changed in 2018). Research notes of the shared reference (how a
heading was sourced) are kept in ``research_note`` fields, which no page or API shows.
"""

import json
from functools import cache
from pathlib import Path

HERE = Path(__file__).resolve().parent
PRIMARY = "iso20000-1-2018"
EDITION_2011 = "iso20000-1-2011"
LANGUAGES = {"en": "en", "zh_hans": "zh-hans"}  # field suffix → key in the JSON files

#: Crosswalk relations that name one column only ("different-number-in-9001": 9001 differs,
#: the others are the same clause).
COLUMN_RELATIONS = {"different-number-in-9001": ("iso9001_2015", "different-number")}


@cache
def read(name: str):
    with (HERE / name).open(encoding="utf-8") as fh:
        return json.load(fh)


def clause_sort_key(number: str) -> tuple[int, ...]:
    return tuple(int(part) for part in number.split("."))


def new_in_2018() -> list[str]:
    """The curated list of 2018 clauses without a 2011 predecessor (the shared reference's)."""
    mapping = read("processes_2011.json")["mapping_2011_to_2018"]
    return [entry["iso20000_1_2018"] for entry in mapping["new_in_2018_without_2011_predecessor"]]


def translations(text: dict | None, field: str) -> dict:
    """``{"en": …, "zh-hans": …}`` → ``{"<field>_en": …, "<field>_zh_hans": …}``."""
    text = text or {}
    return {f"{field}_{suffix}": text.get(key, "") or "" for suffix, key in LANGUAGES.items()}


def _order_map(numbers):
    return {n: i for i, n in enumerate(sorted(numbers, key=clause_sort_key), start=1)}


def _fields(model) -> set[str]:
    return {f.name for f in model._meta.get_fields()}


def _differs(model, obj, key, value) -> bool:
    field = model._meta.get_field(key)
    if field.many_to_one:  # compare ids: reading the related object would cost a query
        return getattr(obj, field.attname) != (value.pk if value is not None else None)
    return getattr(obj, key) != value


def _save(model, obj, values, **lookup):
    """Create or update one row with ``values``, keeping only fields the model has.

    The data migrations run this loader against the historical model of their point in the
    migration graph; fields added later are filled by the later migration that loads again.
    """
    present = _fields(model)
    values = {k: v for k, v in values.items() if k in present}
    if obj is None:
        return model.objects.create(**lookup, **values)
    changed = [k for k, v in values.items() if _differs(model, obj, k, v)]
    for key in changed:
        setattr(obj, key, values[key])
    if changed:
        obj.save(update_fields=changed)
    return obj


def _upsert_tree(Clause, standard, rows, zh_titles, extra=lambda row: {}):
    """Create or update a standard's clauses (rows: number, title, parent), parents first."""
    order = _order_map([r["number"] for r in rows])
    existing = {c.number: c for c in Clause.objects.filter(standard=standard)}
    for row in sorted(rows, key=lambda r: clause_sort_key(r["number"])):
        number = row["number"]
        parent = existing.get(row["parent"]) if row.get("parent") else None
        values = {
            "title_en": row.get("title") or "",
            "title_zh_hans": zh_titles.get(number, ""),
            "parent": parent,
            "order": order[number],
            "depth": number.count(".") + 1,
            "title_inferred": bool(row.get("title_inferred") or row.get("unconfirmed")),
            "research_note": row.get("note", "") or "",
            **extra(row),
        }
        existing[number] = _save(
            Clause, existing.get(number), values, standard=standard, number=number
        )
    return existing


def load_reference_data(apps=None):
    """Load standards, clause trees, correlations and changes (``apps``: a migration's registry)."""
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
    zh_titles = read("titles_zh_hans.json")

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
    new_numbers = set(new_in_2018())
    tree_2018 = _upsert_tree(
        Clause,
        s2018,
        clauses_2018["clauses"],
        zh_titles[PRIMARY],
        extra=lambda row: {
            **translations(guidance[row["number"]], "guidance"),
            **translations(notes["new_in_2018"].get(row["number"]), "note"),
            "new_in_edition": row["number"] in new_numbers,
        },
    )

    s2011 = standard(EDITION_2011, "ISO/IEC 20000-1:2011", 2011, 2, processes_2011["coverage"])
    # The "13 processes" list is authoritative; clause 5 is sometimes counted as a 14th.
    thirteen = {p["number"] for p in processes_2011["thirteen_processes"]["processes"]}
    tree_2011 = _upsert_tree(
        Clause,
        s2011,
        processes_2011["clauses"],
        zh_titles[EDITION_2011],
        extra=lambda row: {
            "is_process": row["number"] in thirteen,
            "group": row.get("group", ""),
            **translations(notes["clauses_2011"].get(row["number"]), "note"),
            "research_note": "",
        },
    )

    trees = {}
    for order, std in enumerate(others["standards"], start=3):
        year = int(std["name"].rsplit(":", 1)[1])
        obj = standard(std["code"], std["name"], year, order, std.get("source", ""))
        trees[std["code"]] = _upsert_tree(Clause, obj, std["clauses"], zh_titles[std["code"]])

    wanted = {}
    for entry in processes_2011["mapping_2011_to_2018"]["entries"]:
        note = notes["mapping_2011"].get(entry["iso20000_1_2011"])
        for number in entry["iso20000_1_2018"]:
            wanted[(number, EDITION_2011, entry["iso20000_1_2011"])] = {
                "kind": "predecessor",
                "relation": "",
                **translations(note, "note"),
                "research_note": entry.get("note", ""),
                "inferred": bool(entry.get("inferred", True)),
            }
    columns = {
        "iso27001_2013": "iso27001-2013",
        "iso9001_2015": "iso9001-2015",
        "iso22301_2019": "iso22301-2019",
    }
    relations = {}
    for row in clauses_2018["annex_sl_crosswalk"]["rows"]:
        relation = row.get("relation") or "same"
        relations[row["iso20000_1_2018"]] = relation
        for column, code in columns.items():
            if not row.get(column):
                continue
            column_relation = relation
            if relation in COLUMN_RELATIONS:
                differing, meaning = COLUMN_RELATIONS[relation]
                column_relation = meaning if column == differing else "same"
            wanted[(row["iso20000_1_2018"], code, row[column])] = {
                "kind": "harmonized",
                "relation": column_relation,
                "note_en": "",
                "note_zh_hans": "",
                "research_note": row.get("note", ""),
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
        _save(ClauseCorrelation, existing.get(key), values, clause=clause, other=other)
    for key, corr in existing.items():
        if key not in keep:
            corr.delete()

    for number, clause in tree_2018.items():
        _save(Clause, clause, {"crosswalk_relation": relations.get(number, "")})

    if "EditionChange" in {m.__name__ for m in apps.get_app_config("itsms").get_models()}:
        _load_changes(apps.get_model("itsms", "EditionChange"), tree_2018, tree_2011)


def _load_changes(EditionChange, tree_2018, tree_2011):
    """What changed in 2018 (``changes_2018.json``), each linked to its clauses."""
    keep = []
    existing = {c.key: c for c in EditionChange.objects.all()}
    for order, row in enumerate(read("changes_2018.json")["changes"], start=1):
        values = {
            "topic": row["topic"],
            "order": order,
            **translations(row["title"], "title"),
            **translations(row["summary"], "summary"),
        }
        change = _save(EditionChange, existing.get(row["key"]), values, key=row["key"])
        clauses = [tree_2018[n] for n in row["clauses_2018"]]
        clauses += [tree_2011[n] for n in row["clauses_2011"]]
        change.clauses.set(clauses)
        keep.append(row["key"])
    EditionChange.objects.exclude(key__in=keep).delete()
