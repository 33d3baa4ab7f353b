"""Tests for desktop_reader.importing.html_text: block boundaries, whitespace, <pre>, tables and deep trees."""

from __future__ import annotations

from lxml import etree

from desktop_reader.importing.html_text import element_text, html_to_text, parse_html


def test_list_items_are_separate_lines_that_keep_a_bullet() -> None:
    assert html_to_text("<ul><li>one</li><li>two</li></ul>") == "• one\n• two"


def test_ordered_lists_are_numbered_from_their_start_and_item_values() -> None:
    markup = "<ol start='4'><li>four</li><li value='10'>ten</li><li>eleven</li></ol>"
    assert html_to_text(markup) == "4. four\n10. ten\n11. eleven"
    assert html_to_text("<ol reversed><li>c</li><li>b</li><li>a</li></ol>") == "3. c\n2. b\n1. a"


def test_nested_lists_stay_in_their_paragraph_indented_with_their_own_marker() -> None:
    markup = (
        "<p>Before</p><ul><li>fruit <em>kinds</em><ol><li>apple</li><li>pear</li></ol></li>"
        "<li>nuts<ul><li>hazel</li></ul></li></ul><p>After</p>"
    )
    assert html_to_text(markup) == "Before\n\n• fruit kinds\n  1. apple\n  2. pear\n• nuts\n  ◦ hazel\n\nAfter"


def test_a_loose_item_keeps_its_bullet_on_its_first_paragraph_only() -> None:
    markup = "<ul><li><p>first para</p><p>second para</p></li><li><p>next</p></li></ul>"
    assert html_to_text(markup) == "• first para\n\nsecond para\n\n• next"


def test_items_used_as_page_layout_get_no_bullet_and_empty_items_none() -> None:
    assert html_to_text("<ul><li><h3>Story</h3><p>Teaser.</p></li><li> </li></ul>") == "Story\n\nTeaser."


def test_inline_elements_never_break_words() -> None:
    assert (
        html_to_text("<p>a <b>bold</b>  <i>and</i>\n<a href='#'>linked</a> word</p>")
        == "a bold and linked word"
    )


def test_adjacent_inline_elements_stay_glued_like_a_browser_renders_them() -> None:
    assert html_to_text("<p><span>foot</span><span>ball</span></p>") == "football"


def test_paragraphs_are_separated_by_one_blank_line() -> None:
    assert html_to_text("<p>First.</p>\n\n\n<p>Second.</p><h2>Head</h2><p>Third.</p>") == (
        "First.\n\nSecond.\n\nHead\n\nThird."
    )


def test_blocks_without_whitespace_between_them_are_not_glued() -> None:
    text = html_to_text("<div>alpha</div><div>beta</div><blockquote>gamma</blockquote><h3>delta</h3>")
    assert text.split() == ["alpha", "beta", "gamma", "delta"]
    assert "alphabeta" not in text


def test_br_is_a_line_break_and_two_br_a_paragraph_break() -> None:
    assert html_to_text("<p>line one<br>line two<br><br>new paragraph</p>") == (
        "line one\nline two\n\nnew paragraph"
    )


def test_table_cells_are_tab_separated_and_rows_are_lines() -> None:
    html = "<table><tr><th>Year</th><th>Cost</th></tr><tr><td> 2013 </td><td>£4.1m</td></tr></table>"
    assert html_to_text(html) == "Year\tCost\n2013\t£4.1m"


def test_pre_is_kept_verbatim() -> None:
    html = "<p>Before:</p><pre>def f():\n    return  1\n</pre><p>After.</p>"
    assert html_to_text(html) == "Before:\n\ndef f():\n    return  1\n\nAfter."


def test_scripts_styles_and_comments_are_not_text_but_their_tails_are() -> None:
    html = "<p>keep<script>var x = 1;</script> this<!-- note --> and<style>p{}</style> that</p>"
    assert html_to_text(html) == "keep this and that"


def test_nbsp_and_entities_are_plain_text() -> None:
    assert html_to_text("<p>caf&eacute;&nbsp;&amp;&nbsp;bar</p>") == "café & bar"


def test_hr_separates_paragraphs() -> None:
    assert html_to_text("one<hr>two") == "one\n\ntwo"


def test_empty_and_garbage_input_give_empty_or_plain_text() -> None:
    assert html_to_text("") == ""
    assert html_to_text("   \n ") == ""
    assert html_to_text("\x00\x00") == ""
    assert html_to_text("<html><body></body></html>") == ""


def test_encoding_declaration_in_a_str_is_ignored() -> None:
    assert html_to_text('<?xml version="1.0" encoding="iso-8859-1"?><p>grüße</p>') == "grüße"


def test_element_tree_30000_levels_deep_is_walked_without_recursion() -> None:
    root = etree.Element("div")
    node = root
    for _ in range(30_000):
        node = etree.SubElement(node, "div")
    node.text = "bottom"
    node.tail = "tail"
    assert element_text(root) == "bottom\ntail"


def test_html_nested_30000_deep_keeps_the_text_before_inside_and_after() -> None:
    html = "<p>before</p>" + "<div>" * 30_000 + "deep &amp; inside" + "</div>" * 30_000 + "<p>after</p>"
    text = html_to_text(html)
    assert text.split("\n\n") == ["before", "deep & inside", "after"]


def test_parse_html_returns_a_document_with_a_body() -> None:
    root = parse_html("<p>x</p>")
    assert root.tag == "html"
    assert root.find("body") is not None
