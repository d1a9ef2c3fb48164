"""Vietnamese folding for the pipeline.

The project's own ``doingoai.text.vietnamese`` (plain Python too) is the one place that
knows how to fold Vietnamese; this module only re-exports what the pipeline uses, so the
rest of ``textproc`` has a single import to change.
"""

from doingoai.text.vietnamese import (
    exact_text,
    fold,
    fold_with_offsets,
    has_diacritics,
    token_spans,
    tokenize,
)

__all__ = ["exact_text", "fold", "fold_with_offsets", "has_diacritics", "token_spans", "tokenize"]
