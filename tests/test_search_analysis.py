"""The words the index and the query are made of, and the highlighting (no database)."""

from itsms.search import analysis
from itsms.search.analysis import highlight, query_terms, snippet, tokens


def matches(query: str, text: str) -> bool:
    """Does every term of ``query`` match a token of ``text`` (what both databases do)?"""
    indexed = tokens(text)
    return all(any(term.matches(t) for t in indexed) for term in query_terms(query))


def test_chinese_is_segmented_into_words_with_the_short_words_inside_long_ones():
    assert {"安全", "事件", "安全事件", "管理"} <= set(tokens("安全事件管理"))
    assert {"事件", "管理"} <= set(tokens("事件管理程序规定了事件的记录"))


def test_a_two_character_word_finds_the_longer_phrase_and_the_phrase_finds_itself():
    assert matches("事件", "事件管理")
    assert matches("事件管理", "事件管理")
    assert matches("事件管理", "本程序规定安全事件管理的步骤")
    assert not matches("事件管理", "变更管理")
    assert not matches("事件", "变更管理")


def test_english_words_match_their_inflections_and_prefixes():
    assert matches("incidents", "Incident management")
    assert matches("managing incident", "Incident management")
    assert matches("incid", "Incident management")
    assert not matches("change", "Incident management")


def test_a_clause_number_is_one_token_and_a_shorter_number_is_its_prefix():
    assert "8p6p1" in tokens("clause 8.6.1 applies")
    assert matches("8.6.1", "8.6.1 Incident management")
    assert matches("8.6", "8.6.1 Incident management")
    assert not matches("8.6.1", "8.6.2 Service request management")
    assert not matches("8.6", "6.8 something else")


def test_full_width_characters_and_case_are_normalised():
    assert matches("ＩＳＯ", "iso 20000")
    assert matches("P1", "two p1 incidents")


def test_stopwords_do_not_have_to_match_but_a_query_of_only_stopwords_still_searches():
    assert [t.word for t in query_terms("management of incidents")] == ["management", "incidents"]
    assert [t.word for t in query_terms("的")] == ["的"]
    assert query_terms("  ,.;  ") == []


def test_highlighting_escapes_first_then_marks_the_matched_words():
    text = "<script>alert(1)</script> Incident & 事件管理"
    marked = str(highlight(text, query_terms("incident 事件")))
    assert "<script>" not in marked
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in marked
    assert "<mark>Incident</mark> &amp; <mark>事件</mark>管理" in marked


def test_a_marked_word_in_a_query_cannot_inject_markup():
    marked = str(highlight("a <mark>b</mark> c", query_terms("<mark>")))
    assert "&lt;<mark>mark</mark>&gt;b&lt;/<mark>mark</mark>&gt;" in marked


def test_the_snippet_is_a_window_around_the_first_match():
    text = "Intro. " * 60 + "The incident procedure is reviewed yearly. " + "Outro. " * 60
    piece = str(snippet(text, query_terms("incident")))
    assert piece.startswith("… ") and piece.endswith(" …")
    assert "<mark>incident</mark> procedure" in piece
    assert len(piece) < 300


def test_token_text_is_what_the_columns_hold():
    assert analysis.token_text("8.6.1", "Incident 事件") == "8p6p1 incident incid 事件"
