"""Text → search tokens, the same for the index and the query, on SQLite and PostgreSQL.

Why segmentation with jieba and not trigrams: Chinese has no spaces, and the words people
search for are mostly two characters (事件, 变更, 供方). A trigram index cannot serve a query
shorter than three characters — pg_trgm falls back to scanning every row, SQLite's FTS5
trigram tokenizer matches nothing — and trigrams rank by character overlap, not by word.
jieba (pinned) cuts text into words; in its search mode it also emits the shorter words inside
a long one (安全事件管理 → 安全, 事件, 安全事件, 管理), so 事件 finds 事件管理. The tokens are
computed here in Python, so both databases index exactly the same words and answer the same.

A token is a run of letters and digits, lower-cased after NFKC (full-width ＡＢＣ１ → abc1):

- English (and other alphabetic) words, each with its Snowball stem when it differs
  (incidents → incidents, incid), so "incident" finds "incidents";
- a dotted number as one token (8.6.1 → ``8p6p1``), so clause 8.6.1 is not three numbers;
- Chinese words, by jieba's search mode.

Queries are cut the same way (jieba's precise mode: 事件管理 → 事件 AND 管理); every word must
match, a word matches its stem or, from three letters on, as a prefix (``incid`` finds
incident), a Chinese word or a dotted number as a prefix (事件 finds an unsplit 事件管理, 8.6
finds 8.6.1). Highlighting marks, in the original text, the words the query matched, after
escaping the text (``highlight``).
"""

from __future__ import annotations

import logging
import re
import threading
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ebef"
#: Runs of Han characters, dotted numbers (8.6.1) and other letters/digits.
_RUN = re.compile(rf"[{_HAN}]+|\d+(?:\.\d+)+|[^\W_{_HAN}]+")
_IS_HAN = re.compile(rf"[{_HAN}]")
_DOTTED = re.compile(r"\d+(?:\.\d+)+")
#: Tokens longer than this are noise (hashes, base64): not indexed.
MAX_TOKEN = 60
#: Text beyond this many characters of one document is not indexed.
MAX_TEXT = 200_000
#: English words a query may contain that should not have to match.
QUERY_STOPWORDS = frozenset(
    {"a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "in", "is", "it", "of"}
    | {"on", "or", "the", "to", "with"}
)
#: Chinese function words a query may contain that should not have to match.
HAN_STOPWORDS = frozenset(["的", "和", "与", "及", "或", "在", "了", "是", "对", "中"])

_jieba_lock = threading.Lock()
_jieba = None


def _segmenter():
    """jieba's default tokenizer, loaded on first use (its dictionary takes a second and
    about 100 MB; a process that never sees Chinese never loads it)."""
    global _jieba
    if _jieba is None:
        with _jieba_lock:
            if _jieba is None:
                import jieba

                jieba.setLogLevel(logging.WARNING)
                jieba.dt.initialize()
                _jieba = jieba.dt
    return _jieba


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """The English Snowball stem of a lower-case word (cached: the pure-Python stemmer is slow)."""
    return _stemmer().stemWord(word)


@lru_cache(maxsize=1)
def _stemmer():
    import snowballstemmer

    return snowballstemmer.stemmer("english")


def normalise(text: str) -> str:
    return unicodedata.normalize("NFKC", text).lower()


def _dotted(run: str) -> str:
    return run.replace(".", "p")


def _words(run: str) -> list[str]:
    """The tokens of one alphabetic/numeric run (already normalised)."""
    if len(run) > MAX_TOKEN:
        return []
    if _DOTTED.fullmatch(run):
        return [_dotted(run)]
    if run.isdigit() or not run.isascii():
        return [run]
    stemmed = stem(run)
    return [run] if stemmed == run else [run, stemmed]


def tokens(text: str) -> list[str]:
    """The index tokens of ``text`` (in order, repeats kept: they count in the ranking)."""
    out: list[str] = []
    text = normalise((text or "")[:MAX_TEXT])
    for match in _RUN.finditer(text):
        run = match.group()
        if _IS_HAN.match(run):
            out.extend(w for w in _segmenter().cut_for_search(run, HMM=True) if w.strip())
        else:
            out.extend(_words(run))
    return out


def token_text(*texts: str) -> str:
    """The tokens of the texts, space separated: what the ``*_tokens`` columns hold."""
    if sum(len(t or "") for t in texts) <= 4000:
        return _short_token_text(texts)  # the same clause text in every organisation
    return " ".join(t for text in texts if text for t in tokens(text))


@lru_cache(maxsize=8192)
def _short_token_text(texts: tuple[str, ...]) -> str:
    return " ".join(t for text in texts if text for t in tokens(text))


@dataclass(frozen=True)
class Term:
    """One word of a query: it matches any of ``exact`` or a token starting with ``prefix``."""

    word: str  # as typed, normalised (for highlighting)
    exact: tuple[str, ...]
    prefix: str | None = None

    def matches(self, token: str) -> bool:
        return token in self.exact or bool(self.prefix and token.startswith(self.prefix))


def _term_for(word: str, han: bool) -> Term | None:
    if han:
        return Term(word=word, exact=(word,), prefix=word)
    if len(word) > MAX_TOKEN:
        return None
    if _DOTTED.fullmatch(word):
        return Term(word=word, exact=(_dotted(word),), prefix=_dotted(word))
    if word.isdigit() or not word.isascii():
        return Term(word=word, exact=(word,), prefix=word if len(word) >= 3 else None)
    return Term(
        word=word,
        exact=tuple(dict.fromkeys((word, stem(word)))),
        prefix=word if len(word) >= 3 else None,
    )


def query_terms(query: str) -> list[Term]:
    """The terms a query must all match (empty for a query of nothing searchable)."""
    text = normalise((query or "")[:500])
    terms: list[Term] = []
    for match in _RUN.finditer(text):
        run = match.group()
        if _IS_HAN.match(run):
            words = [w for w in _segmenter().cut(run, HMM=True) if w.strip()]
            kept = [w for w in words if w not in HAN_STOPWORDS] or words
            terms.extend(_term_for(w, han=True) for w in kept)
        else:
            terms.append(_term_for(run, han=False))
    terms = [t for t in terms if t is not None]
    meaningful = [t for t in terms if t.word not in QUERY_STOPWORDS]
    unique = {}
    for term in meaningful or terms:
        unique.setdefault(term.word, term)
    return list(unique.values())[:12]


# --- highlighting -----------------------------------------------------------------------------


def _spans(text: str, terms: list[Term]) -> list[tuple[int, int]]:
    """Character spans of ``text`` holding a word the terms match (merged, in order)."""
    found: list[tuple[int, int]] = []
    for match in _RUN.finditer(text):
        run = match.group()
        normal = normalise(run)
        if _IS_HAN.match(run):
            if len(normal) != len(run):  # compatibility ideographs: mark the whole run
                if any(t.word in normal for t in terms):
                    found.append(match.span())
                continue
            words = list(_segmenter().tokenize(normal, mode="search"))
            exact = [(s, e) for w, s, e in words if any(w in t.exact for t in terms)]
            # a word that is a term marks only itself, not the longer words around it
            chosen = exact or [(s, e) for w, s, e in words if any(t.matches(w) for t in terms)]
            found.extend((match.start() + s, match.start() + e) for s, e in chosen)
        elif any(t.matches(token) for token in _words(normal) for t in terms):
            found.append(match.span())
    found.sort()
    merged: list[tuple[int, int]] = []
    for start, end in found:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def highlight(text: str, terms: list[Term]) -> SafeString:
    """``text`` escaped, with the words the query matched in ``<mark>``: safe to render."""
    text = text or ""
    out, position = [], 0
    for start, end in _spans(text, terms):
        out.append(escape(text[position:start]))
        out.append(f"<mark>{escape(text[start:end])}</mark>")
        position = end
    out.append(escape(text[position:]))
    return mark_safe("".join(out))  # noqa: S308 - every piece of text above is escaped


def _needles(terms: list[Term]) -> list[str]:
    needles = []
    for term in terms:
        needles.append(term.word)
        needles.extend(e for e in term.exact if not _DOTTED.fullmatch(term.word))
    return [n for n in dict.fromkeys(needles) if n]


def snippet(text: str, terms: list[Term], width: int = 220) -> SafeString:
    """A window of ``text`` around the first word the query matched, highlighted."""
    text = " ".join((text or "").split())
    if not text:
        return mark_safe("")
    lowered = text.lower()
    hits = [i for i in (lowered.find(n) for n in _needles(terms)) if i >= 0]
    start = max(0, min(hits) - width // 3) if hits else 0
    if start:
        space = text.find(" ", start, start + 30)
        start = space + 1 if space > 0 else start
    end = min(len(text), start + width)
    if end < len(text):
        space = text.rfind(" ", end - 30, end)
        end = space if space > start else end
    piece = highlight(text[start:end], terms)
    prefix = "… " if start else ""
    suffix = " …" if end < len(text) else ""
    return mark_safe(f"{prefix}{piece}{suffix}")  # noqa: S308 - ``piece`` is escaped
