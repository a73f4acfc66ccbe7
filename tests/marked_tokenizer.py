"""A component the fast path does not know, for tests/test_fastpath.py's fallback test.

Rasa loads it like any other (it is its own WhitespaceTokenizer under another name), so an
archive naming it must be answered by Rasa's full loader, with a warning.
"""

from __future__ import annotations

from rasa.nlu.tokenizers.whitespace_tokenizer import WhitespaceTokenizer


class MarkedTokenizer(WhitespaceTokenizer):
    """WhitespaceTokenizer under a name the fast path has never heard of."""
