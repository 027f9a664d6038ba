"""Search: an organisation with 10,000 evidence items (a tenth with Chinese titles), then the
search index built as ``rebuild_search_index`` builds it (bulk inserts send no signals, so the
index is built here, once, after everything else)."""

from __future__ import annotations

from itsms.models import Evidence, Membership, Organization, Role

from .base import Context
from .evidence import build_evidence

SEARCH_SLUG = "search-harbour-bank"
#: Titles of documents an ITSM team keeps (zh-terms.md renderings).
CHINESE = (
    "事件管理程序",
    "事件管理月度报告",
    "变更管理记录",
    "问题管理报告",
    "服务级别协议",
    "容量计划",
    "服务连续性计划",
    "供方管理程序",
    "信息安全管理报告",
    "配置管理数据库审查",
)


def build_search_organization(ctx: Context, count: int) -> Organization:
    consultant = ctx.people["consultant"]
    org = Organization(
        name="Search Harbour Bank",
        slug=SEARCH_SLUG,
        time_zone="Asia/Shanghai",
        language="zh-hans",
        scope="IT services supporting retail banking, Shanghai data centre.",
        created_by=consultant,
    )
    (org,) = ctx.bulk(Organization, [org])
    ctx.bulk(Membership, [Membership(organization=org, user=consultant, role=Role.CONSULTANT)])
    items = build_evidence(ctx, org, count, 1, [consultant])
    chinese = []
    for i, item in enumerate(items):
        if i % 10 == 0:
            item.title = f"{CHINESE[(i // 10) % len(CHINESE)]} {i + 1:05d}"
            chinese.append(item)
    Evidence.objects.bulk_update(chinese, ["title"], batch_size=1_000)
    ctx.ids["search_slug"] = SEARCH_SLUG
    ctx.ids["search_evidence"] = count
    ctx.ids["consultant_organizations"] += 1
    return org


def build_index(ctx: Context) -> None:
    from itsms.models import SearchDocument
    from itsms.search import services

    # The organisations a user of the bench searches: the big one, the clients, the search one;
    # the scan's 800 tenants are read by the reminder task only and are left out (their
    # documents would only be filtered out by the organisation condition).
    services.rebuild(Organization.objects.exclude(slug__startswith="tenant-"))
    ctx.counts["itsms.SearchDocument"] = SearchDocument.objects.count()
