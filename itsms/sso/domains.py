"""Which email domains an organisation may claim for single sign-on.

An identity provider is trusted only for the domains it covers, and a covered domain sends its
users to that provider: claiming another company's domain would hand its users' accounts to a
stranger's provider. So a domain is in force at once only when it is the domain of the admin
who adds it; any other waits for the site admin's approval (``/admin/``). Public mail services
are never claimed: their users belong to no one organisation.
"""

PUBLIC_MAIL_DOMAINS = frozenset(
    {
        "gmail.com",
        "googlemail.com",
        "outlook.com",
        "hotmail.com",
        "live.com",
        "msn.com",
        "yahoo.com",
        "ymail.com",
        "icloud.com",
        "me.com",
        "aol.com",
        "proton.me",
        "protonmail.com",
        "gmx.com",
        "gmx.net",
        "mail.com",
        "yandex.com",
        "qq.com",
        "foxmail.com",
        "163.com",
        "126.com",
        "yeah.net",
        "sina.com",
        "sina.cn",
        "sohu.com",
        "aliyun.com",
        "139.com",
        "189.cn",
    }
)


def domain_of(email: str) -> str:
    return (email or "").rpartition("@")[2].strip().lower()


def is_public(domain: str) -> bool:
    return domain.strip().lower() in PUBLIC_MAIL_DOMAINS


def approved_on_adding(domain: str, actor) -> bool:
    """Is ``domain`` in force as soon as ``actor`` adds it (their own address's domain)?"""
    return bool(actor and getattr(actor, "email", "")) and domain_of(actor.email) == domain


def clean_domain_list(values) -> list[str]:
    """Domains as typed (one per line, or separated by commas or spaces; a leading @ allowed):
    lower-cased, without duplicates, in the order given."""
    if isinstance(values, str):
        values = values.replace(",", " ").split()
    seen = []
    for value in values or []:
        domain = str(value).strip().lower().lstrip("@")
        if domain and domain not in seen:
            seen.append(domain)
    return seen
