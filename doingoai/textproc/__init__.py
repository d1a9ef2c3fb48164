"""Plain-Python text pipeline of the monitoring module (no Django import here).

- ``urls``: canonical URLs (tracking parameters, fragments, host case, trailing slash).
- ``dedupe``: content hashes of folded text and a MinHash LSH index of near-duplicates.
- ``gazetteer``: place names and watch terms matched on folded text, relevance scores.
- ``extraction``: title, text, date, author and language of an HTML page (trafilatura).

The app layer (``doingoai.monitoring``) stores, schedules and shows what these compute.
"""
