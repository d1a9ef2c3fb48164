"""Where a visit came from (nguồn truy cập), from the Referer header alone: no cookies."""

from urllib.parse import urlsplit

SEARCH_ENGINES = (
    "google.",
    "bing.",
    "coccoc.",
    "yahoo.",
    "duckduckgo.",
    "baidu.",
    "yandex.",
    "naver.",
    "ecosia.",
    "qwant.",
)
SOCIAL = (
    "facebook.",
    "fb.",
    "zalo.",
    "youtube.",
    "youtu.be",
    "t.co",
    "twitter.",
    "x.com",
    "tiktok.",
    "linkedin.",
    "instagram.",
    "weibo.",
    "wechat.",
    "telegram.",
    "reddit.",
)
KINDS = ("direct", "internal", "search", "social", "other")


def referrer_kind(referer: str, own_host: str) -> str:
    """Classify a Referer URL as direct, internal, search, social or other."""
    if not referer:
        return "direct"
    host = (urlsplit(referer).hostname or "").lower()
    if not host:
        return "direct"
    own = own_host.split(":")[0].lower()
    if host == own or host.endswith("." + own):
        return "internal"
    if _matches(host, SEARCH_ENGINES):
        return "search"
    if _matches(host, SOCIAL):
        return "social"
    return "other"


def _matches(host: str, names: tuple[str, ...]) -> bool:
    """ "google." matches any google domain label; "t.co" matches that host exactly."""
    dotted = f".{host}."
    return any(
        (name.endswith(".") and f".{name}" in dotted) or host == name or host.endswith("." + name)
        for name in names
    )
