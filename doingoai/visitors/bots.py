"""Who is a person: bots, crawlers and link-preview fetchers are not counted."""

from functools import lru_cache

from crawlerdetect import CrawlerDetect

_detector = CrawlerDetect()


@lru_cache(maxsize=4096)
def is_bot(user_agent: str) -> bool:
    """True for crawlers, monitoring tools, HTTP libraries and an empty user agent."""
    if not user_agent or len(user_agent) < 10:
        return True
    return bool(_detector.isCrawler(user_agent))
